package dev.mailcore;

import java.util.Optional;
import java.util.UUID;

/**
 * Creates and manages sending and receiving domains. Obtain it from {@link MailCore#domains()}.
 * Thread-safe. Not meant to be implemented outside mailcore.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Domains {

  /**
   * Registers a domain for an organization: stores it and, when a
   * {@link dev.mailcore.spi.DomainIdentities} is configured, creates the provider identity and
   * records its ARN and DKIM tokens.
   *
   * @param organizationId the owning organization (not blank)
   * @param name the domain name, for example {@code mail.acme.com}; lower-cased
   * @param settings sender defaults
   * @return the new domain
   * @throws ValidationException if the name is not a valid domain name, or, through a
   *     {@link MailCore#forOrganization} view, {@code organizationId} is not the view's
   * @throws ConflictException if an active domain with that name already exists; it names that
   *     domain's id (through a {@link MailCore#forOrganization} view, only the name when the
   *     domain belongs to another organization: names are unique across the account)
   * @throws DeliveryException if the provider refused the identity
   */
  Domain create(String organizationId, String name, DomainSettings settings);

  /**
   * Registers a domain with no sender defaults.
   *
   * @param organizationId the owning organization
   * @param name the domain name
   * @return the new domain
   * @throws ValidationException as {@link #create(String, String, DomainSettings)}
   * @throws ConflictException as {@link #create(String, String, DomainSettings)}
   */
  default Domain create(String organizationId, String name) {
    return create(organizationId, name, DomainSettings.NONE);
  }

  /**
   * Looks up an active domain.
   *
   * @param id the domain id
   * @return the domain, or empty if it does not exist or was deleted
   */
  Optional<Domain> get(UUID id);

  /**
   * Looks up an active domain by name.
   *
   * @param name the domain name (any case)
   * @return the domain, if an active one has that name
   */
  Optional<Domain> byName(String name);

  /**
   * Lists an organization's active domains, oldest first.
   *
   * @param organizationId the organization
   * @param page which page
   * @return the page
   * @throws ValidationException if the cursor is not one this listing returned, or, through a
   *     {@link MailCore#forOrganization} view, {@code organizationId} is not the view's
   */
  Page<Domain> list(String organizationId, PageRequest page);

  /**
   * Replaces a domain's sender defaults.
   *
   * @param id the domain id
   * @param settings the new defaults
   * @return the updated domain
   * @throws NotFoundException if no active domain has that id
   */
  Domain update(UUID id, DomainSettings settings);

  /**
   * The DNS records the domain owner must publish, each with its last verification state: the
   * records the configured {@link dev.mailcore.spi.DomainIdentities} needs (for SES: the inbound
   * MX, the SPF TXT, one DKIM CNAME per token, the custom MAIL FROM domain's MX and SPF), the MX
   * host configured with {@link MailCore.Builder#inboundMxHost} (which replaces the provider's
   * inbound MX), and a DMARC TXT. With neither a provider nor an MX host configured, only DMARC
   * is listed: mailcore never names a provider the application did not configure.
   *
   * @param id the domain id
   * @return the records
   * @throws NotFoundException if no active domain has that id
   */
  java.util.List<DnsRecord> dnsRecords(UUID id);

  /**
   * Looks the domain's records up through the configured {@link dev.mailcore.spi.DnsResolver}
   * (and the provider's own DKIM status, when identities are configured) and stores which are in
   * place.
   *
   * @param id the domain id
   * @return the domain with updated verification flags
   * @throws NotFoundException if no active domain has that id
   * @throws IllegalStateException if no DNS resolver was configured
   */
  Domain verify(UUID id);

  /**
   * Soft-deletes a domain: it stops receiving and sending, and its name can be registered again.
   * Its inboxes, threads and messages stay readable by id. The provider identity (for SES: the
   * email identity) is deleted first, so a failure there changes nothing and the call can be
   * repeated.
   *
   * @param id the domain id
   * @throws NotFoundException if no active domain has that id
   * @throws DeliveryException if the provider could not delete the identity
   */
  void delete(UUID id);
}
