package dev.mailcore.internal.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookDispatcher;
import dev.mailcore.WebhookEndpoint;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookListener;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookRegistry;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.internal.engine.Cursors;
import dev.mailcore.internal.engine.Engine;
import dev.mailcore.internal.engine.ScopeRules;
import dev.mailcore.internal.engine.Uuids;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WebhookRegistry}: endpoint management, delivery listing and replay, and the wiring of
 * the outbox and dispatcher for one engine. Thread-safe.
 */
public final class WebhookRegistryImpl implements WebhookRegistry {
  private static final String ENDPOINTS = "webhook-endpoints";
  private static final String DELIVERIES = "webhook-deliveries";
  private static final int MAX_URL = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Engine engine;
  private final WebhookSettings settings;
  private final WebhookOutbox outbox;
  private final SsrfGuard guard;
  private final Dispatcher dispatcher;
  private final Scope scope;

  /**
   * Wires the webhooks of an engine.
   *
   * @param engine the engine
   * @param settings the delivery settings
   */
  public WebhookRegistryImpl(Engine engine, WebhookSettings settings) {
    this.engine = engine;
    this.settings = settings;
    this.outbox = new WebhookOutbox(new ObjectMapper(), engine.config().clock());
    this.guard = new SsrfGuard(settings.allowLoopback(), settings.resolver());
    this.dispatcher = new Dispatcher(engine, settings, outbox, guard);
    this.scope = Scope.all();
  }

  private WebhookRegistryImpl(WebhookRegistryImpl all, Scope scope) {
    this.engine = all.engine;
    this.settings = all.settings;
    this.outbox = all.outbox;
    this.guard = all.guard;
    this.dispatcher = all.dispatcher;
    this.scope = scope;
  }

  /**
   * The same registry (outbox, dispatcher) seeing only {@code scope}'s endpoints.
   *
   * @param scope the scope
   * @return a view; cheap to create
   */
  public WebhookRegistryImpl scoped(Scope scope) {
    return new WebhookRegistryImpl(this, scope);
  }

  /** @return the outbox the engine's write paths emit events into */
  public WebhookOutbox outbox() {
    return outbox;
  }

  @Override
  public WebhookRegistration register(String organizationId, WebhookSpec spec) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    Objects.requireNonNull(spec, "spec");
    String url = checkUrl(spec.url());
    String secret = newSecret();
    Instant now = engine.config().clock().instant();
    WebhookEndpointRecord r = new WebhookEndpointRecord(Uuids.next(), org, url, secret,
        Optional.empty(), Optional.empty(), names(spec), inboxes(spec), spec.description(),
        WebhookRows.ACTIVE, 0, Optional.empty(), Optional.empty(), now, now, 0);
    engine.store().inTransaction(tx -> {
      checkInboxes(tx, org, spec);
      tx.webhooks().insertEndpoint(r);
      return null;
    });
    return new WebhookRegistration(WebhookRows.endpoint(r), secret);
  }

  @Override
  public Page<WebhookEndpoint> list(String organizationId, PageRequest page) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(ENDPOINTS, page);
    List<WebhookEndpointRecord> rows = engine.store().inTransaction(
        tx -> tx.webhooks().listEndpoints(org, after, page.limit() + 1));
    Page<WebhookEndpointRecord> p = Cursors.keysetPage(ENDPOINTS, rows, page.limit(),
        e -> new Keyset(e.createdAt(), e.id()));
    return new Page<>(p.items().stream().map(WebhookRows::endpoint).toList(), p.nextCursor());
  }

  @Override
  public Optional<WebhookEndpoint> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.webhooks().findEndpoint(scope, id))
        .map(WebhookRows::endpoint);
  }

  @Override
  public WebhookEndpoint update(UUID id, WebhookSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String url = checkUrl(spec.url());
    return change(id, (tx, e, now) -> {
      checkInboxes(tx, e.organizationId(), spec);
      return new WebhookEndpointRecord(e.id(), e.organizationId(), url, e.secret(),
          e.previousSecret(), e.previousSecretExpiresAt(), names(spec), inboxes(spec),
          spec.description(), e.status(), e.failureCount(), e.lastSuccessAt(),
          e.lastFailureAt(), e.createdAt(), now, e.version() + 1);
    });
  }

  @Override
  public WebhookRegistration rotateSecret(UUID id) {
    String secret = newSecret();
    WebhookEndpoint e = change(id, (tx, old, now) -> new WebhookEndpointRecord(old.id(),
        old.organizationId(), old.url(), secret, Optional.of(old.secret()),
        Optional.of(now.plus(settings.secretGracePeriod())), old.events(), old.inboxIds(),
        old.description(), old.status(), old.failureCount(), old.lastSuccessAt(),
        old.lastFailureAt(), old.createdAt(), now, old.version() + 1));
    return new WebhookRegistration(e, secret);
  }

  @Override
  public WebhookEndpoint disable(UUID id) {
    return change(id, (tx, e, now) -> Dispatcher.withHealth(e, WebhookRows.DISABLED,
        e.failureCount(), e.lastSuccessAt(), e.lastFailureAt(), now));
  }

  @Override
  public WebhookEndpoint enable(UUID id) {
    return change(id, (tx, e, now) -> Dispatcher.withHealth(e, WebhookRows.ACTIVE, 0,
        e.lastSuccessAt(), e.lastFailureAt(), now));
  }

  @Override
  public void delete(UUID id) {
    Objects.requireNonNull(id, "id");
    boolean deleted = engine.store().inTransaction(tx -> tx.webhooks().findEndpoint(scope, id)
        .map(e -> tx.webhooks().deleteEndpoint(e.id())).orElse(false));
    if (!deleted) {
      throw new NotFoundException("webhook endpoint", id.toString());
    }
  }

  @Override
  public Page<WebhookDelivery> deliveries(UUID endpointId, WebhookDeliveryFilter filter,
      PageRequest page) {
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(DELIVERIES, page);
    List<WebhookDeliveryRecord> rows = engine.store().inTransaction(tx -> {
      tx.webhooks().findEndpoint(scope, endpointId).orElseThrow(
          () -> new NotFoundException("webhook endpoint", endpointId.toString()));
      return tx.webhooks().listDeliveries(endpointId, filter.status().map(WebhookRows::code),
          filter.eventType().map(WebhookEventType::wireName), after, page.limit() + 1);
    });
    Page<WebhookDeliveryRecord> p = Cursors.keysetPage(DELIVERIES, rows, page.limit(),
        d -> new Keyset(d.createdAt(), d.id()));
    return new Page<>(p.items().stream().map(WebhookRows::delivery).toList(), p.nextCursor());
  }

  @Override
  public WebhookDelivery replay(UUID deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Instant now = engine.config().clock().instant();
    return engine.store().inTransaction(tx -> {
      WebhookDeliveryRecord d = tx.webhooks().findDelivery(scope, deliveryId).orElseThrow(
          () -> new NotFoundException("webhook delivery", deliveryId.toString()));
      return WebhookRows.delivery(requeue(tx, d, now));
    });
  }

  @Override
  public int replayFailed(UUID endpointId, Instant since) {
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(since, "since");
    Instant now = engine.config().clock().instant();
    return engine.store().inTransaction(tx -> {
      tx.webhooks().findEndpoint(scope, endpointId).orElseThrow(
          () -> new NotFoundException("webhook endpoint", endpointId.toString()));
      int n = 0;
      Optional<Keyset> after = Optional.empty();
      while (true) {
        List<WebhookDeliveryRecord> page = tx.webhooks().listDeliveries(endpointId,
            Optional.of(WebhookRows.FAILED), Optional.empty(), after, PageRequest.MAX_LIMIT);
        List<WebhookDeliveryRecord> recent = page.stream()
            .filter(d -> !d.createdAt().isBefore(since)).toList();
        for (WebhookDeliveryRecord d : recent) {
          requeue(tx, d, now);
          n++;
        }
        if (recent.size() < page.size() || page.size() < PageRequest.MAX_LIMIT) {
          return n;
        }
        WebhookDeliveryRecord last = page.get(page.size() - 1);
        after = Optional.of(new Keyset(last.createdAt(), last.id()));
      }
    });
  }

  private static WebhookDeliveryRecord requeue(StoreTransaction tx, WebhookDeliveryRecord d,
      Instant now) {
    WebhookDeliveryRecord again = new WebhookDeliveryRecord(d.id(), d.endpointId(), d.eventId(),
        d.eventType(), d.payload(), WebhookRows.PENDING, 0, now, Optional.empty(),
        d.lastError(), d.lastAttemptAt(), d.createdAt(), d.version() + 1);
    if (!tx.webhooks().updateDelivery(again, d.version())) {
      throw new IllegalStateException("webhook delivery " + d.id() + " is being attempted right"
          + " now; replay it again once the attempt is recorded");
    }
    return again;
  }

  @Override
  public void addListener(WebhookListener listener) {
    ScopeRules.unscopedOnly(scope, "webhooks().addListener");
    dispatcher.addListener(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public WebhookDispatcher dispatcher() {
    ScopeRules.unscopedOnly(scope, "webhooks().dispatcher");
    return dispatcher;
  }

  /** Stops the dispatcher. */
  public void close() {
    dispatcher.close();
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A read-modify-write of one endpoint, guarded by its version. */
  @FunctionalInterface
  private interface EndpointChange {
    WebhookEndpointRecord apply(StoreTransaction tx, WebhookEndpointRecord current, Instant now);
  }

  private WebhookEndpoint change(UUID id, EndpointChange change) {
    Objects.requireNonNull(id, "id");
    for (int attempt = 1; ; attempt++) {
      Optional<WebhookEndpointRecord> done = engine.store().inTransaction(tx -> {
        WebhookEndpointRecord e = tx.webhooks().findEndpoint(scope, id).orElseThrow(
            () -> new NotFoundException("webhook endpoint", id.toString()));
        WebhookEndpointRecord u = change.apply(tx, e, engine.config().clock().instant());
        return tx.webhooks().updateEndpoint(u, e.version()) ? Optional.of(u) : Optional.empty();
      });
      if (done.isPresent()) {
        return WebhookRows.endpoint(done.get());
      }
      if (attempt >= 5) {
        throw new IllegalStateException("webhook endpoint " + id + " kept changing"
            + " concurrently; try again");
      }
    }
  }

  private String checkUrl(String url) {
    if (url.length() > MAX_URL) {
      throw new ValidationException("url", "must be at most " + MAX_URL + " characters, got "
          + url.length());
    }
    engine.config().rules().singleLine("url", url);
    // before the lookup: a URL mailcore could not deliver to the checked address is refused
    // whatever its host resolves to
    Connections.requirePinnable(SsrfGuard.parse(url), settings.allowLoopback());
    return guard.check(url).toString();
  }

  private static void checkInboxes(StoreTransaction tx, String org, WebhookSpec spec) {
    for (UUID inboxId : spec.inboxIds()) {
      // Scoped to the endpoint's organization in the store: another organization's inbox is
      // answered exactly like an inbox that does not exist.
      boolean ours = tx.inboxes().find(Scope.organization(org), inboxId)
          .filter(i -> !i.deleted()).isPresent();
      if (!ours) {
        throw new ValidationException("inboxIds", "inbox " + inboxId + " is not an inbox of"
            + " organization " + org + "; list the organization's inboxes with"
            + " mailboxes().list(domainId, ...)");
      }
    }
  }

  private static List<String> names(WebhookSpec spec) {
    List<String> out = new ArrayList<>();
    for (WebhookEventType t : WebhookEventType.values()) {
      if (spec.events().contains(t)) {
        out.add(t.wireName());
      }
    }
    return out;
  }

  private static Optional<List<UUID>> inboxes(WebhookSpec spec) {
    return spec.inboxIds().isEmpty() ? Optional.empty()
        : Optional.of(spec.inboxIds().stream().sorted().toList());
  }

  private static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
