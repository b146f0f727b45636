package dev.mailcore;

/**
 * Which of a domain's DNS records were found as mailcore asked them to be published. Each flag
 * is true when every record of that kind that {@link Domains#dnsRecords(java.util.UUID)} lists
 * was found, so a kind no configured provider asks for counts as in place. Immutable and
 * thread-safe.
 *
 * @param mx the MX record for inbound mail
 * @param spf the SPF TXT record, and the custom MAIL FROM domain's MX and SPF records
 * @param dkim the DKIM records, and the provider's own DKIM status
 * @param dmarc the DMARC TXT record
 */
public record DnsVerification(boolean mx, boolean spf, boolean dkim, boolean dmarc) {

  /** Nothing verified yet. */
  public static final DnsVerification NONE = new DnsVerification(false, false, false, false);

  /**
   * Whether every record is in place.
   *
   * @return true if all four are verified
   */
  public boolean allVerified() {
    return mx && spf && dkim && dmarc;
  }
}
