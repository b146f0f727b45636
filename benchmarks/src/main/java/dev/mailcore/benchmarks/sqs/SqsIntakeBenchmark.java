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
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.testkit.InMemoryBlobStore;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Inbound messages per second from SQS (ElasticMQ in this JVM on 127.0.0.1, real SDK client)
 * through {@link SqsIntake} and {@link SesNotifications} into PostgreSQL, next to
 * {@code receiveAll} of the same messages (batches of 10, the same number of threads) called
 * directly, in the same run (DESIGN.md section 15: target >= 0.8x). Not a test; see
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
    List<String> out = new ArrayList<>();
    out.add("mailcore SQS intake benchmark, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL at " + url);
    out.add(String.format(Locale.ROOT, "%,d inbound messages per round (2-10 KB text, %d"
        + " inboxes), SES Received notifications with the mail inline (SNS action, raw delivery),"
        + " %d interleaved rounds after a warm-up round of each, median reported", messages,
        INBOXES, rounds));
    out.add(String.format(Locale.ROOT, "intake: SqsIntake, %d worker(s) calling pollOnce (receive"
        + " 10, SesNotifications.process -> receiveAll, deleteMessageBatch) from a pre-filled"
        + " ElasticMQ queue; direct: %d thread(s) calling receiveAll on batches of 10 of the same"
        + " mail (same recipients and verdicts)", threads, threads));
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_intake CASCADE");
      s.execute("DROP SCHEMA IF EXISTS mc_bench_sqs_direct CASCADE");
    }
    try (ElasticMq mq = new ElasticMq(); SqsClient sqs = mq.client();
        PostgresMailStore intakeStore = store(url, user, "mc_bench_sqs_intake", threads);
        PostgresMailStore directStore = store(url, user, "mc_bench_sqs_direct", threads)) {
      MailCore intakeMail = mail(intakeStore);
      MailCore directMail = mail(directStore);
      SesNotifications ses = SesNotifications.builder().mailCore(intakeMail).build();
      String queue = ElasticMq.queue(sqs, "bench", Duration.ofSeconds(120));
      int offset = 0;
      double[] viaIntake = new double[rounds];
      double[] direct = new double[rounds];
      for (int r = -1; r < rounds; r++) {
        int n = r < 0 ? Math.min(1000, messages) : messages;
        double a = intake(sqs, queue, ses, threads, offset, n);
        offset += n;
        double b = direct(directMail, threads, offset, n);
        offset += n;
        if (r >= 0) {
          viaIntake[r] = a;
          direct[r] = b;
          System.out.printf(Locale.ROOT, "round %d: intake %,.0f msg/s, direct %,.0f msg/s%n",
              r + 1, a, b);
        }
      }
      double ratio = median(viaIntake) / median(direct);
      out.add(String.format(Locale.ROOT, "intake %s msg/s, median %,.0f", fmt(viaIntake),
          median(viaIntake)));
      out.add(String.format(Locale.ROOT, "direct receiveAll %s msg/s, median %,.0f",
          fmt(direct), median(direct)));
      out.add(String.format(Locale.ROOT, "ratio intake / direct receiveAll = %.2f (target >="
          + " 0.80)", ratio));
    }
    Path results = Path.of(System.getProperty("results", "benchmarks/results/sqs.txt"));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, String.join("\n", out) + "\n", StandardCharsets.UTF_8);
    out.forEach(System.out::println);
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

  /** Fills the queue (not timed), then drains it through the intake. */
  private static double intake(SqsClient sqs, String queue, SesNotifications ses, int threads,
      int offset, int n) throws Exception {
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
    SqsIntake intake = SqsIntake.builder().client(sqs).queueUrl(queue).notifications(ses)
        .waitTime(Duration.ofSeconds(1)).build();
    AtomicInteger received = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        while (received.get() < n) {
          received.addAndGet(intake.pollOnce());
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double rate = n / ((System.nanoTime() - start) / 1e9);
    pool.shutdown();
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
