package dev.mailcore.spi;

import java.util.Optional;

/**
 * Registers sending domains with the mail provider (for SES: email identities with Easy DKIM).
 * Implementations must be thread-safe. Failures surface as
 * {@link dev.mailcore.DeliveryException}.
 */
public interface DomainIdentities {

  /**
   * Creates the provider identity for a domain, or returns the existing one.
   *
   * @param domainName the lower-case domain
   * @return the identity with its DKIM tokens
   */
  ProviderIdentity create(String domainName);

  /**
   * Reads the provider's view of a domain identity.
   *
   * @param domainName the lower-case domain
   * @return the identity, or empty if the provider does not know the domain
   */
  Optional<ProviderIdentity> get(String domainName);

  /**
   * Deletes the provider identity; deleting an unknown one is not an error.
   *
   * @param domainName the lower-case domain
   */
  void delete(String domainName);
}
