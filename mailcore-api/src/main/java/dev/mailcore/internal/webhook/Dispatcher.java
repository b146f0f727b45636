package dev.mailcore.internal.webhook;

import dev.mailcore.WebhookDispatcher;
import dev.mailcore.WebhookListener;
import dev.mailcore.WebhookNotice;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookVerifier;
import dev.mailcore.internal.engine.Engine;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher: claims due deliveries with a lease, posts them signed, and settles each
 * attempt guarded by the version its claim returned.
 *
 * <p>Concurrency: at most {@link WebhookSettings#workers()} claimed deliveries are outstanding,
 * and at most {@link WebhookSettings#perEndpointConcurrency()} of them in flight to one
 * endpoint; the rest of an endpoint's claimed rows wait in its lane. Requests are asynchronous
 * ({@link HttpClient#sendAsync}), so a hanging endpoint holds only its own lane's slots until
 * the read timeout, never a thread other endpoints need. A queued row whose lease would run out
 * before its attempt could finish is dropped unattempted; its lease then expires and it is due
 * again.
 *
 * <p>Thread-safe.
 */
final class Dispatcher implements WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int CLAIM_BATCH = 100;
  private static final int SETTLE_ATTEMPTS = 8;
  /** last_success_at is written at most this often for a healthy endpoint. */
  private static final Duration SUCCESS_STAMP = Duration.ofSeconds(1);

  private final Engine engine;
  private final WebhookSettings settings;
  private final WebhookOutbox outbox;
  private final SsrfGuard guard;
  private final Clock clock;
  /** The signature timestamp is the receiver's kind of time: the wall clock. */
  private final Clock wallClock = Clock.systemUTC();
  private final List<WebhookListener> listeners = new CopyOnWriteArrayList<>();
  private final String owner = "dispatcher-" + UUID.randomUUID();
  private final ExecutorService http;
  private final ExecutorService settlers;
  private final HttpClient client;

  private final Object lock = new Object();
  private final Map<UUID, Lane> lanes = new HashMap<>();
  private int outstanding;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Thread poller;

  /** The rows of one endpoint this dispatcher holds. */
  private static final class Lane {
    int inFlight;
    final ArrayDeque<Claimed> waiting = new ArrayDeque<>();
  }

  /** A claimed delivery with its endpoint as read in the claim. */
  private record Claimed(WebhookDeliveryRecord delivery, WebhookEndpointRecord endpoint,
      CompletableFuture<Void> done) {}

  /** How an attempt ended. */
  private record Outcome(int status, String error) {
    boolean success() {
      return status >= 200 && status < 300;
    }

    boolean gone() {
      return status == 410;
    }
  }

  Dispatcher(Engine engine, WebhookSettings settings, WebhookOutbox outbox, SsrfGuard guard) {
    this.engine = engine;
    this.settings = settings;
    this.outbox = outbox;
    this.guard = guard;
    this.clock = engine.config().clock();
    AtomicInteger n = new AtomicInteger();
    this.http = Executors.newCachedThreadPool(r -> daemon(r, "mailcore-webhook-http-"
        + n.incrementAndGet()));
    this.settlers = Executors.newFixedThreadPool(settings.workers(), r -> daemon(r,
        "mailcore-webhook-settle-" + n.incrementAndGet()));
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(settings.connectTimeout())
        .executor(http)
        .build();
  }

  void addListener(WebhookListener listener) {
    listeners.add(listener);
  }

  @Override
  public void start() {
    checkOpen();
    if (!started.compareAndSet(false, true)) {
      return;
    }
    poller = daemon(this::poll, "mailcore-webhook-poller");
    poller.start();
  }

  @Override
  public int dispatchDue() {
    checkOpen();
    Set<UUID> seen = new HashSet<>();
    int attempts = 0;
    while (!closed.get()) {
      List<Claimed> round = claim(CLAIM_BATCH);
      if (round.isEmpty()) {
        break;
      }
      boolean fresh = false;
      for (Claimed c : round) {
        fresh |= seen.add(c.delivery().id());
        launch(c);
      }
      attempts += round.size();
      CompletableFuture.allOf(round.stream().map(Claimed::done)
          .toArray(CompletableFuture[]::new)).join();
      if (!fresh) {
        break; // only rows this call already tried (zero retry delays): leave them for later
      }
    }
    return attempts;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread p = poller;
    if (p != null) {
      p.interrupt();
    }
    settlers.shutdownNow();
    http.shutdownNow();
    synchronized (lock) {
      for (Lane lane : lanes.values()) {
        lane.waiting.forEach(c -> c.done().complete(null));
      }
      lanes.clear();
      lock.notifyAll();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this webhook dispatcher is closed (its MailCore was"
          + " closed); build a new MailCore");
    }
  }

  // ---- polling ------------------------------------------------------------------------------

  private void poll() {
    while (!closed.get()) {
      try {
        int free;
        synchronized (lock) {
          free = settings.workers() - outstanding;
        }
        int claimed = 0;
        if (free > 0) {
          List<Claimed> batch = claim(Math.min(free, CLAIM_BATCH));
          batch.forEach(this::launch);
          claimed = batch.size();
        }
        if (claimed == 0 || claimed >= free) {
          synchronized (lock) {
            lock.wait(settings.pollInterval().toMillis());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed.get()) {
          return;
        }
        LOG.warn("webhook dispatcher {} could not claim deliveries; retrying in {}", owner,
            settings.pollInterval(), e);
        try {
          synchronized (lock) {
            lock.wait(settings.pollInterval().toMillis());
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private List<Claimed> claim(int limit) {
    Set<UUID> saturated = new HashSet<>();
    synchronized (lock) {
      lanes.forEach((id, lane) -> {
        if (lane.inFlight >= settings.perEndpointConcurrency()) {
          saturated.add(id);
        }
      });
    }
    Instant now = clock.instant();
    return engine.inTransactionRetrying(tx -> {
      List<WebhookDeliveryRecord> rows = tx.webhooks().claimDue(now, owner,
          now.plus(settings.leaseDuration()), saturated, limit);
      Map<UUID, Optional<WebhookEndpointRecord>> endpoints = new HashMap<>();
      List<Claimed> out = new ArrayList<>(rows.size());
      for (WebhookDeliveryRecord d : rows) {
        endpoints.computeIfAbsent(d.endpointId(), tx.webhooks()::findEndpoint)
            .ifPresent(e -> out.add(new Claimed(d, e, new CompletableFuture<>())));
      }
      return out;
    });
  }

  // ---- lanes --------------------------------------------------------------------------------

  private void launch(Claimed c) {
    synchronized (lock) {
      outstanding++;
      Lane lane = lanes.computeIfAbsent(c.endpoint().id(), id -> new Lane());
      if (lane.inFlight < settings.perEndpointConcurrency()) {
        lane.inFlight++;
      } else {
        lane.waiting.add(c);
        return;
      }
    }
    attempt(c);
  }

  private void finished(Claimed c) {
    List<Claimed> next = new ArrayList<>();
    synchronized (lock) {
      outstanding--;
      Lane lane = lanes.get(c.endpoint().id());
      if (lane != null) {
        lane.inFlight--;
        Instant latestStart = clock.instant().plus(settings.connectTimeout())
            .plus(settings.readTimeout());
        while (!lane.waiting.isEmpty()) {
          Claimed w = lane.waiting.poll();
          if (w.delivery().nextAttemptAt().isAfter(latestStart)) {
            lane.inFlight++;
            next.add(w);
            break;
          }
          outstanding--; // lease too short to finish: let it expire and be claimed again
          w.done().complete(null);
        }
        if (lane.inFlight == 0 && lane.waiting.isEmpty()) {
          lanes.remove(c.endpoint().id());
        }
      }
      lock.notifyAll();
    }
    c.done().complete(null);
    next.forEach(this::attempt);
  }

  // ---- one attempt --------------------------------------------------------------------------

  private void attempt(Claimed c) {
    CompletableFuture<Outcome> sent;
    try {
      sent = CompletableFuture.supplyAsync(() -> request(c), http)
          .thenCompose(req -> client.sendAsync(req, HttpResponse.BodyHandlers.discarding()))
          .handle((resp, error) -> resp != null ? new Outcome(resp.statusCode(),
              resp.statusCode() / 100 == 2 ? null : "HTTP " + resp.statusCode())
              : new Outcome(0, describe(error)));
    } catch (RuntimeException rejected) { // closed
      finished(c);
      return;
    }
    sent.thenAcceptAsync(o -> settle(c, o), settlers)
        .whenComplete((v, e) -> {
          if (e != null && !closed.get()) {
            LOG.warn("webhook delivery {} attempt could not be recorded; its lease will expire"
                + " and it will be tried again", c.delivery().id(), e);
          }
          finished(c);
        });
  }

  private HttpRequest request(Claimed c) {
    URI uri = SsrfGuard.parse(c.endpoint().url());
    guard.resolvePublic(uri); // again at send time: DNS may have changed since registration
    byte[] body = c.delivery().payload().getBytes(StandardCharsets.UTF_8);
    String id = c.delivery().eventId().toString();
    long ts = wallClock.instant().getEpochSecond();
    String signature = WebhookVerifier.sign(c.endpoint().secret(), id, ts, body);
    WebhookEndpointRecord e = c.endpoint();
    if (e.previousSecret().isPresent() && e.previousSecretExpiresAt()
        .filter(at -> at.isAfter(clock.instant())).isPresent()) {
      signature += " " + WebhookVerifier.sign(e.previousSecret().get(), id, ts, body);
    }
    return HttpRequest.newBuilder(uri)
        .timeout(settings.readTimeout())
        .header("content-type", "application/json")
        .header("user-agent", "mailcore-webhooks/1")
        .header(WebhookVerifier.ID_HEADER, id)
        .header(WebhookVerifier.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookVerifier.SIGNATURE_HEADER, signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static String describe(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  // ---- settling -----------------------------------------------------------------------------

  /** Records an attempt; retried when another writer changed the endpoint in between. */
  private void settle(Claimed c, Outcome o) {
    for (int i = 1; ; i++) {
      try {
        List<WebhookNotice> notices = engine.inTransactionRetrying(tx -> settleIn(tx, c, o));
        for (WebhookNotice n : notices) {
          for (WebhookListener l : listeners) {
            try {
              l.onNotice(n);
            } catch (RuntimeException e) {
              LOG.warn("webhook listener {} failed on {}", l, n, e);
            }
          }
        }
        return;
      } catch (EndpointChanged e) {
        if (i >= SETTLE_ATTEMPTS) {
          throw new IllegalStateException("endpoint " + c.endpoint().id() + " kept changing"
              + " while recording an attempt", e);
        }
      }
    }
  }

  private List<WebhookNotice> settleIn(StoreTransaction tx, Claimed c, Outcome o) {
    WebhookDeliveryRecord d = c.delivery();
    Instant now = clock.instant();
    boolean exhausted = !o.success() && !o.gone() && d.attempts() > settings.retryDelays().size();
    String status = o.success() ? WebhookRows.DELIVERED
        : o.gone() || exhausted ? WebhookRows.FAILED : WebhookRows.PENDING;
    Instant next = status.equals(WebhookRows.PENDING)
        ? now.plus(delay(settings.retryDelays().get(d.attempts() - 1))) : d.nextAttemptAt();
    Optional<String> error = o.success() ? Optional.empty() : Optional.of(o.gone()
        ? "HTTP 410 Gone: the endpoint was disabled" : o.error());
    WebhookDeliveryRecord settled = new WebhookDeliveryRecord(d.id(), d.endpointId(),
        d.eventId(), d.eventType(), d.payload(), status, d.attempts(), next, Optional.empty(),
        error, d.lastAttemptAt(), d.createdAt(), d.version() + 1);
    if (!tx.webhooks().updateDelivery(settled, d.version())) {
      LOG.info("webhook delivery {}: lease lost before the attempt was recorded (another"
          + " dispatcher took it over); result {} dropped", d.id(), o);
      return List.of();
    }
    Optional<WebhookEndpointRecord> current = tx.webhooks().findEndpoint(d.endpointId());
    if (current.isEmpty()) {
      return List.of();
    }
    WebhookEndpointRecord e = current.get();
    List<WebhookNotice> notices = new ArrayList<>();
    WebhookEndpointRecord changed = o.success() ? succeeded(e, now, notices)
        : failed(e, o, now, notices);
    if (changed != null && !tx.webhooks().updateEndpoint(changed, e.version())) {
      throw new EndpointChanged();
    }
    if (exhausted) {
      notices.add(new WebhookNotice.DeliveryExhausted(e.id(), e.organizationId(), d.id(),
          d.eventId(), error.orElse("")));
    }
    for (WebhookNotice n : notices) {
      outbox.notice(tx, n);
    }
    return notices;
  }

  private WebhookEndpointRecord succeeded(WebhookEndpointRecord e, Instant now,
      List<WebhookNotice> notices) {
    boolean healthy = e.failureCount() == 0 && !e.status().equals(WebhookRows.WARNING);
    if (healthy && e.lastSuccessAt().filter(t -> t.plus(SUCCESS_STAMP).isAfter(now))
        .isPresent()) {
      return null;
    }
    String status = e.status().equals(WebhookRows.DISABLED) ? WebhookRows.DISABLED
        : WebhookRows.ACTIVE;
    if (e.status().equals(WebhookRows.WARNING)) {
      notices.add(new WebhookNotice.EndpointRecovered(e.id(), e.organizationId()));
    }
    return withHealth(e, status, 0, Optional.of(now), e.lastFailureAt(), now);
  }

  private WebhookEndpointRecord failed(WebhookEndpointRecord e, Outcome o, Instant now,
      List<WebhookNotice> notices) {
    int failures = e.failureCount() + 1;
    String status = e.status();
    if (!status.equals(WebhookRows.DISABLED)) {
      if (o.gone()) {
        status = WebhookRows.DISABLED;
        notices.add(new WebhookNotice.EndpointDisabled(e.id(), e.organizationId(),
            "the endpoint answered 410 Gone"));
      } else if (failures >= settings.disableAfter()) {
        status = WebhookRows.DISABLED;
        notices.add(new WebhookNotice.EndpointDisabled(e.id(), e.organizationId(),
            failures + " consecutive failed attempts, the last: " + o.error()));
      } else if (failures >= settings.warningAfter()) {
        status = WebhookRows.WARNING;
      }
    }
    return withHealth(e, status, failures, e.lastSuccessAt(), Optional.of(now), now);
  }

  static WebhookEndpointRecord withHealth(WebhookEndpointRecord e, String status, int failures,
      Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Instant now) {
    return new WebhookEndpointRecord(e.id(), e.organizationId(), e.url(), e.secret(),
        e.previousSecret(), e.previousSecretExpiresAt(), e.events(), e.inboxIds(),
        e.description(), status, failures, lastSuccess, lastFailure, e.createdAt(), now,
        e.version() + 1);
  }

  private Duration delay(Duration base) {
    if (settings.jitter() == 0 || base.isZero()) {
      return base;
    }
    double factor = 1 + settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Duration.ofMillis(Math.round(base.toMillis() * factor));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Another writer changed the endpoint row between our read and write. */
  private static final class EndpointChanged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndpointChanged() {
      super("endpoint changed concurrently", null, false, false);
    }
  }
}
