package dev.mailcore.testkit;

import dev.mailcore.spi.DomainIdentities;
import dev.mailcore.spi.ProviderIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DomainIdentities} that behaves like SES Easy DKIM: {@code create} issues three DKIM
 * tokens derived from the domain name, {@link #markDkimVerified(String)} flips the provider's
 * DKIM status. Thread-safe.
 */
public final class FakeDomainIdentities implements DomainIdentities {
  private final Map<String, ProviderIdentity> identities = new ConcurrentHashMap<>();

  /** Creates a fake with no identities. */
  public FakeDomainIdentities() {}

  @Override
  public ProviderIdentity create(String domainName) {
    return identities.computeIfAbsent(domainName, d -> new ProviderIdentity(
        Optional.of("arn:aws:ses:us-east-1:000000000000:identity/" + d),
        List.of(token(d, 1), token(d, 2), token(d, 3)), false));
  }

  @Override
  public Optional<ProviderIdentity> get(String domainName) {
    return Optional.ofNullable(identities.get(domainName));
  }

  @Override
  public void delete(String domainName) {
    identities.remove(domainName);
  }

  /**
   * Makes the provider report the domain's DKIM as verified.
   *
   * @param domainName the domain
   */
  public void markDkimVerified(String domainName) {
    identities.computeIfPresent(domainName,
        (d, i) -> new ProviderIdentity(i.arn(), i.dkimTokens(), true));
  }

  private static String token(String domain, int n) {
    byte[] seed = (domain + "#" + n).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(seed).toString().replace("-", "");
  }
}
