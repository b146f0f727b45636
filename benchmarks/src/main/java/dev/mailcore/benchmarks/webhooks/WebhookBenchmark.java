package dev.mailcore.benchmarks.webhooks;

import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Webhook delivery throughput on PostgreSQL: deliveries/s from the outbox (claim, sign, POST,
 * settle, each settle its own transaction) to local receivers, with 1 and with 20 endpoints,
 * against a bare {@link HttpClient} posting the same payloads to the same receivers with the
 * same concurrency in the same run (the ceiling: no database, no signing). The rows are written
 * to the outbox before the clock starts, so both sides time delivery only. Not a test. Writes
 * benchmarks/results/webhooks.txt.
 *
 * <p>Environment: {@code MAILCORE_BENCH_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}); system properties
 * {@code -Ddeliveries=4000} per round, {@code -Dworkers=16}, {@code -Drounds=3}.
 */
public final class WebhookBenchmark {
  private static final String SCHEMA = "mc_bench_webhooks";

  private WebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    String user = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_USER", "postgres");
    int deliveries = Integer.getInteger("deliveries", 4000);
    int workers = Integer.getInteger("workers", 16);
    int rounds = Integer.getInteger("rounds", 3);
    List<String> out = new ArrayList<>();
    out.add("mailcore webhook benchmark, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL at " + url);
    out.add(String.format(Locale.ROOT, "%,d deliveries per round, ~1.5 KB JSON each, %d workers"
        + " (mailcore: WebhookSettings.workers; baseline: %d concurrent sendAsync), receivers:"
        + " testkit WebhookReceiver (JDK HttpServer on 127.0.0.1), %d interleaved rounds,"
        + " median reported; a warm-up round of each is not reported", deliveries, workers,
        workers, rounds));
    String schema = SCHEMA;
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    try (PostgresMailStore store = PostgresMailStore.builder().jdbcUrl(url).username(user)
        .maximumPoolSize(workers + 4).schema(schema)
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build()) {
      for (int endpoints : new int[] {1, 20}) {
        out.add(run(store, endpoints, deliveries, workers, rounds, url, user));
      }
    }
    Path results = Path.of(System.getProperty("results", "benchmarks/results/webhooks.txt"));
    Files.createDirectories(results.getParent());
    Files.write(results, out, StandardCharsets.UTF_8);
    out.forEach(System.out::println);
    System.out.println("written to " + results.toAbsolutePath());
  }

  private static String run(PostgresMailStore store, int endpoints, int deliveries, int workers,
      int rounds, String url, String user) throws Exception {
    String org = "org-bench-" + endpoints;
    List<WebhookReceiver> receivers = new ArrayList<>();
    MailCore mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore())
        .webhooks(WebhookSettings.builder().allowLoopback(true).workers(workers)
            .perEndpointConcurrency(workers).pollInterval(Duration.ofMillis(20)).build())
        .build();
    try {
      UUID inboxId = seedInbox(store, org);
      List<WebhookRegistration> regs = new ArrayList<>();
      for (int i = 0; i < endpoints; i++) {
        WebhookReceiver r = WebhookReceiver.start();
        receivers.add(r);
        regs.add(mail.webhooks().register(org, WebhookSpec.of(r.url(),
            WebhookEventType.MESSAGE_RECEIVED)));
      }
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < deliveries; i++) {
        payloads.add(payload(org, inboxId, i));
      }
      mail.webhooks().dispatcher().start();
      // the previous configuration's rows are all delivered; this one's endpoints are new
      HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
          .build();
      double[] engine = new double[rounds];
      double[] baseline = new double[rounds];
      double[] ratios = new double[rounds];
      for (int round = -1; round < rounds; round++) {
        double e = viaOutbox(store, regs, receivers, payloads, url, user);
        double b = viaBareClient(bare, receivers, payloads, workers);
        if (round >= 0) {
          engine[round] = e;
          baseline[round] = b;
          ratios[round] = e / b;
        }
      }
      return String.format(Locale.ROOT, "%2d endpoint(s): ratio %.2f (median of per-round"
          + " ratios; target >= 0.70), mailcore outbox median %,.0f deliveries/s, bare HttpClient"
          + " median %,.0f/s; rounds (mailcore / bare = ratio): %s", endpoints, median(ratios),
          median(engine), median(baseline), rounds(engine, baseline));
    } finally {
      mail.close();
      receivers.forEach(WebhookReceiver::close);
    }
  }

  /**
   * Writes the rows to the outbox not yet due, makes them all due in one statement, then times
   * until every receiver has all of them: the delivery path alone, as the baseline.
   */
  private static double viaOutbox(PostgresMailStore store, List<WebhookRegistration> regs,
      List<WebhookReceiver> receivers, List<String> payloads, String url, String user)
      throws Exception {
    int before = total(receivers);
    Instant now = Instant.now().plus(Duration.ofDays(1));
    List<WebhookDeliveryRecord> rows = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      rows.add(new WebhookDeliveryRecord(UUID.randomUUID(),
          regs.get(i % regs.size()).endpoint().id(), UUID.randomUUID(), "message.received",
          payloads.get(i), "pending", 0, now, Optional.empty(), Optional.empty(),
          Optional.empty(), now, 0));
    }
    for (int i = 0; i < rows.size(); i += 500) {
      List<WebhookDeliveryRecord> batch = rows.subList(i, Math.min(rows.size(), i + 500));
      store.inTransaction(tx -> {
        tx.webhooks().insertDeliveries(batch);
        return null;
      });
    }
    long t0;
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + SCHEMA + ".webhook_deliveries SET next_attempt_at = now()"
          + " - interval '1 second' WHERE status = 'pending'");
      // from the commit on: the rows are due (the dispatcher's polling latency counts), the
      // benchmark's own UPDATE does not
      t0 = System.nanoTime();
    }
    while (total(receivers) - before < payloads.size()) {
      Thread.sleep(2);
    }
    return payloads.size() / ((System.nanoTime() - t0) / 1e9);
  }

  /** The same bodies to the same receivers, same concurrency, nothing else. */
  private static double viaBareClient(HttpClient client, List<WebhookReceiver> receivers,
      List<String> payloads, int concurrency) throws InterruptedException {
    int before = total(receivers);
    Semaphore slots = new Semaphore(concurrency);
    long t0 = System.nanoTime();
    List<CompletableFuture<?>> all = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      slots.acquire();
      HttpRequest req = HttpRequest.newBuilder(URI.create(receivers.get(i % receivers.size())
          .url())).timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payloads.get(i))).build();
      all.add(client.sendAsync(req, HttpResponse.BodyHandlers.discarding())
          .whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    double rate = payloads.size() / ((System.nanoTime() - t0) / 1e9);
    if (total(receivers) - before != payloads.size()) {
      throw new IllegalStateException("the baseline lost requests");
    }
    return rate;
  }

  private static int total(List<WebhookReceiver> receivers) {
    return receivers.stream().mapToInt(WebhookReceiver::requestCount).sum();
  }

  private static UUID seedInbox(PostgresMailStore store, String org) {
    Instant now = Instant.now();
    Domain d = new Domain(UUID.randomUUID(), org, org + ".test", Optional.empty(), List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), DnsVerification.NONE, now, now,
        Optional.empty());
    Inbox i = new Inbox(UUID.randomUUID(), d.id(), "Support", "support", false, now, now,
        Optional.empty());
    store.inTransaction(tx -> tx.domains().insert(d) && tx.inboxes().insert(i));
    return i.id();
  }

  /** A message.received payload the size of a real one (envelope, no bodies). */
  private static String payload(String org, UUID inboxId, int n) {
    UUID id = UUID.randomUUID();
    StringBuilder refs = new StringBuilder();
    for (int r = 0; r < 6; r++) {
      refs.append(r == 0 ? "" : ",").append("\"<ref").append(r).append('.').append(n)
          .append("@mail.customer.test>\"");
    }
    return "{\"id\":\"" + id + "\",\"type\":\"message.received\",\"version\":1,"
        + "\"created_at\":\"" + Instant.now() + "\",\"organization_id\":\"" + org + "\","
        + "\"inbox_id\":\"" + inboxId + "\",\"sequence\":1,\"data\":{\"message\":{"
        + "\"id\":\"" + UUID.randomUUID() + "\",\"message_id\":\"msg" + n
        + ".a8f3@mail.customer.test\",\"thread_id\":\"" + UUID.randomUUID() + "\","
        + "\"inbox_id\":\"" + inboxId + "\",\"direction\":\"inbound\","
        + "\"from\":{\"address\":\"ann.lee@customer.test\",\"name\":\"Ann Lee\"},"
        + "\"to\":[{\"address\":\"support@" + org + ".test\",\"name\":\"Support\"}],"
        + "\"cc\":[{\"address\":\"bob@customer.test\"}],"
        + "\"subject\":\"Re: Order #" + (10_000 + n) + " has not arrived yet - can you check?\","
        + "\"sent_at\":\"2026-11-30T10:15:30Z\",\"in_reply_to\":\"ref5." + n
        + "@mail.customer.test\",\"references\":[" + refs + "],"
        + "\"attachments\":[{\"id\":\"" + UUID.randomUUID() + "\",\"filename\":\"invoice-"
        + n + ".pdf\",\"content_type\":\"application/pdf\",\"size_bytes\":48213,"
        + "\"inline\":false}],\"created_at\":\"2026-11-30T10:15:31Z\"}}}";
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static String rounds(double[] engine, double[] baseline) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < engine.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f / %,.0f = %.2f",
          engine[i], baseline[i], engine[i] / baseline[i]));
    }
    return b.toString();
  }
}
