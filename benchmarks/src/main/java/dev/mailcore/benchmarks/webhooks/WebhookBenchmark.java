package dev.mailcore.benchmarks.webhooks;

import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.benchmarks.support.CpuMeter;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Webhook delivery throughput on PostgreSQL: deliveries/s from the outbox (claim, sign, POST,
 * settle in batches) to local receivers, with 1 and with 20 endpoints,
 * against a bare {@link HttpClient} posting the same payloads to the same receivers with the
 * same concurrency in the same run (the ceiling: no database, no signing). The rows are written
 * to the outbox before the clock starts, so both sides time delivery only. Each side's CPU
 * ({@link CpuMeter}: this JVM, which also runs the receivers, and the PostgreSQL backends
 * connected to the benchmark's database, not the server's shared background processes) is
 * measured per delivery, the outbox side including the settle of its last batch, with the share
 * of the machine's cores busy meanwhile (from {@code /proc/stat}): a path that keeps the cores
 * busy is CPU-bound and its rate follows its CPU per delivery; one that leaves them idle waits.
 * Not a test. Writes benchmarks/results/webhooks.txt.
 *
 * <p>Environment: {@code MAILCORE_BENCH_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}); system properties
 * {@code -Ddeliveries=4000} per round, {@code -Dworkers=16}, {@code -Drounds=3},
 * {@code -Dendpoints=1,20} (the endpoint counts to measure), {@code -Dwarmups=3} (unreported
 * rounds of each side first). The CPU lines also split this JVM's CPU by thread group, the JIT
 * compiler and garbage collector threads included (from /proc on Linux).
 */
public final class WebhookBenchmark {
  private static final String SCHEMA = "mc_bench_webhooks";
  /** Unreported rounds of each side first: on two busy cores C2 needs several to settle. */
  private static final int WARMUPS = Integer.getInteger("warmups", 3);

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
        + " median reported; %d warm-up rounds of each are not reported", deliveries, workers,
        workers, rounds, WARMUPS));
    // PostgreSQL CPU of this database's backends only: others' tests share the server
    String database = CpuMeter.databaseOf(url);
    String schema = SCHEMA;
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    // one connection for the benchmark's own statements for the whole run: a backend that
    // exits takes its CPU time out of CpuMeter's sum, which would read as negative
    try (PostgresMailStore store = PostgresMailStore.builder().jdbcUrl(url).username(user)
        .maximumPoolSize(workers + 4).schema(schema)
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
        Connection admin = DriverManager.getConnection(url, user, null)) {
      for (String e : System.getProperty("endpoints", "1,20").split(",")) {
        int endpoints = Integer.parseInt(e.trim());
        out.add(run(store, admin, database, endpoints, deliveries, workers, rounds));
      }
    }
    Path results = Path.of(System.getProperty("results", "benchmarks/results/webhooks.txt"));
    Files.createDirectories(results.getParent());
    Files.write(results, out, StandardCharsets.UTF_8);
    out.forEach(System.out::println);
    System.out.println("written to " + results.toAbsolutePath());
  }

  private static String run(PostgresMailStore store, Connection admin, String database,
      int endpoints, int deliveries, int workers, int rounds) throws Exception {
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
      Sample[] engineCpu = new Sample[rounds];
      Sample[] bareCpu = new Sample[rounds];
      for (int round = -WARMUPS; round < rounds; round++) {
        Sample e = viaOutbox(store, regs, receivers, payloads, admin, database);
        Sample b = viaBareClient(bare, receivers, payloads, workers, database, admin);
        if (round >= 0) {
          engine[round] = e.rate();
          baseline[round] = b.rate();
          ratios[round] = e.rate() / b.rate();
          engineCpu[round] = e;
          bareCpu[round] = b;
        }
      }
      return String.format(Locale.ROOT, "%2d endpoint(s): ratio %.2f (median of per-round"
          + " ratios; target >= 0.70), mailcore outbox median %,.0f deliveries/s, bare HttpClient"
          + " median %,.0f/s; rounds (mailcore / bare = ratio): %s%n%s%n%s", endpoints,
          median(ratios), median(engine), median(baseline), rounds(engine, baseline),
          cpu("mailcore outbox", engineCpu, payloads.size()),
          cpu("bare HttpClient", bareCpu, payloads.size()));
    } finally {
      mail.close();
      receivers.forEach(WebhookReceiver::close);
    }
  }

  /**
   * Writes the rows to the outbox not yet due, makes them all due in one statement, then times
   * until every receiver has all of them: the delivery path alone, as the baseline.
   */
  private static Sample viaOutbox(PostgresMailStore store, List<WebhookRegistration> regs,
      List<WebhookReceiver> receivers, List<String> payloads, Connection admin, String database)
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
    CpuMeter meter;
    long[] machine;
    try (Statement s = admin.createStatement()) {
      s.executeUpdate("UPDATE " + SCHEMA + ".webhook_deliveries SET next_attempt_at = now()"
          + " - interval '1 second' WHERE status = 'pending'");
      // from the commit on: the rows are due (the dispatcher's polling latency counts), the
      // benchmark's own UPDATE does not
      t0 = System.nanoTime();
      long wal0 = walPosition(s);
      meter = CpuMeter.start(database);
      machine = machineTicks();
      Map<String, Long> threads = threadCpu();
      while (total(receivers) - before < payloads.size()) {
        Thread.sleep(2);
      }
      long wall = System.nanoTime() - t0;
      long[] machineEnd = machineTicks();
      // the settle of the last attempts is part of the path's CPU, not of its rate
      while (pending(s) > 0) {
        Thread.sleep(5);
      }
      double[] cpu = meter.elapsed();
      return new Sample(payloads.size() / (wall / 1e9), wall / 1e9, cpu,
          busy(machine, machineEnd), minus(threadCpu(), threads), walPosition(s) - wal0);
    }
  }

  /**
   * The server's WAL insert position in bytes. Server-wide: other databases' writes meanwhile
   * count too, so it is read as "about", and the bare side's figure shows the background.
   */
  private static long walPosition(Statement s) throws java.sql.SQLException {
    try (ResultSet r = s.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static int pending(Statement s) throws java.sql.SQLException {
    try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + SCHEMA
        + ".webhook_deliveries WHERE status = 'pending'")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** The same bodies to the same receivers, same concurrency, nothing else. */
  private static Sample viaBareClient(HttpClient client, List<WebhookReceiver> receivers,
      List<String> payloads, int concurrency, String database, Connection admin)
      throws Exception {
    int before = total(receivers);
    long wal0;
    try (Statement s = admin.createStatement()) {
      wal0 = walPosition(s);
    }
    Semaphore slots = new Semaphore(concurrency);
    CpuMeter meter = CpuMeter.start(database);
    long[] machine = machineTicks();
    Map<String, Long> threads = threadCpu();
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
    long wall = System.nanoTime() - t0;
    double[] cpu = meter.elapsed();
    long[] machineEnd = machineTicks();
    if (total(receivers) - before != payloads.size()) {
      throw new IllegalStateException("the baseline lost requests");
    }
    long wal;
    try (Statement s = admin.createStatement()) {
      wal = walPosition(s) - wal0;
    }
    return new Sample(payloads.size() / (wall / 1e9), wall / 1e9, cpu, busy(machine,
        machineEnd), minus(threadCpu(), threads), wal);
  }

  /**
   * One side of one round: rate, wall seconds, {jvm, postgres} CPU seconds, cores busy, and
   * the JVM's CPU nanoseconds by thread group, and the WAL bytes the server wrote meanwhile.
   */
  private record Sample(double rate, double wall, double[] cpu, double busyCores,
      Map<String, Long> threads, long walBytes) {}

  private static final String[][] GROUPS = {
      {"webhook-receiver", "receivers"}, {"HTTP-Dispatcher", "receivers"},
      {"mailcore-webhook-http", "dispatcher HTTP threads"},
      {"mailcore-webhook-poller", "poller"}, {"mailcore-webhook-settle", "settler"},
      {"HttpClient-", "java.net.http threads (either client)"}, {"main", "benchmark main"},
      {"mailcore", "pool"}, {"HikariPool", "pool"}};

  /** CPU nanoseconds of the live threads of this JVM so far, by group. */
  private static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx =
        java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long ns = mx.getThreadCpuTime(t.getThreadId());
      if (ns < 0) {
        continue;
      }
      String group = "other";
      for (String[] g : GROUPS) {
        if (t.getThreadName().startsWith(g[0])) {
          group = g[1];
          break;
        }
      }
      byGroup.merge(group, ns, Long::sum);
    }
    vmThreads(byGroup);
    return byGroup;
  }

  /**
   * The JVM's own threads (garbage collector, JIT compilers, VM thread), which ThreadMXBean does
   * not list, from /proc/self/task (Linux; 10 ms ticks); nothing elsewhere.
   */
  private static void vmThreads(Map<String, Long> byGroup) {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    try (java.nio.file.DirectoryStream<Path> ids = Files.newDirectoryStream(tasks)) {
      for (Path id : ids) {
        CpuMeter.ProcStat.of(id).ifPresent(stat -> {
          String name = stat.name();
          String group = name.startsWith("GC Thread") || name.startsWith("G1 ") ? "JVM: GC"
              : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")
                  ? "JVM: JIT" : name.startsWith("VM ") ? "JVM: VM thread" : null;
          if (group != null) {
            byGroup.merge(group, Math.round(stat.seconds() * 1e9), Long::sum);
          }
        }); // a thread that ended while we read is left out
      }
    } catch (java.io.IOException e) {
      // no /proc: only the Java threads are split
    }
  }

  private static Map<String, Long> minus(Map<String, Long> end, Map<String, Long> start) {
    Map<String, Long> d = new java.util.TreeMap<>();
    end.forEach((k, v) -> d.put(k, v - start.getOrDefault(k, 0L)));
    return d;
  }

  /** {busy, total} jiffies of all cores, from /proc/stat; zeros elsewhere. */
  private static long[] machineTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice ..."
      String[] f = line.trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) { // user..steal, not guest (in user)
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) { // idle, iowait
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** Cores busy on average between the readings (any process). */
  private static double busy(long[] from, long[] to) {
    long total = to[1] - from[1];
    return total == 0 ? 0 : (double) (to[0] - from[0]) / total
        * Runtime.getRuntime().availableProcessors();
  }

  /** Median CPU per delivery of one side over the rounds, and how busy the cores were. */
  private static String cpu(String side, Sample[] samples, int deliveries) {
    double[] jvm = new double[samples.length];
    double[] pg = new double[samples.length];
    double[] sum = new double[samples.length];
    double[] ownCores = new double[samples.length];
    double[] busyCores = new double[samples.length];
    double[] wal = new double[samples.length];
    for (int i = 0; i < samples.length; i++) {
      Sample s = samples[i];
      jvm[i] = s.cpu()[0] * 1e6 / deliveries;
      pg[i] = s.cpu()[1] * 1e6 / deliveries;
      sum[i] = jvm[i] + pg[i];
      ownCores[i] = (s.cpu()[0] + s.cpu()[1]) / s.wall();
      busyCores[i] = s.busyCores();
      wal[i] = (double) s.walBytes() / deliveries;
    }
    Map<String, Long> threads = new java.util.TreeMap<>();
    for (Sample s : samples) {
      s.threads().forEach((k, v) -> threads.merge(k, v, Long::sum));
    }
    StringBuilder jit = new StringBuilder();
    for (Sample s : samples) {
      jit.append(jit.length() == 0 ? "" : "/").append(Math.round(
          s.threads().getOrDefault("JVM: JIT", 0L) / 1e3 / deliveries));
    }
    StringBuilder split = new StringBuilder();
    threads.forEach((k, v) -> split.append(split.length() == 0 ? "" : ", ").append(k)
        .append(' ').append(Math.round(v / 1e3 / samples.length / deliveries)));
    return String.format(Locale.ROOT, "    %s CPU per delivery (median of rounds): JVM %.0f µs"
        + " (dispatcher or client, and the receivers) + PostgreSQL %.0f µs = %.0f µs;"
        + " WAL %,.0f bytes per delivery (server-wide);"
        + " while timed: this run's JVM + PostgreSQL %.2f cores, whole machine %.2f of %d"
        + " cores busy; JVM threads, µs per delivery (mean of rounds, live threads only): %s;"
        + " JIT per round %s", side, median(jvm), median(pg), median(sum), median(wal),
        median(ownCores),
        median(busyCores), Runtime.getRuntime().availableProcessors(), split, jit);
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
