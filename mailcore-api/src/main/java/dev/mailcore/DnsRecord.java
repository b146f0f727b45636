package dev.mailcore;

import java.util.Objects;
import java.util.Optional;

/**
 * A DNS record a domain owner must publish for mailcore to send and receive on the domain.
 * Immutable and thread-safe.
 *
 * @param purpose what the record is for
 * @param type the record type: {@code MX}, {@code TXT} or {@code CNAME}
 * @param name the fully qualified owner name, for example {@code _dmarc.mail.acme.com}
 * @param value the record value (for MX the exchange host)
 * @param priority the MX preference, for MX records
 * @param verified whether the last {@link Domains#verify(java.util.UUID)} found it
 */
public record DnsRecord(Purpose purpose, String type, String name, String value,
    Optional<Integer> priority, boolean verified) {

  /** Checks the fields. */
  public DnsRecord {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(priority, "priority");
  }

  /** Why a record is needed. */
  public enum Purpose {
    /** Routes inbound mail to the provider. */
    MX,
    /** Authorizes the provider to send for the domain. */
    SPF,
    /** Lets receivers check the provider's DKIM signatures. */
    DKIM,
    /** Tells receivers what to do with mail that fails SPF and DKIM. */
    DMARC,
    /**
     * The custom MAIL FROM (envelope sender) domain's MX and SPF records: bounces reach the
     * provider and SPF aligns with the From domain. Verified together with {@link #SPF}.
     */
    MAIL_FROM
  }

  /**
   * A copy with another verification flag.
   *
   * @param isVerified whether the record was found
   * @return the copy
   */
  public DnsRecord withVerified(boolean isVerified) {
    return new DnsRecord(purpose, type, name, value, priority, isVerified);
  }
}
