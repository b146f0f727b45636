package dev.mailcore.internal.webhook;

import dev.mailcore.WebhookDispatcher;
import dev.mailcore.WebhookListener;
import dev.mailcore.WebhookNotice;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookVerifier;
import dev.mailcore.internal.engine.Engine;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher: claims due deliveries with a lease, posts them signed, and settles each
 * attempt guarded by the version its claim returned.
 *
 * <p>Concurrency: at most {@link WebhookSettings#workers()} requests are in flight, at most
 * {@link WebhookSettings#perEndpointConcurrency()} of them to one endpoint, and up to four times
 * {@code workers} rows are claimed ahead; the poller claims when half of that is free (so claims
 * come in batches while the other half keeps the workers busy). Claimed rows that cannot start
 * yet wait in one FIFO and start as soon as their endpoint and the pool have room. An endpoint
 * is left out of claims once it has more than twice its lane claimed and unanswered, so a busy
 * endpoint always has its next requests waiting and a hanging one holds only its own slots and
 * a bounded part of the read-ahead. After a claim that found nothing the poller waits the poll
 * interval, unless such an endpoint has room again. Requests are asynchronous
 * ({@link HttpClient#sendAsync}), so a hanging endpoint holds only its own slots until the read
 * timeout, never a thread other endpoints need. A waiting row whose lease would run out before
 * its attempt could finish is dropped unattempted; its lease then expires and it is due again.
 * Finished attempts are settled in batches, one transaction per batch, by one settler thread
 * that, while requests are still in flight, waits up to {@link #SETTLE_LINGER} for more (so a
 * busy dispatcher writes few, large batches and a quiet one settles at once).
 *
 * <p>Thread-safe.
 */
final class Dispatcher implements WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int CLAIM_BATCH = 100;
  private static final int SETTLE_ATTEMPTS = 8;
  private static final int SETTLERS = 1;
  private static final int SETTLE_BATCH = 256;
  /** Attempts waiting to be recorded beyond which no more rows are claimed. */
  private static final int SETTLE_BACKLOG = 1024;
  /**
   * How long the settler waits for more finished attempts while requests are still in flight,
   * so a busy dispatcher settles in a few large transactions instead of many small ones.
   */
  static final Duration SETTLE_LINGER = Duration.ofMillis(20);
  /** Finished deliveries older than the retention are looked for at most this often. */
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  private static final int PURGE_BATCH = 1000;
  private static final int PURGE_BATCHES_PER_RUN = 100;
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
  private final List<Thread> settlers = new ArrayList<>();
  private final LinkedBlockingQueue<Settlement> settleQueue = new LinkedBlockingQueue<>();
  /** Built on first use, so an instance that never delivers starts no threads. */
  private Connections connections;

  private final Object lock = new Object();
  /** Requests in flight per endpoint. */
  private final Map<UUID, Integer> lanes = new HashMap<>();
  /** Claimed rows per endpoint not yet answered (in flight or waiting). */
  private final Map<UUID, Integer> queued = new HashMap<>();
  /** An endpoint left out of claims has room again: the poller need not wait out its pause. */
  private boolean claimable;
  /** Claimed rows not started yet, oldest first. */
  private final ArrayDeque<Claimed> waiting = new ArrayDeque<>();
  private int inFlight;
  private int outstanding;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.MIN);
  private final AtomicBoolean closed = new AtomicBoolean();
  private Thread poller;

  /** A claimed delivery with its endpoint as read in the claim. */
  private record Claimed(WebhookDeliveryRecord delivery, WebhookEndpointRecord endpoint,
      CompletableFuture<Void> done) {}

  /** A finished attempt waiting to be recorded. */
  private record Settlement(Claimed claimed, Outcome outcome) {}

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
  }

  /** Starts the settlers and builds the clients, once. */
  private synchronized Connections running() {
    if (closed.get()) {
      throw new IllegalStateException("webhook dispatcher closed");
    }
    if (connections == null) {
      for (int i = 0; i < SETTLERS; i++) {
        Thread t = daemon(this::settleLoop, "mailcore-webhook-settle-" + i);
        settlers.add(t);
        t.start();
      }
      connections = new Connections(settings, http, guard);
    }
    return connections;
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
    purgeIfDue();
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
    // The poller and the settler are not interrupted: an interrupt in the middle of a JDBC call
    // closes the connection's socket. They see `closed` within a poll interval; a claim or
    // settle in progress finishes (rows claimed and not attempted are due when their lease
    // ends).
    http.shutdownNow();
    synchronized (this) { // after `closed`, running() builds no new Connections
      if (connections != null) {
        connections.close();
      }
    }
    synchronized (lock) {
      waiting.forEach(c -> c.done().complete(null));
      waiting.clear();
      lock.notifyAll();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this webhook dispatcher is closed (its MailCore was"
          + " closed); build a new MailCore");
    }
  }

  /** Rows claimed and not yet attempted to the end, at most. */
  private int readAhead() {
    return 4 * settings.workers();
  }

  // ---- polling ------------------------------------------------------------------------------

  /**
   * Room for this many more claimed rows before the poller claims: half the read-ahead, so a
   * claim is a batch (not one row per finished request) and the other half keeps the workers
   * busy while the claim runs.
   */
  private int claimAt() {
    return Math.max(1, readAhead() / 2);
  }

  /**
   * Claimed and unanswered rows of one endpoint from which on it is left out of claims: its
   * {@link WebhookSettings#perEndpointConcurrency()} in flight and more than as many waiting,
   * so its next requests start as the current ones end (no claim round trip in between), and a
   * hanging endpoint holds only that many rows of the read-ahead (plus what one claim brought
   * in). One more than twice the lane: with a single busy endpoint whose lane is all the
   * workers, the poller's claim at half the read-ahead then finds it not yet left out, instead
   * of claiming nothing and waiting for its next answer.
   */
  private int endpointQueueLimit() {
    return 2 * settings.perEndpointConcurrency() + 1;
  }

  private void poll() {
    boolean idle = false; // the last claim found nothing to do
    long pause = settings.pollInterval().toNanos();
    while (!closed.get()) {
      try {
        int free;
        synchronized (lock) {
          // Wait for room (a batch's worth) and, after a claim that found nothing, for the poll
          // interval, unless an endpoint that was left out has room again. Checked under the
          // lock the responses notify on, so no wake-up is lost between check and wait. Other
          // wake-ups (settled batches) do not start a claim that would find nothing again.
          long idleUntil = System.nanoTime() + pause;
          while (true) {
            if (closed.get()) {
              return;
            }
            free = readAhead() - outstanding;
            boolean room = free >= claimAt() && settleQueue.size() < SETTLE_BACKLOG;
            if (claimable) {
              idle = false;
            }
            long left = idle ? idleUntil - System.nanoTime() : 0;
            if (room && left <= 0) {
              break;
            }
            long waitMillis = room ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))
                : settings.pollInterval().toMillis();
            lock.wait(waitMillis);
          }
          claimable = false;
        }
        try {
          purgeIfDue();
        } catch (RuntimeException e) {
          if (closed.get()) {
            return;
          }
          LOG.warn("webhook dispatcher {} could not delete deliveries older than the retention"
              + " ({}); trying again in {}", owner, settings.retention(), PURGE_EVERY, e);
        }
        List<Claimed> batch = claim(Math.min(free, CLAIM_BATCH));
        batch.forEach(this::launch);
        idle = batch.isEmpty(); // nothing due: look again after the poll interval
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
      queued.forEach((id, n) -> {
        if (n >= endpointQueueLimit()) {
          saturated.add(id);
        }
      });
    }
    Instant now = clock.instant();
    return engine.inTransactionRetrying(tx -> {
      List<WebhookDeliveryRecord> rows = tx.webhooks().claimDue(now, owner,
          now.plus(settings.leaseDuration()), saturated, limit);
      Map<UUID, WebhookEndpointRecord> endpoints = endpoints(tx, rows);
      List<Claimed> out = new ArrayList<>(rows.size());
      for (WebhookDeliveryRecord d : rows) {
        WebhookEndpointRecord e = endpoints.get(d.endpointId());
        if (e != null) {
          out.add(new Claimed(d, e, new CompletableFuture<>()));
        }
      }
      return out;
    });
  }

  /** The endpoints of these rows, read in one query. */
  private static Map<UUID, WebhookEndpointRecord> endpoints(StoreTransaction tx,
      List<WebhookDeliveryRecord> rows) {
    Set<UUID> ids = new HashSet<>();
    rows.forEach(d -> ids.add(d.endpointId()));
    Map<UUID, WebhookEndpointRecord> byId = new HashMap<>();
    tx.webhooks().findEndpoints(ids).forEach(e -> byId.put(e.id(), e));
    return byId;
  }

  /**
   * Deletes delivered and failed rows older than {@link WebhookSettings#retention()} in batches
   * (one transaction each, so no long lock), when a run is due: at most every
   * {@link #PURGE_EVERY} per dispatcher, clock time.
   *
   * @return the rows deleted
   */
  int purgeIfDue() {
    Instant now = clock.instant();
    Instant due = nextPurge.get();
    if (now.isBefore(due) || !nextPurge.compareAndSet(due, now.plus(PURGE_EVERY))) {
      return 0;
    }
    Instant before = now.minus(settings.retention());
    int total = 0;
    for (int i = 0; i < PURGE_BATCHES_PER_RUN && !closed.get(); i++) {
      int n = engine.inTransactionRetrying(tx -> tx.webhooks().deleteFinishedDeliveries(before,
          PURGE_BATCH));
      total += n;
      if (n < PURGE_BATCH) {
        break;
      }
    }
    if (total > 0) {
      LOG.debug("webhook dispatcher {} deleted {} finished deliveries created before {}",
          owner, total, before);
    }
    return total;
  }

  // ---- lanes --------------------------------------------------------------------------------

  private void launch(Claimed c) {
    List<Claimed> start;
    synchronized (lock) {
      outstanding++;
      queued.merge(c.endpoint().id(), 1, Integer::sum);
      waiting.add(c);
      start = startable();
    }
    start.forEach(this::attempt);
  }

  /** The request is over: its slots go to the next waiting rows while it is settled. */
  private void responded(Claimed c) {
    List<Claimed> start;
    synchronized (lock) {
      inFlight--;
      outstanding--;
      unqueue(c);
      if (readAhead() - outstanding == claimAt()) {
        lock.notifyAll(); // room for a claim batch
      }
      lanes.computeIfPresent(c.endpoint().id(), (id, n) -> n > 1 ? n - 1 : null);
      start = startable();
    }
    start.forEach(this::attempt);
  }

  /** One claimed row of this endpoint less; holds the lock. */
  private void unqueue(Claimed c) {
    Integer n = queued.computeIfPresent(c.endpoint().id(), (id, k) -> k > 1 ? k - 1 : null);
    if ((n == null ? 0 : n) == endpointQueueLimit() - 1) {
      claimable = true; // it was left out of claims and has room again
      lock.notifyAll();
    }
  }

  /** The attempt is recorded (or abandoned). */
  private void finished(Claimed c) {
    c.done().complete(null);
  }

  /** Takes the waiting rows that may start now, and counts them in flight. Holds the lock. */
  private List<Claimed> startable() {
    List<Claimed> start = new ArrayList<>();
    Instant latestStart = clock.instant().plus(settings.connectTimeout())
        .plus(settings.readTimeout());
    for (java.util.Iterator<Claimed> it = waiting.iterator();
        it.hasNext() && inFlight < settings.workers(); ) {
      Claimed w = it.next();
      if (!w.delivery().nextAttemptAt().isAfter(latestStart)) {
        it.remove(); // lease too short to finish: let it expire and be claimed again
        outstanding--;
        unqueue(w);
        w.done().complete(null);
      } else if (lanes.getOrDefault(w.endpoint().id(), 0) < settings.perEndpointConcurrency()) {
        it.remove();
        lanes.merge(w.endpoint().id(), 1, Integer::sum);
        inFlight++;
        start.add(w);
      }
    }
    return start;
  }

  // ---- one attempt --------------------------------------------------------------------------

  private void attempt(Claimed c) {
    CompletableFuture<Outcome> sent;
    try {
      Connections targets = running();
      // built on the calling thread (the poller, or the client thread that just finished a
      // request): signing is microseconds, and the host lookup is normally the JVM's cache
      CompletableFuture<Connections.Target> built;
      try {
        built = CompletableFuture.completedFuture(request(c, targets));
      } catch (RuntimeException refused) { // not a public address (any more)
        built = CompletableFuture.failedFuture(refused);
      }
      sent = built
          .thenCompose(t -> t.client().sendAsync(t.request().build(),
              HttpResponse.BodyHandlers.discarding()))
          .handle((resp, error) -> resp != null ? new Outcome(resp.statusCode(),
              resp.statusCode() / 100 == 2 ? null : "HTTP " + resp.statusCode())
              : new Outcome(0, targets.explain(c.endpoint().url(), describe(error))));
    } catch (RuntimeException rejected) { // closed
      responded(c);
      finished(c);
      return;
    }
    sent.whenComplete((o, e) -> {
      responded(c);
      if (o == null) {
        finished(c);
      } else {
        settleQueue.add(new Settlement(c, o));
      }
    });
  }

  private Connections.Target request(Claimed c, Connections targets) {
    // checked again at send time: DNS may have changed since registration; the connection
    // goes to an address that was checked (see Connections)
    Connections.Target target = targets.target(SsrfGuard.parse(c.endpoint().url()));
    byte[] body = c.delivery().payload().getBytes(StandardCharsets.UTF_8);
    String id = c.delivery().eventId().toString();
    long ts = wallClock.instant().getEpochSecond();
    String signature = WebhookVerifier.sign(c.endpoint().secret(), id, ts, body);
    WebhookEndpointRecord e = c.endpoint();
    if (e.previousSecret().isPresent() && e.previousSecretExpiresAt()
        .filter(at -> at.isAfter(clock.instant())).isPresent()) {
      signature += " " + WebhookVerifier.sign(e.previousSecret().get(), id, ts, body);
    }
    target.request()
        .timeout(settings.readTimeout())
        .header("content-type", "application/json")
        .header("user-agent", "mailcore-webhooks/1")
        .header(WebhookVerifier.ID_HEADER, id)
        .header(WebhookVerifier.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookVerifier.SIGNATURE_HEADER, signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return target;
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

  private void settleLoop() {
    List<Settlement> batch = new ArrayList<>();
    while (!closed.get()) {
      try {
        Settlement first = settleQueue.poll(settings.pollInterval().toMillis(),
            TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        return;
      }
      settleQueue.drainTo(batch, SETTLE_BATCH - 1);
      try {
        linger(batch);
      } catch (InterruptedException e) {
        return;
      }
      try {
        settle(batch);
      } catch (RuntimeException e) {
        if (!closed.get()) {
          LOG.warn("{} webhook attempts could not be recorded; their leases will expire and"
              + " they will be tried again", batch.size(), e);
        }
      } finally {
        batch.forEach(s -> finished(s.claimed()));
        batch.clear();
        synchronized (lock) {
          lock.notifyAll(); // the backlog shrank
        }
      }
    }
  }

  /**
   * While requests are in flight, more attempts finish soon: sleeps up to {@link #SETTLE_LINGER}
   * (one wake-up, not one per finished attempt) and takes what finished meanwhile, so the batch
   * shares one transaction. With nothing in flight (a quiet dispatcher, the end of a
   * {@link #dispatchDue()}) or a full batch it settles at once.
   */
  private void linger(List<Settlement> batch) throws InterruptedException {
    if (batch.size() >= SETTLE_BATCH || closed.get()) {
      return;
    }
    synchronized (lock) {
      if (inFlight == 0) {
        return;
      }
    }
    TimeUnit.NANOSECONDS.sleep(SETTLE_LINGER.toNanos());
    settleQueue.drainTo(batch, SETTLE_BATCH - batch.size());
  }

  /** Records attempts in one transaction; retried when another writer changed an endpoint. */
  private void settle(List<Settlement> batch) {
    for (int i = 1; ; i++) {
      try {
        List<WebhookNotice> notices = engine.inTransactionRetrying(tx -> settleIn(tx, batch));
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
          throw new IllegalStateException("webhook endpoints kept changing while recording "
              + batch.size() + " attempts", e);
        }
      }
    }
  }

  private List<WebhookNotice> settleIn(StoreTransaction tx, List<Settlement> batch) {
    Instant now = clock.instant();
    List<WebhookDeliveryRecord> settled = new ArrayList<>(batch.size());
    List<Long> held = new ArrayList<>(batch.size());
    for (Settlement s : batch) {
      settled.add(settled(s.claimed().delivery(), s.outcome(), now));
      held.add(s.claimed().delivery().version());
    }
    List<Boolean> written = tx.webhooks().updateDeliveries(settled, held);
    Map<UUID, WebhookEndpointRecord> read = endpoints(tx, settled);
    Map<UUID, WebhookEndpointRecord> changed = new HashMap<>();
    List<WebhookNotice> notices = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Settlement s = batch.get(i);
      if (!written.get(i)) {
        LOG.info("webhook delivery {}: lease lost before the attempt was recorded (another"
            + " dispatcher took it over); result {} dropped", settled.get(i).id(), s.outcome());
        continue;
      }
      health(settled.get(i), s.outcome(), now, read, changed, notices);
    }
    for (WebhookEndpointRecord e : changed.values()) {
      long readVersion = read.get(e.id()).version();
      if (!tx.webhooks().updateEndpoint(e, readVersion)) {
        throw new EndpointChanged();
      }
    }
    for (WebhookNotice n : notices) {
      outbox.notice(tx, n);
    }
    return notices;
  }

  /** The row after this attempt: delivered, failed, or pending with its next attempt time. */
  private WebhookDeliveryRecord settled(WebhookDeliveryRecord d, Outcome o, Instant now) {
    String status = o.success() ? WebhookRows.DELIVERED
        : o.gone() || exhausted(d, o) ? WebhookRows.FAILED : WebhookRows.PENDING;
    Instant next = status.equals(WebhookRows.PENDING)
        ? now.plus(delay(settings.retryDelays().get(d.attempts() - 1))) : d.nextAttemptAt();
    Optional<String> error = o.success() ? Optional.empty() : Optional.of(o.gone()
        ? "HTTP 410 Gone: the endpoint was disabled" : o.error());
    return new WebhookDeliveryRecord(d.id(), d.endpointId(), d.eventId(), d.eventType(),
        d.payload(), status, d.attempts(), next, Optional.empty(), error, d.lastAttemptAt(),
        d.createdAt(), d.version() + 1);
  }

  private boolean exhausted(WebhookDeliveryRecord d, Outcome o) {
    return !o.success() && !o.gone() && d.attempts() > settings.retryDelays().size();
  }

  /** The endpoint's health after a recorded attempt, and the notices it raises. */
  private void health(WebhookDeliveryRecord d, Outcome o, Instant now,
      Map<UUID, WebhookEndpointRecord> read, Map<UUID, WebhookEndpointRecord> changed,
      List<WebhookNotice> notices) {
    WebhookEndpointRecord stored = read.get(d.endpointId());
    if (stored == null) {
      return;
    }
    WebhookEndpointRecord e = changed.getOrDefault(d.endpointId(), stored);
    WebhookEndpointRecord updated = o.success() ? succeeded(e, now, notices)
        : failed(e, o, now, notices);
    if (updated != null) {
      changed.put(e.id(), updated);
    }
    if (d.status().equals(WebhookRows.FAILED) && !o.gone()) {
      notices.add(new WebhookNotice.DeliveryExhausted(e.id(), e.organizationId(), d.id(),
          d.eventId(), d.lastError().orElse("")));
    }
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
