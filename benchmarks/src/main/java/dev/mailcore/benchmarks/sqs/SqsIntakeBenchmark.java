package dev.mailcore.benchmarks.sqs;

import dev.mailcore.Domain;
import dev.mailcore.InboundMail;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.aws.ElasticMq;
import dev.mailcore.aws.SesInboundSamples;
import dev.mailcore.aws.SesNotifications;
import dev.mailcore.aws.SqsIntake;
import dev.mailcore.benchmarks.support.CpuMeter;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Inbound messages per second from SQS (ElasticMQ in a child JVM on 127.0.0.1, real SDK client)
 * through {@link SqsIntake} and {@link SesNotifications} into PostgreSQL, next to
 * {@code receiveAll} of the same messages (batches of 10, the same number of threads) called
 * directly, in the same run (DESIGN.md section 15: target >= 0.8x), with the CPU each path costs
 * per message in this JVM, in PostgreSQL and in the emulator. Not a test; see
 * benchmarks/README.md.
 */
public final class SqsIntakeBenchmark {
  private static final int INBOXES = 8;
  /** {@code SqsIntake.batchSize} of the intake paths ({@code -DbatchSize}; default 10). */
  private static final int BATCH_SIZE = Integer.getInteger("batchSize", 10);

  private SqsIntakeBenchmark() {}

  /**
   * Runs it.
   *
   * @param args unused; options are system properties (README)
   * @throws Exception if the database or ElasticMQ fails
   */
  public static void main(String[] args) throws Exception {
    String url = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    String user = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_USER", "postgres");
    int messages = Integer.getInteger("messages", 1000);
    int threads = Integer.getInteger("threads", 2);
    int rounds = Integer.getInteger("rounds", 3);
    int warmup = Integer.getInteger("warmup", 10_000);
    // PostgreSQL CPU of this database's backends only: others' tests share the server
    String database = CpuMeter.databaseOf(url);
    List<String> out = new ArrayList<>();
    out.add("mailcore SQS intake benchmark, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL at " + url);
    out.add(String.format(Locale.ROOT, "%,d inbound messages per round (2-10 KB text, %d"
        + " inboxes), SES Received notifications with the mail inline (SNS action, raw delivery),"
        + " %d interleaved rounds after a warm-up round of %,d messages of each, median reported",
        messages, INBOXES, rounds, warmup));
    out.add(String.format(Locale.ROOT, "intake (start): SqsIntake.start() with %d worker(s),"
        + " batchSize(" + BATCH_SIZE + ") (receive 10 at a time up to the batch size while"
        + " receives come back full, SesNotifications.process -> receiveAll, deleteMessageBatch;"
        + " next receive and delete overlapped with processing); intake (pollOnce): %d thread(s)"
        + " calling pollOnce (the same steps one after another); both from a pre-filled queue of"
        + " ElasticMQ in a child JVM (loopback), timed until the last delete; direct: %d thread(s)"
        + " calling receiveAll on batches of 10 of the same mail (same recipients and verdicts)", threads,
        threads, threads));
    out.add("CPU: this JVM (all threads, GC and JIT included; JIT = its compiler threads),"
        + " PostgreSQL = the backends connected to database " + database + ", emulator = the"
        + " ElasticMQ child JVM (/proc; C1 only, serial GC); before each timed path a GC and a"
        + " wait until the JIT is idle, so the queue fill's garbage and compilations are not"
        + " charged to the path after it");
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_intake CASCADE");
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_poll CASCADE");
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_direct CASCADE");
    }
    // The emulator stands in for a remote service, yet shares the two cores: C1 only and the
    // serial GC halve the CPU it takes per message (0.8 -> 0.4 ms, measured), none of which a
    // real SQS endpoint puts on the host.
    Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        ElasticMqMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    AtomicInteger deleted = new AtomicInteger();
    try {
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(
          emulator.getInputStream(), StandardCharsets.US_ASCII)).readLine().trim());
      try (SqsClient sqs = client(port, deleted);
          PostgresMailStore intakeStore = store(url, user, "mc_bench_sqs_intake", threads);
          PostgresMailStore pollStore = store(url, user, "mc_bench_sqs_poll", threads);
          PostgresMailStore directStore = store(url, user, "mc_bench_sqs_direct", threads)) {
        MailCore intakeMail = mail(intakeStore);
        MailCore directMail = mail(directStore);
        // each path its own schema, so each stores the same number of messages: the store's
        // cost per message grows with what it holds
        SesNotifications[] ses = {SesNotifications.builder().mailCore(intakeMail).build(),
            SesNotifications.builder().mailCore(mail(pollStore)).build()};
        String queue = ElasticMq.queue(sqs, "bench", Duration.ofSeconds(120));
        int offset = 0;
        String[] names = {"intake (start)", "intake (pollOnce)", "direct"};
        double[][] rates = new double[3][rounds];
        // CPU seconds summed over the timed rounds, per path: {jvm, postgres, emulator, jit}
        double[][] cpu = new double[3][4];
        for (int r = -1; r < rounds; r++) {
          int n = r < 0 ? warmup : messages;
          StringBuilder line = new StringBuilder(r < 0 ? "warm-up:" : "round " + (r + 1) + ":");
          for (int p = 0; p < 3; p++) {
            if (p < 2) {
              fill(sqs, queue, offset, n);
            }
            List<byte[]> raws = p < 2 ? List.of() : raws(offset, n);
            CpuMeter.settle();
            CpuMeter m = CpuMeter.start(database);
            double emu = cpuSeconds(emulator.pid());
            double jit = CpuMeter.jitSeconds();
            double rate = p < 2 ? intake(sqs, queue, ses[p], threads, n, deleted, p == 0)
                : direct(directMail, threads, offset, raws);
            double[] hostCpu = m.elapsed();
            double[] c = {hostCpu[0], hostCpu[1], cpuSeconds(emulator.pid()) - emu,
                CpuMeter.jitSeconds() - jit};
            offset += n;
            if (r >= 0) {
              rates[p][r] = rate;
              for (int k = 0; k < 4; k++) {
                cpu[p][k] += c[k];
              }
            }
            line.append(String.format(Locale.ROOT, " %s %,.0f msg/s (CPU ms/msg jvm %.2f (JIT %.2f)"
                + " pg %.2f emulator %.2f);", names[p], rate, 1e3 * c[0] / n, 1e3 * c[3] / n,
                1e3 * c[1] / n, 1e3 * c[2] / n));
          }
          System.out.println(line);
        }
        double total = (double) messages * rounds;
        double[] host = new double[3];
        for (int p = 0; p < 3; p++) {
          host[p] = 1e3 * (cpu[p][0] + cpu[p][1]) / total;
          out.add(String.format(Locale.ROOT, "%s %s msg/s, median %,.0f; CPU ms/msg: this JVM"
              + " %.2f (of which JIT %.2f) + PostgreSQL %.2f = host %.2f (emulator, not counted:"
              + " %.2f)", names[p], fmt(rates[p]), median(rates[p]), 1e3 * cpu[p][0] / total,
              1e3 * cpu[p][3] / total, 1e3 * cpu[p][1] / total, host[p],
              1e3 * cpu[p][2] / total));
        }
        for (int p = 0; p < 2; p++) {
          out.add(String.format(Locale.ROOT, "ratio %s / direct receiveAll: wall %.2f (target >="
              + " 0.80); host CPU per message direct / intake %.2f (the throughput ratio a"
              + " CPU-bound host without the emulator would see)", names[p],
              median(rates[p]) / median(rates[2]), host[2] / host[p]));
        }
      }
    } finally {
      emulator.getOutputStream().close();
      if (!emulator.waitFor(30, TimeUnit.SECONDS)) {
        emulator.destroy();
      }
    }
    Path results = Path.of(System.getProperty("results", "benchmarks/results/sqs.txt"));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, "\n" + String.join("\n", out) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    out.forEach(System.out::println);
  }

  /** The SDK client on the child's port; counts the messages DeleteMessageBatch removed. */
  private static SqsClient client(int port, AtomicInteger deleted) {
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void afterExecution(Context.AfterExecution context,
          ExecutionAttributes attributes) {
        if (context.response() instanceof DeleteMessageBatchResponse r) {
          deleted.addAndGet(r.successful().size());
        }
      }
    };
    return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test")))
        .build();
  }

  /** User plus system CPU seconds of a process, from /proc (0 where there is none). */
  private static double cpuSeconds(long pid) {
    return CpuMeter.ProcStat.of(Path.of("/proc", Long.toString(pid)))
        .map(CpuMeter.ProcStat::seconds).orElse(0.0);
  }

  private static PostgresMailStore store(String url, String user, String schema, int threads) {
    return PostgresMailStore.builder().jdbcUrl(url).username(user).schema(schema)
        .maximumPoolSize(threads + 2).schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
  }

  private static MailCore mail(PostgresMailStore store) {
    MailCore mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).build();
    Domain d = mail.domains().create("org_bench", "example.com");
    for (int i = 0; i < INBOXES; i++) {
      mail.mailboxes().create(d.id(), InboxSpec.of("inbound" + i, "Inbound " + i));
    }
    return mail;
  }

  private static String recipient(int n) {
    return "inbound" + (n % INBOXES) + "@example.com";
  }

  private static String raw(int n) {
    return SesInboundSamples.rawMail(n, recipient(n), 2000 + (n * 7919) % 8000);
  }

  /** Fills the queue; not timed. */
  private static void fill(SqsClient sqs, String queue, int offset, int n) throws Exception {
    ExecutorService fill = Executors.newFixedThreadPool(4);
    List<Future<?>> sends = new ArrayList<>();
    for (int from = 0; from < n; from += 10) {
      int first = from;
      sends.add(fill.submit(() -> {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = first; i < Math.min(first + 10, n); i++) {
          int k = offset + i;
          entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - first))
              .messageBody(SesInboundSamples.received(k, recipient(k), raw(k))).build());
        }
        sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        return null;
      }));
    }
    for (Future<?> f : sends) {
      f.get();
    }
    fill.shutdown();
  }

  /** Drains the queue through started workers; timed until the last message is deleted. */
  private static double intake(SqsClient sqs, String queue, SesNotifications ses, int threads,
      int n, AtomicInteger deleted, boolean started) throws Exception {
    SqsIntake intake = SqsIntake.builder().client(sqs).queueUrl(queue).notifications(ses)
        .workers(threads).batchSize(BATCH_SIZE)
        .waitTime(Duration.ofSeconds(1)).build();
    deleted.set(0);
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    if (started) {
      intake.start();
    } else {
      for (int t = 0; t < threads; t++) {
        pool.submit(() -> {
          while (stop.getCount() > 0) {
            intake.pollOnce();
          }
          return null;
        });
      }
    }
    while (deleted.get() < n) {
      stop.await(2, TimeUnit.MILLISECONDS);
    }
    double rate = n / ((System.nanoTime() - start) / 1e9);
    stop.countDown();
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    intake.close();
    return rate;
  }

  /** The raw mail the direct path receives; built before it is timed. */
  private static List<byte[]> raws(int offset, int n) {
    List<byte[]> raws = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      raws.add(raw(offset + i).getBytes(StandardCharsets.UTF_8));
    }
    return raws;
  }

  private static double direct(MailCore mail, int threads, int offset, List<byte[]> raws)
      throws Exception {
    ReceiptVerdicts verdicts = ReceiptVerdicts.builder().spam(Verdict.PASS).virus(Verdict.PASS)
        .spf(Verdict.PASS).dkim(Verdict.PASS).dmarc(Verdict.PASS).build();
    int n = raws.size();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        int from;
        while ((from = next.getAndAdd(10)) < n) {
          List<InboundMail> batch = new ArrayList<>(10);
          for (int i = from; i < Math.min(from + 10, n); i++) {
            batch.add(InboundMail.builder().raw(raws.get(i)).recipient(recipient(offset + i))
                .verdicts(verdicts).build());
          }
          mail.mailboxes().receiveAll(batch);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double rate = n / ((System.nanoTime() - start) / 1e9);
    pool.shutdown();
    return rate;
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String fmt(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", v));
    }
    return b.toString();
  }
}
