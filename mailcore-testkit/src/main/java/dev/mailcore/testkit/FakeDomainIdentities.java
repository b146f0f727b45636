package dev.mailcore.testkit;

import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.spi.DomainIdentities;
import dev.mailcore.spi.ProviderIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DomainIdentities} that behaves like a provider with Easy-DKIM-style tokens, under its
 * own made-up host names so no test mistakes them for a real provider's: {@code create} issues
 * three DKIM tokens derived from the domain name, {@link #markDkimVerified(String)} flips the
 * provider's DKIM status, and {@link #dnsRecords} asks for the MX {@value #MX_HOST}, the SPF
 * {@value #SPF} and DKIM CNAMEs to {@code <token>.}{@value #DKIM_TARGET}. Thread-safe.
 */
public final class FakeDomainIdentities implements DomainIdentities {
  /** The inbound MX host the fake provider asks for. */
  public static final String MX_HOST = "inbound.mail-provider.test";
  /** The SPF record the fake provider asks for. */
  public static final String SPF = "v=spf1 include:spf.mail-provider.test ~all";
  /** The DKIM CNAME targets' suffix. */
  public static final String DKIM_TARGET = "dkim.mail-provider.test";

  private final Map<String, ProviderIdentity> identities = new ConcurrentHashMap<>();

  /** Creates a fake with no identities. */
  public FakeDomainIdentities() {}

  @Override
  public ProviderIdentity create(Domain domain) {
    return identities.computeIfAbsent(domain.name(), d -> new ProviderIdentity(
        Optional.of("fake-provider:identity/" + d),
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

  @Override
  public List<DnsRecord> dnsRecords(Domain domain) {
    List<DnsRecord> out = new ArrayList<>();
    out.add(new DnsRecord(DnsRecord.Purpose.MX, "MX", domain.name(), MX_HOST, Optional.of(10),
        false));
    out.add(new DnsRecord(DnsRecord.Purpose.SPF, "TXT", domain.name(), SPF, Optional.empty(),
        false));
    for (String token : domain.dkimTokens()) {
      out.add(new DnsRecord(DnsRecord.Purpose.DKIM, "CNAME",
          token + "._domainkey." + domain.name(), token + "." + DKIM_TARGET, Optional.empty(),
          false));
    }
    return out;
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
