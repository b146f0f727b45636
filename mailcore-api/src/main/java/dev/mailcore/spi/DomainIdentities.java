package dev.mailcore.spi;

import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import java.util.List;
import java.util.Optional;

/**
 * Registers sending domains with the mail provider (for SES: email identities with Easy DKIM
 * and a custom MAIL FROM domain), and says which DNS records that provider needs. mailcore names
 * no provider's hosts itself: the MX, SPF and DKIM records {@link dev.mailcore.Domains#dnsRecords}
 * lists come from here (plus DMARC and any MX host the application configured).
 *
 * <p>Implementations must be thread-safe. Failures surface as
 * {@link dev.mailcore.DeliveryException} (retryable when the provider was throttling or
 * unavailable).
 */
public interface DomainIdentities {

  /**
   * Creates the provider identity for a domain, or adopts the one the provider already has for
   * that name, and applies the domain's settings (for SES: the custom MAIL FROM domain derived
   * from {@link Domain#bounceAddress()}).
   *
   * @param domain the domain about to be stored (no identity ARN or DKIM tokens yet)
   * @return the identity with its DKIM tokens
   */
  ProviderIdentity create(Domain domain);

  /**
   * Reads the provider's view of a domain identity.
   *
   * @param domainName the lower-case domain
   * @return the identity, or empty if the provider does not know the domain
   */
  Optional<ProviderIdentity> get(String domainName);

  /**
   * Applies changed domain settings (for SES: sets or clears the custom MAIL FROM domain when
   * the bounce address changed). The default does nothing.
   *
   * @param domain the domain with its new settings
   */
  default void update(Domain domain) {}

  /**
   * Deletes the provider identity; deleting an unknown one is not an error.
   *
   * @param domainName the lower-case domain
   */
  void delete(String domainName);

  /**
   * The DNS records this provider needs for a domain: the MX for inbound mail if the provider
   * receives it, the SPF TXT record, the DKIM records for the domain's tokens, and the custom
   * MAIL FROM domain's records. Computed from {@code domain} without calling the provider.
   * mailcore adds the DMARC record and fills in {@link DnsRecord#verified()}.
   *
   * @param domain the stored domain
   * @return the records, with {@code verified} false
   */
  List<DnsRecord> dnsRecords(Domain domain);
}
