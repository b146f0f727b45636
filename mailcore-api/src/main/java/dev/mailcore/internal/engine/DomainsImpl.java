package dev.mailcore.internal.engine;

import dev.mailcore.ConflictException;
import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.Domains;
import dev.mailcore.DnsVerification;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.WebhookEventType;
import dev.mailcore.spi.DnsResolver;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.ProviderIdentity;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class DomainsImpl implements Domains {
  private static final String CURSOR = "domains";

  private final Engine engine;
  private final Scope scope;

  DomainsImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  @Override
  public Domain create(String organizationId, String name, DomainSettings settings) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    String normalized = DomainNames.normalize(name);
    Objects.requireNonNull(settings, "settings");
    Instant now = engine.config().clock().instant();
    Domain unregistered = new Domain(Uuids.next(), org, normalized, Optional.empty(), List.of(),
        settings.fromName(), settings.replyToAddress(), settings.bounceAddress(),
        DnsVerification.NONE, now, now, Optional.empty());
    Optional<ProviderIdentity> identity =
        engine.config().identities().map(i -> i.create(unregistered));
    Domain d = new Domain(unregistered.id(), org, normalized,
        identity.flatMap(ProviderIdentity::arn),
        identity.map(ProviderIdentity::dkimTokens).orElse(List.of()), settings.fromName(),
        settings.replyToAddress(), settings.bounceAddress(), DnsVerification.NONE, now, now,
        Optional.empty());
    return engine.store().inTransaction(tx -> {
      if (!tx.domains().insert(d)) {
        // The existing domain's id tells an HTTP host which resource the 409 is about.
        String existing = tx.domains().findByName(scope, normalized).map(x -> x.id().toString())
            .orElse(normalized);
        throw new ConflictException("domain", existing, "domain '" + normalized
            + "' is already registered; use the existing domain or delete it first");
      }
      return d;
    });
  }

  @Override
  public Optional<Domain> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.domains().find(scope, id)).filter(d -> !d.deleted());
  }

  @Override
  public Optional<Domain> byName(String name) {
    String normalized = DomainNames.normalize(name);
    return engine.store().inTransaction(tx -> tx.domains().findByName(scope, normalized));
  }

  @Override
  public Page<Domain> list(String organizationId, PageRequest page) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(CURSOR, page);
    List<Domain> rows = engine.store().inTransaction(
        tx -> tx.domains().list(org, after, page.limit() + 1));
    return Cursors.keysetPage(CURSOR, rows, page.limit(), d -> new Keyset(d.createdAt(), d.id()));
  }

  @Override
  public Domain update(UUID id, DomainSettings settings) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(settings, "settings");
    Domain before = get(id).orElseThrow(() -> new NotFoundException("domain", id.toString()));
    if (!before.bounceAddress().equals(settings.bounceAddress())) {
      // The provider first (SES: the MAIL FROM domain), so a refusal changes nothing here.
      engine.config().identities().ifPresent(i -> i.update(new Domain(before.id(),
          before.organizationId(), before.name(), before.sesIdentityArn(), before.dkimTokens(),
          settings.fromName(), settings.replyToAddress(), settings.bounceAddress(),
          before.verification(), before.createdAt(), before.updatedAt(), Optional.empty())));
    }
    return engine.store().inTransaction(tx -> {
      Domain d = tx.domains().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Domain u = new Domain(d.id(), d.organizationId(), d.name(), d.sesIdentityArn(),
          d.dkimTokens(), settings.fromName(), settings.replyToAddress(), settings.bounceAddress(),
          d.verification(), d.createdAt(), engine.config().clock().instant(), Optional.empty());
      tx.domains().update(u);
      return u;
    });
  }

  @Override
  public List<DnsRecord> dnsRecords(UUID id) {
    Domain d = get(Objects.requireNonNull(id, "id"))
        .orElseThrow(() -> new NotFoundException("domain", id.toString()));
    return DnsRecords.expected(d, engine.config());
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
    DnsVerification found = DnsRecords.check(DnsRecords.expected(d, engine.config()), dns,
        providerDkim);
    return engine.store().inTransaction(tx -> {
      Domain current = tx.domains().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Domain u = new Domain(current.id(), current.organizationId(), current.name(),
          current.sesIdentityArn(), current.dkimTokens(), current.fromName(),
          current.replyToAddress(), current.bounceAddress(), found, current.createdAt(),
          engine.config().clock().instant(), Optional.empty());
      tx.domains().update(u);
      // DESIGN.md section 9: domain.verified the first time every record passes
      if (found.allVerified() && !current.verification().allVerified()) {
        engine.outbox().domain(tx, WebhookEventType.DOMAIN_VERIFIED, u);
      }
      return u;
    });
  }

  @Override
  public void delete(UUID id) {
    Objects.requireNonNull(id, "id");
    Domain existing = get(id).orElseThrow(() -> new NotFoundException("domain", id.toString()));
    engine.config().identities().ifPresent(i -> i.delete(existing.name()));
    engine.store().inTransaction(tx -> {
      Domain d = tx.domains().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("domain", id.toString()));
      Instant now = engine.config().clock().instant();
      tx.domains().update(new Domain(d.id(), d.organizationId(), d.name(), d.sesIdentityArn(),
          d.dkimTokens(), d.fromName(), d.replyToAddress(), d.bounceAddress(), d.verification(),
          d.createdAt(), now, Optional.of(now)));
      return null;
    });
  }
}
