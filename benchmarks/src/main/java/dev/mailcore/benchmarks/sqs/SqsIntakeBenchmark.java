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
    int warmup = Integer.getInteger("warmup", 3000);
    List<String> out = new ArrayList<>();
    out.add("mailcore SQS intake benchmark, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL at " + url);
    out.add(String.format(Locale.ROOT, "%,d inbound messages per round (2-10 KB text, %d"
        + " inboxes), SES Received notifications with the mail inline (SNS action, raw delivery),"
        + " %d interleaved rounds after a warm-up round of %,d messages of each, median reported",
        messages, INBOXES, rounds, warmup));
    out.add(String.format(Locale.ROOT, "intake: SqsIntake.start() with %d worker(s) (receive 10,"
        + " SesNotifications.process -> receiveAll, deleteMessageBatch) from a pre-filled queue of"
        + " ElasticMQ in a child JVM (loopback); direct: %d thread(s) calling receiveAll on"
        + " batches of 10 of the same mail (same recipients and verdicts)", threads, threads));
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_intake CASCADE");
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_direct CASCADE");
    }
    Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ElasticMqMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    AtomicInteger deleted = new AtomicInteger();
    try {
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(
          emulator.getInputStream(), StandardCharsets.US_ASCII)).readLine().trim());
      try (SqsClient sqs = client(port, deleted);
          PostgresMailStore intakeStore = store(url, user, "mc_bench_sqs_intake", threads);
          PostgresMailStore directStore = store(url, user, "mc_bench_sqs_direct", threads)) {
        MailCore intakeMail = mail(intakeStore);
        MailCore directMail = mail(directStore);
        SesNotifications ses = SesNotifications.builder().mailCore(intakeMail).build();
        String queue = ElasticMq.queue(sqs, "bench", Duration.ofSeconds(120));
        int offset = 0;
        double[] viaIntake = new double[rounds];
        double[] direct = new double[rounds];
        // CPU seconds summed over the timed rounds: {jvm, postgres, emulator}
        double[] intakeCpu = new double[3];
        double[] directCpu = new double[3];
        for (int r = -1; r < rounds; r++) {
          int n = r < 0 ? warmup : messages;
          fill(sqs, queue, offset, n);
          CpuMeter m = CpuMeter.start();
          double emu = cpuSeconds(emulator.pid());
          double a = intake(sqs, queue, ses, threads, n, deleted);
          double[] im = m.elapsed();
          double[] ia = {im[0], im[1], cpuSeconds(emulator.pid()) - emu};
          offset += n;
          m = CpuMeter.start();
          emu = cpuSeconds(emulator.pid());
          double b = direct(directMail, threads, offset, n);
          double[] dm = m.elapsed();
          double[] da = {dm[0], dm[1], cpuSeconds(emulator.pid()) - emu};
          offset += n;
          if (r >= 0) {
            viaIntake[r] = a;
            direct[r] = b;
            for (int k = 0; k < 3; k++) {
              intakeCpu[k] += ia[k];
              directCpu[k] += da[k];
            }
          }
          System.out.printf(Locale.ROOT, "round %s: intake %,.0f msg/s (cpu ms/msg jvm %.2f pg"
              + " %.2f emulator %.2f), direct %,.0f msg/s (jvm %.2f pg %.2f)%n",
              r < 0 ? "warm-up" : Integer.toString(r + 1), a, 1e3 * ia[0] / n, 1e3 * ia[1] / n,
              1e3 * ia[2] / n, b, 1e3 * da[0] / n, 1e3 * da[1] / n);
        }
        double total = (double) messages * rounds;
        double intakeHost = 1e3 * (intakeCpu[0] + intakeCpu[1]) / total;
        double directHost = 1e3 * (directCpu[0] + directCpu[1]) / total;
        out.add(String.format(Locale.ROOT, "intake %s msg/s, median %,.0f; CPU ms/msg: this JVM"
            + " %.2f + PostgreSQL %.2f = host %.2f (emulator, not counted: %.2f)",
            fmt(viaIntake), median(viaIntake), 1e3 * intakeCpu[0] / total,
            1e3 * intakeCpu[1] / total, intakeHost, 1e3 * intakeCpu[2] / total));
        out.add(String.format(Locale.ROOT, "direct receiveAll %s msg/s, median %,.0f; CPU"
            + " ms/msg: this JVM %.2f + PostgreSQL %.2f = host %.2f", fmt(direct),
            median(direct), 1e3 * directCpu[0] / total, 1e3 * directCpu[1] / total,
            directHost));
        out.add(String.format(Locale.ROOT, "ratio intake / direct receiveAll: wall %.2f (target"
            + " >= 0.80); host CPU per message direct / intake %.2f (the throughput ratio a"
            + " CPU-bound host without the emulator would see)",
            median(viaIntake) / median(direct), directHost / intakeHost));
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
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 0.01;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
      int n, AtomicInteger deleted) throws Exception {
    SqsIntake intake = SqsIntake.builder().client(sqs).queueUrl(queue).notifications(ses)
        .workers(threads).waitTime(Duration.ofSeconds(1)).build();
    deleted.set(0);
    CountDownLatch never = new CountDownLatch(1);
    long start = System.nanoTime();
    intake.start();
    while (deleted.get() < n) {
      never.await(2, TimeUnit.MILLISECONDS);
    }
    double rate = n / ((System.nanoTime() - start) / 1e9);
    intake.close();
    return rate;
  }

  private static double direct(MailCore mail, int threads, int offset, int n) throws Exception {
    ReceiptVerdicts verdicts = ReceiptVerdicts.builder().spam(Verdict.PASS).virus(Verdict.PASS)
        .spf(Verdict.PASS).dkim(Verdict.PASS).dmarc(Verdict.PASS).build();
    List<byte[]> raws = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      raws.add(raw(offset + i).getBytes(StandardCharsets.UTF_8));
    }
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
