package dev.mailcore.internal.engine;

import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.Domains;
import dev.mailcore.DnsVerification;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookEventType;
import dev.mailcore.spi.DnsResolver;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.ProviderIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class DomainsImpl implements Domains {
  private static final String CURSOR = "domains";

  private final Engine engine;

  DomainsImpl(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Domain create(String organizationId, String name, DomainSettings settings) {
    String org = Checks.organization(organizationId);
    String normalized = DomainNames.normalize(name);
    Objects.requireNonNull(settings, "settings");
    Optional<ProviderIdentity> identity =
        engine.config().identities().map(i -> i.create(normalized));
    Instant now = engine.config().clock().instant();
    Domain d = new Domain(Uuids.next(), org, normalized, identity.flatMap(ProviderIdentity::arn),
        identity.map(ProviderIdentity::dkimTokens).orElse(List.of()), settings.fromName(),
        settings.replyToAddress(), settings.bounceAddress(), DnsVerification.NONE, now, now,
        Optional.empty());
    boolean inserted = engine.store().inTransaction(tx -> tx.insertDomain(d));
    if (!inserted) {
      throw new ValidationException("name", "domain '" + normalized + "' is already registered;"
          + " use the existing domain or delete it first");
    }
    return d;
  }

  @Override
  public Optional<Domain> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.findDomain(id)).filter(d -> !d.deleted());
  }

  @Override
  public Optional<Domain> byName(String name) {
    String normalized = DomainNames.normalize(name);
    return engine.store().inTransaction(tx -> tx.findDomainByName(normalized));
  }

  @Override
  public Page<Domain> list(String organizationId, PageRequest page) {
    String org = Checks.organization(organizationId);
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(CURSOR, page);
    List<Domain> rows = engine.store().inTransaction(
        tx -> tx.listDomains(org, after, page.limit() + 1));
    return Cursors.keysetPage(CURSOR, rows, page.limit(), d -> new Keyset(d.createdAt(), d.id()));
  }

  @Override
  public Domain update(UUID id, DomainSettings settings) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(settings, "settings");
    return engine.store().inTransaction(tx -> {
      Domain d = tx.findDomain(id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Domain u = new Domain(d.id(), d.organizationId(), d.name(), d.sesIdentityArn(),
          d.dkimTokens(), settings.fromName(), settings.replyToAddress(), settings.bounceAddress(),
          d.verification(), d.createdAt(), engine.config().clock().instant(), Optional.empty());
      tx.updateDomain(u);
      return u;
    });
  }

  @Override
  public List<DnsRecord> dnsRecords(UUID id) {
    Domain d = get(Objects.requireNonNull(id, "id"))
        .orElseThrow(() -> new NotFoundException("domain", id.toString()));
    return DnsRecords.expected(d, engine.config().inboundMxHost());
  }

  @Override
  public Domain verify(UUID id) {
    Objects.requireNonNull(id, "id");
    DnsResolver dns = engine.config().dns().orElseThrow(() -> new IllegalStateException(
        "no DnsResolver configured; pass MailCore.builder().dnsResolver(DnsResolver.system())"));
    Domain d = get(id).orElseThrow(() -> new NotFoundException("domain", id.toString()));
    boolean providerDkim = engine.config().identities()
        .map(i -> i.get(d.name()).map(ProviderIdentity::dkimVerified).orElse(false))
        .orElse(true);
    DnsVerification found = DnsRecords.check(d, engine.config().inboundMxHost(), dns,
        providerDkim);
    return engine.store().inTransaction(tx -> {
      Domain current = tx.findDomain(id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Domain u = new Domain(current.id(), current.organizationId(), current.name(),
          current.sesIdentityArn(), current.dkimTokens(), current.fromName(),
          current.replyToAddress(), current.bounceAddress(), found, current.createdAt(),
          engine.config().clock().instant(), Optional.empty());
      tx.updateDomain(u);
      if (!found.equals(current.verification())) {
        engine.outbox().domain(tx, WebhookEventType.DOMAIN_VERIFIED, u);
      }
      return u;
    });
  }

  @Override
  public void delete(UUID id) {
    Objects.requireNonNull(id, "id");
    engine.store().inTransaction(tx -> {
      Domain d = tx.findDomain(id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Instant now = engine.config().clock().instant();
      tx.updateDomain(new Domain(d.id(), d.organizationId(), d.name(), d.sesIdentityArn(),
          d.dkimTokens(), d.fromName(), d.replyToAddress(), d.bounceAddress(), d.verification(),
          d.createdAt(), now, Optional.of(now)));
      return null;
    });
  }
}
