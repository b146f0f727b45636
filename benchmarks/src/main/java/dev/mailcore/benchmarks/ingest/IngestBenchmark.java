package dev.mailcore.benchmarks.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.Direction;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ThreadId;
import dev.mailcore.benchmarks.support.CpuMeter;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingest on PostgreSQL: mailcore's receive paths against bare JDBC writing the same rows, at 10k
 * and at 1M stored messages, plus thread-list page latency at 1M. Two ceilings, one per commit
 * pattern: {@code receive} (one transaction per message, {@code -Dthreads} client threads) is
 * compared with bare JDBC doing one transaction per message from the same number of threads,
 * {@code receiveAll} with bare JDBC batches. Not a test; see benchmarks/README.md for the
 * command. Writes benchmarks/results/ingest.txt.
 *
 * <p>Environment: {@code MAILCORE_BENCH_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}); system properties
 * {@code -Dmessages=10000} (measured per phase), {@code -Dprefill=1000000} ({@code 0} measures
 * only the 10k point), {@code -Dthreads=4} (engine and per-message JDBC client threads).
 */
public final class IngestBenchmark {
  private static final int INBOXES = Integer.getInteger("inboxes", 8);
  /**
   * Messages per commit of the batched ceiling (DESIGN section 15: 500; {@code -DceilingBatch=10}
   * gives the engine's receiveAll commit pattern, for comparison only).
   */
  private static final int CEILING_BATCH = Integer.getInteger("ceilingBatch", 500);
  /**
   * Whether the per-message ceiling first reads what a receive must read before it writes: the
   * recipient's inbox by domain name and local part, and the thread of the In-Reply-To parent
   * ({@code -DceilingReads=true}; for comparison only, the target is against the write-only
   * ceiling).
   */
  private static final boolean CEILING_READS = Boolean.getBoolean("ceilingReads");
  private static final int ROUNDS = 5;
  /**
   * The batch of the engine's large-batch path: the most one {@code receiveAll} takes, what
   * {@code SqsIntake.batchSize(100)} gathers under a backlog ({@code -DlargeBatch}).
   */
  private static final int LARGE_BATCH = Integer.getInteger("largeBatch", 100);
  private static final DateTimeFormatter RFC_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = env("MAILCORE_BENCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = env("MAILCORE_BENCH_JDBC_USER", "postgres");
    int measured = Integer.getInteger("messages", 10_000);
    int prefill = Integer.getInteger("prefill", 1_000_000);
    int threads = Integer.getInteger("threads", 4);
    database = CpuMeter.databaseOf(url);
    Report out = new Report();
    out.add("mailcore ingest benchmark, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, PostgreSQL at " + url);
    out.add("measured batch: " + measured + " messages (2-10 KB, conversations of 1-8), engine with "
        + threads + " client threads over " + INBOXES + " inboxes; each path writes its own"
        + " schema, and the four are measured in " + ROUNDS + " interleaved rounds");
    out.add("bare JDBC per message (ceiling for receive): " + threads + " client threads, each on"
        + " its own connection taking the next message, one transaction per message ("
        + (CEILING_READS ? "-DceilingReads: inbox by domain and local part, the parent's thread by"
            + " In-Reply-To, then " : "") + "thread upsert, message, recipients, references,"
        + " commit)");
    out.add("bare JDBC batched (ceiling for receiveAll): one connection, batches of "
        + CEILING_BATCH + " rows per table, commit per batch");

    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setMaximumPoolSize(threads + 2); // the per-message ceiling holds one per client thread
    try (HikariDataSource ds = new HikariDataSource(hc)) {
      // Each path writes its own schema, so each is measured at the same number of stored rows.
      String singleSchema = "mc_bench_single";
      String batchSchema = "mc_bench_batch";
      String jdbcSchema = "mc_bench_jdbc";
      String jdbcSingleSchema = "mc_bench_jdbc_single";
      String largeSchema = "mc_bench_batch_large";
      List<String> schemas = List.of(singleSchema, batchSchema, jdbcSchema, jdbcSingleSchema,
          largeSchema);
      for (String s : List.of("mc_bench_engine", singleSchema, batchSchema, jdbcSchema,
          jdbcSingleSchema, largeSchema)) {
        exec(ds, "DROP SCHEMA IF EXISTS " + s + " CASCADE");
      }
      try (PostgresMailStore singleStore = store(ds, singleSchema);
          PostgresMailStore batchStore = store(ds, batchSchema);
          PostgresMailStore jdbcStore = store(ds, jdbcSchema);
          PostgresMailStore jdbcSingleStore = store(ds, jdbcSingleSchema);
          PostgresMailStore largeStore = store(ds, largeSchema)) {
        Schemas paths = new Schemas(ds, threads,
            seedInboxes(singleStore, "single.test"),
            seedInboxes(batchStore, "batch.test"),
            seedInboxes(jdbcStore, "jdbc.test"),
            seedInboxes(jdbcSingleStore, "jdbc-single.test"),
            seedInboxes(largeStore, "large.test"));
        int batch = Integer.getInteger("batch", 10);
        Ingest single = new Ingest(singleStore, threads, 1);
        Ingest batched = new Ingest(batchStore, threads, batch);
        Ingest large = new Ingest(largeStore, threads, LARGE_BATCH);
        out.add("engine single: " + single.describe());
        out.add("engine batch: " + batched.describe());
        out.add("engine large batch: " + large.describe() + " (what SqsIntake.batchSize("
            + LARGE_BATCH + ") hands it under a backlog)");
        out.flush(results());

        // ---- at ~10k stored -----------------------------------------------------------------
        // Warm-up long enough for the JIT and the driver's server-side prepared statements (the
        // engine uses more distinct statements than the baseline); with 2,000 messages the
        // engine still ran faster at 1M stored than at 10k.
        int warmup = Integer.getInteger("warmup", 8_000);
        single.run(Corpus.generate(warmup, 1, paths.singleInboxes)); // warm-up, not reported
        batched.run(Corpus.generate(warmup, 1, paths.batchInboxes));
        large.run(Corpus.generate(warmup, 1, paths.largeInboxes));
        jdbcInsert(ds, jdbcSchema, Corpus.generate(warmup, 1, paths.jdbcInboxes).rows());
        jdbcPerMessage(ds, jdbcSingleSchema, threads,
            Corpus.generate(warmup, 1, paths.jdbcSingleInboxes).rows());
        // Then warm up the way it is measured: paths alternating. Each path's code (pgjdbc's,
        // HikariCP's, the collections') meets the others' type profiles only now, and the JIT
        // recompiles what that deoptimizes; measured without this, the engine's rounds carried
        // 0.05-0.2 ms of JIT compiler CPU per message and the ceilings' almost none.
        interleaved(paths, single, batched, large,
            Integer.getInteger("warmupInterleaved", 5_000), 9);
        for (String s : schemas) {
          vacuumAnalyze(ds, s + ".");
        }
        Measured m10k = interleaved(paths, single, batched, large, measured, 2);
        double[] at10k = m10k.rates();
        out.add(rates(count(ds, singleSchema), at10k));
        out.add(m10k.cpu());
        out.flush(results());
        if (prefill <= 0) {
          out.add("-Dprefill=0: the 1M point and the page latency were not measured in this run");
          out.flush(results());
          return;
        }

        // ---- at ~1M stored ------------------------------------------------------------------
        long t0 = System.nanoTime();
        for (String s : schemas) {
          bulkPrefill(ds, s, paths.inboxesOf(s), prefill);
        }
        out.add(String.format(Locale.ROOT, "prefill: %,d messages per schema with generate_series"
            + " in %.0f s", prefill, (System.nanoTime() - t0) / 1e9));
        Measured m1m = interleaved(paths, single, batched, large, measured, 3);
        double[] at1m = m1m.rates();
        out.add(rates(count(ds, singleSchema), at1m));
        out.add(m1m.cpu());
        out.add(String.format(Locale.ROOT, "ratio at 1M vs 10k (target >= 1.00, cost flat with"
            + " history): receive %.2f, receiveAll %.2f, receiveAll(" + LARGE_BATCH + ") %.2f",
            (at1m[0] / at1m[3]) / (at10k[0] / at10k[3]),
            (at1m[1] / at1m[2]) / (at10k[1] / at10k[2]),
            (at1m[4] / at1m[2]) / (at10k[4] / at10k[2])));
        out.flush(results());

        // ---- thread list page latency at 1M -------------------------------------------------
        out.add(pageLatency(singleStore, paths.singleInboxes.get(0)));
        out.flush(results());
      }
    }
  }

  /** The benchmark's database: only its backends count as the server's CPU. */
  private static String database;

  /**
   * What {@link #interleaved} measured.
   *
   * @param rates {engine single, engine batch, JDBC batched, JDBC per message, engine large
   *     batch} in messages/s
   * @param cpu the CPU-per-message line for the report
   */
  record Measured(double[] rates, String cpu) {}

  /** A path's timed run, in messages per second. */
  @FunctionalInterface
  interface TimedPath {
    double run() throws Exception;
  }

  /**
   * Runs one timed path after {@link CpuMeter#settle} (so the previous path's garbage and
   * compilations are not charged to it, the same for all five) and adds its CPU to {@code sum}.
   */
  private static double timed(double[] sum, TimedPath path) throws Exception {
    CpuMeter.settle();
    double jit = CpuMeter.jitSeconds();
    CpuMeter m = CpuMeter.start(database);
    double rate = path.run();
    double[] used = m.elapsed();
    sum[0] += used[0];
    sum[1] += used[1];
    sum[2] += CpuMeter.jitSeconds() - jit;
    return rate;
  }

  private static Path results() {
    return Path.of(System.getProperty("results", "benchmarks/results/ingest.txt"));
  }

  /**
   * The five paths' schemas and seeded inboxes: engine single, engine batch, the ceilings, and
   * the engine's large batch.
   */
  record Schemas(HikariDataSource ds, int threads, List<Inbox> singleInboxes,
      List<Inbox> batchInboxes, List<Inbox> jdbcInboxes, List<Inbox> jdbcSingleInboxes,
      List<Inbox> largeInboxes) {
    List<Inbox> inboxesOf(String schema) {
      return switch (schema) {
        case "mc_bench_single" -> singleInboxes;
        case "mc_bench_batch" -> batchInboxes;
        case "mc_bench_batch_large" -> largeInboxes;
        case "mc_bench_jdbc" -> jdbcInboxes;
        case "mc_bench_jdbc_single" -> jdbcSingleInboxes;
        default -> throw new IllegalArgumentException("no such benchmark schema: " + schema);
      };
    }
  }

  /**
   * Measures the five paths in {@value #ROUNDS} interleaved rounds (single, batch, JDBC batched,
   * JDBC per message, large batch, single, ...), so a checkpoint or a noisy neighbour on a shared
   * machine hits all five alike; each rate is its messages over its summed time, and the CPU
   * each path used per message (client JVM, PostgreSQL) is read around it.
   */
  private static Measured interleaved(Schemas p, Ingest single, Ingest batched, Ingest large,
      int messages, long seed) throws Exception {
    double[] seconds = new double[5];
    double[][] cpu = new double[5][3]; // client JVM, PostgreSQL, of the JVM's: JIT compilers
    int perRound = messages / ROUNDS;
    for (int round = 0; round < ROUNDS; round++) {
      long s = seed * 100 + round;
      Corpus c0 = Corpus.generate(perRound, s, p.singleInboxes);
      Corpus c1 = Corpus.generate(perRound, s, p.batchInboxes);
      List<EmailMessage> c2 = Corpus.generate(perRound, s, p.jdbcInboxes).rows();
      List<EmailMessage> c3 = Corpus.generate(perRound, s, p.jdbcSingleInboxes).rows();
      Corpus c4 = Corpus.generate(perRound, s, p.largeInboxes);
      seconds[0] += perRound / timed(cpu[0], () -> single.run(c0));
      seconds[1] += perRound / timed(cpu[1], () -> batched.run(c1));
      seconds[2] += perRound / timed(cpu[2], () -> jdbcInsert(p.ds, "mc_bench_jdbc", c2));
      seconds[3] += perRound / timed(cpu[3],
          () -> jdbcPerMessage(p.ds, "mc_bench_jdbc_single", p.threads, c3));
      seconds[4] += perRound / timed(cpu[4], () -> large.run(c4));
    }
    int total = perRound * ROUNDS;
    String[] names = {"receive", "receiveAll", "bare JDBC batched", "bare JDBC per message",
        "receiveAll(" + LARGE_BATCH + ")"};
    StringBuilder line = new StringBuilder("CPU per message (client JVM + PostgreSQL server"
        + " processes, ms):");
    for (int i = 0; i < names.length; i++) {
      line.append(String.format(Locale.ROOT, " %s %.2f + %.2f (JIT %.2f);", names[i],
          cpu[i][0] * 1e3 / total, cpu[i][1] * 1e3 / total, cpu[i][2] * 1e3 / total));
    }
    return new Measured(new double[] {total / seconds[0], total / seconds[1],
        total / seconds[2], total / seconds[3], total / seconds[4]}, line.toString());
  }

  /**
   * The result lines, printed as they come and written to the results file after each phase, so
   * a later failure or an interrupted 1M phase does not lose the figures measured so far.
   */
  private static final class Report {
    final List<String> lines = new ArrayList<>();

    void add(String line) {
      System.out.println(line);
      lines.add(line);
    }

    void flush(Path results) throws IOException {
      Path dir = results.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Files.write(results, lines, StandardCharsets.UTF_8);
      System.out.println("written to " + results.toAbsolutePath());
    }
  }

  /** Formats the rates as {@link #interleaved} returns them, each path against its ceiling. */
  private static String rates(long stored, double[] rates) {
    double single = rates[0];
    double batch = rates[1];
    double jdbcBatched = rates[2];
    double jdbcPerMessage = rates[3];
    double large = rates[4];
    return String.format(Locale.ROOT, "at %,d stored (each schema): receive %,.0f msg/s vs bare"
        + " JDBC per message %,.0f msg/s = %.2f (target >= 0.80); receiveAll %,.0f msg/s vs bare"
        + " JDBC batched %,.0f msg/s = %.2f (target >= 0.90); receiveAll(%d) %,.0f msg/s vs bare"
        + " JDBC batched = %.2f", stored, single, jdbcPerMessage, single / jdbcPerMessage, batch,
        jdbcBatched, batch / jdbcBatched, LARGE_BATCH, large, large / jdbcBatched);
  }

  /**
   * Runs a corpus through {@code MailCore.mailboxes().receive}, or through {@code receiveAll} in
   * batches.
   */
  static final class Ingest {
    private final int threads;
    private final int batch;
    private final MailCore mail;

    Ingest(PostgresMailStore store, int threads, int batch) {
      this.threads = threads;
      this.batch = batch;
      this.mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).build();
    }

    String describe() {
      return batch <= 1
          ? "MailCore.mailboxes().receive(raw), one call per message, " + threads + " client"
              + " threads taking the next message (spool, raw blob, route, dedupe, parse, thread,"
              + " persist; one transaction per message)"
          : "MailCore.mailboxes().receiveAll(batch of " + batch + "), " + threads + " client"
              + " threads, each consuming the messages of its own inboxes in arrival order, as a"
              + " queue partitioned by recipient delivers them (one transaction per batch)";
    }

    /** Messages per second; a batch of 1 uses {@code receive}, more {@code receiveAll}. */
    double run(Corpus corpus) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int partition = t;
        done.add(pool.submit(() -> {
          if (batch <= 1) {
            int i;
            while ((i = next.getAndIncrement()) < corpus.size()) {
              Corpus.Item item = corpus.items.get(i);
              mail.mailboxes().receive(InboundMail.of(item.raw(), item.recipient()));
            }
          } else {
            List<InboundMail> pending = new ArrayList<>(batch);
            for (Corpus.Item item : corpus.items) {
              if (item.partition() % threads != partition) {
                continue;
              }
              pending.add(InboundMail.of(item.raw(), item.recipient()));
              if (pending.size() == batch) {
                receiveAll(pending);
                pending.clear();
              }
            }
            if (!pending.isEmpty()) {
              receiveAll(pending);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      return corpus.size() / ((System.nanoTime() - start) / 1e9);
    }

    private void receiveAll(List<InboundMail> batch) {
      for (ReceiveOutcome o : mail.mailboxes().receiveAll(batch)) {
        if (o instanceof ReceiveOutcome.Failed f) {
          throw f.error();
        }
      }
    }
  }

  /** Generated conversations: raw RFC 5322 text and the equivalent stored message. */
  static final class Corpus {
    record Item(byte[] raw, String recipient, String domain, int partition, EmailMessage message) {}

    final List<Item> items = new ArrayList<>();

    int size() {
      return items.size();
    }

    List<EmailMessage> rows() {
      return items.stream().map(Item::message).toList();
    }

    static Corpus generate(int count, long seed, List<Inbox> inboxes) {
      Random rnd = new Random(seed);
      Corpus c = new Corpus();
      String run = Long.toString(seed) + "-" + UUID.randomUUID().toString().substring(0, 8);
      int conversation = 0;
      while (c.items.size() < count) {
        conversation++;
        int inboxIndex = rnd.nextInt(inboxes.size());
        Inbox inbox = inboxes.get(inboxIndex);
        String domain = inbox.name(); // the seeded inbox's name holds its domain
        String customer = "customer" + rnd.nextInt(50_000) + "@example.com";
        String inboxAddress = inbox.localPart() + "@" + domain;
        String subject = "Order " + run + "-" + conversation + " question";
        int length = 1 + rnd.nextInt(8);
        List<MessageId> refs = new ArrayList<>();
        Instant t = Instant.parse("2026-01-05T09:00:00Z").plusSeconds(conversation * 60L);
        for (int k = 0; k < length && c.items.size() < count; k++) {
          MessageId id = new MessageId("c" + run + "-" + conversation + "-" + k + "@example.com");
          boolean fromCustomer = k % 2 == 0;
          String body = body(rnd, 2_000 + rnd.nextInt(8_000));
          String subj = k == 0 ? subject : "Re: " + subject;
          Instant sent = t.plusSeconds(k * 300L);
          StringBuilder raw = new StringBuilder();
          raw.append("From: ").append(fromCustomer ? customer : inboxAddress).append("\r\n")
              .append("To: ").append(fromCustomer ? inboxAddress : customer).append("\r\n")
              .append("Subject: ").append(subj).append("\r\n")
              .append("Date: ").append(RFC_DATE.format(sent.atOffset(ZoneOffset.UTC))).append("\r\n")
              .append("Message-ID: ").append(id.bracketed()).append("\r\n");
          if (!refs.isEmpty()) {
            raw.append("In-Reply-To: ").append(refs.get(refs.size() - 1).bracketed()).append("\r\n")
                .append("References:");
            refs.forEach(r -> raw.append(' ').append(r.bracketed()));
            raw.append("\r\n");
          }
          raw.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
              .append(body);
          EmailMessage m = new EmailMessage(UUID.randomUUID(), id, new ThreadId(new UUID(0, 0)),
              inbox.id(), Direction.INBOUND,
              EmailAddress.of(fromCustomer ? customer : inboxAddress),
              List.of(EmailAddress.of(fromCustomer ? inboxAddress : customer)), List.of(),
              List.of(), List.of(), subj, sent,
              refs.isEmpty() ? Optional.empty() : Optional.of(refs.get(refs.size() - 1)),
              List.copyOf(refs), Optional.of(body), Optional.empty(), List.of(),
              "2026/01/05/" + id.value() + ".eml", Optional.empty(), sent,
              ReceiptVerdicts.NONE);
          c.items.add(new Item(raw.toString().getBytes(StandardCharsets.UTF_8), inboxAddress,
              domain, inboxIndex, m));
          refs.add(id);
        }
      }
      // Arrival order is send order: a conversation starts every minute and its replies follow
      // five minutes apart, so conversations interleave as they do in a real inbox. Generated
      // conversation by conversation, a parent and its replies would reach the client threads
      // at the same instant, which no mail system does, and would serialize on the inbox lock.
      c.items.sort(java.util.Comparator.comparing((Item i) -> i.message().sentAt()));
      return c;
    }

    private static String body(Random rnd, int size) {
      String[] words = {"order", "delivery", "invoice", "thanks", "please", "the", "package",
          "arrived", "damaged", "refund", "tracking", "number", "customer", "support", "today"};
      StringBuilder b = new StringBuilder(size + 80);
      int col = 0;
      while (b.length() < size) {
        String w = words[rnd.nextInt(words.length)];
        b.append(w);
        col += w.length() + 1;
        if (col > 70) {
          b.append("\r\n");
          col = 0;
        } else {
          b.append(' ');
        }
      }
      return b.toString();
    }
  }

  /**
   * The batched ceiling: the same rows as the engine writes (thread, message, recipients,
   * references), threads precomputed client-side, inserted on one connection with JDBC batches
   * of {@link #CEILING_BATCH} messages per commit.
   */
  static double jdbcInsert(HikariDataSource ds, String schema, List<EmailMessage> messages)
      throws SQLException {
    Map<String, UUID> threadOf = new HashMap<>();
    long start = System.nanoTime();
    try (Connection c = ds.getConnection(); RowWriter rows = new RowWriter(c, schema)) {
      int inBatch = 0;
      for (EmailMessage m : messages) {
        rows.add(m, threadOf.computeIfAbsent(RowWriter.conversation(m), k -> UUID.randomUUID()));
        if (++inBatch == CEILING_BATCH) {
          rows.commit();
          inBatch = 0;
        }
      }
      rows.commit();
    }
    return messages.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The per-message ceiling, the commit pattern of a single {@code receive}: the same rows as
   * {@link #jdbcInsert}, from {@code threads} client threads each on its own connection taking
   * the next message, one transaction per message.
   */
  static double jdbcPerMessage(HikariDataSource ds, String schema, int threads,
      List<EmailMessage> messages) throws Exception {
    Map<String, UUID> threadOf = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        try (Connection c = ds.getConnection(); RowWriter rows = new RowWriter(c, schema)) {
          int i;
          while ((i = next.getAndIncrement()) < messages.size()) {
            EmailMessage m = messages.get(i);
            if (CEILING_READS) {
              rows.read(m);
            }
            rows.add(m, threadOf.computeIfAbsent(RowWriter.conversation(m),
                k -> UUID.randomUUID()));
            rows.commit();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return messages.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The rows the engine writes per inbound message (including the participants column the
   * subject rule reads), as plain JDBC batches on one connection:
   * {@link #add} queues a message's rows, {@link #commit} sends them and commits. Both ceilings
   * use it, so they write exactly the same rows.
   */
  static final class RowWriter implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement th;
    private final PreparedStatement ms;
    private final PreparedStatement rc;
    private final PreparedStatement rf;
    private final PreparedStatement route;
    private final PreparedStatement parent;

    RowWriter(Connection c, String schema) throws SQLException {
      this.c = c;
      c.setAutoCommit(false);
      String p = schema + ".";
      route = c.prepareStatement("SELECT id FROM " + p + "inboxes WHERE domain_id = (SELECT id"
          + " FROM " + p + "domains WHERE name = ? AND deleted_at IS NULL) AND deleted_at IS NULL"
          + " AND (local_part = ? OR is_catchall)");
      parent = c.prepareStatement("SELECT thread_id FROM " + p + "messages"
          + " WHERE inbox_id = ? AND message_id = ?");
      th = c.prepareStatement("INSERT INTO " + p + "threads (id, inbox_id,"
          + " subject, message_count, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET message_count = threads.message_count + 1,"
          + " updated_at = EXCLUDED.updated_at");
      ms = c.prepareStatement("INSERT INTO " + p + "messages (id, message_id,"
          + " thread_id, inbox_id, direction, from_address, from_name, subject, sent_at,"
          + " in_reply_to, body_text, body_html, raw_storage_key, ses_message_id, created_at,"
          + " participants)"
          + " VALUES (?, ?, ?, ?, 'inbound', ?, NULL, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)");
      rc = c.prepareStatement("INSERT INTO " + p + "message_recipients"
          + " (message_id, recipient_type, address, name, position) VALUES (?, 'to', ?, NULL, ?)");
      rf = c.prepareStatement("INSERT INTO " + p + "message_references"
          + " (message_id, referenced_id, position) VALUES (?, ?, ?)");
    }

    /** The conversation a generated message belongs to: its Message-ID up to the last dash. */
    static String conversation(EmailMessage m) {
      return m.messageId().value().substring(0, m.messageId().value().lastIndexOf('-'));
    }

    /**
     * The reads a receive makes before it writes ({@code -DceilingReads}): the inbox by its
     * domain's name and its local part, and the thread of the In-Reply-To parent, each one round
     * trip.
     */
    void read(EmailMessage m) throws SQLException {
      // the inbox's own address: the recipient of a customer's message, the sender of a reply
      EmailAddress inbox = m.from().domain().endsWith(".test") ? m.from() : m.to().get(0);
      route.setString(1, inbox.domain());
      route.setString(2, inbox.address().substring(0, inbox.address().lastIndexOf('@')));
      try (var rs = route.executeQuery()) {
        rs.next();
      }
      if (m.inReplyTo().isPresent()) {
        parent.setObject(1, m.inboxId());
        parent.setString(2, m.inReplyTo().get().value());
        try (var rs = parent.executeQuery()) {
          rs.next();
        }
      }
    }

    void add(EmailMessage m, UUID thread) throws SQLException {
      th.setObject(1, thread);
      th.setObject(2, m.inboxId());
      th.setString(3, m.subject());
      th.setObject(4, m.sentAt().atOffset(ZoneOffset.UTC));
      th.setObject(5, m.sentAt().atOffset(ZoneOffset.UTC));
      th.addBatch();
      ms.setObject(1, m.id());
      ms.setString(2, m.messageId().value());
      ms.setObject(3, thread);
      ms.setObject(4, m.inboxId());
      ms.setString(5, m.from().address());
      ms.setString(6, m.subject());
      ms.setObject(7, m.sentAt().atOffset(ZoneOffset.UTC));
      ms.setString(8, m.inReplyTo().map(MessageId::value).orElse(null));
      ms.setString(9, m.bodyText().orElse(null));
      ms.setString(10, m.rawStorageKey());
      ms.setObject(11, m.createdAt().atOffset(ZoneOffset.UTC));
      ms.setArray(12, c.createArrayOf("text", participants(m)));
      ms.addBatch();
      int pos = 0;
      for (EmailAddress a : m.to()) {
        rc.setObject(1, m.id());
        rc.setString(2, a.address());
        rc.setInt(3, pos++);
        rc.addBatch();
      }
      pos = 0;
      for (MessageId r : m.references()) {
        rf.setObject(1, m.id());
        rf.setString(2, r.value());
        rf.setInt(3, pos++);
        rf.addBatch();
      }
    }

    /**
     * The participants column the engine writes (MessageWriter.participants: From, To and Cc,
     * normalized, minus addresses on the inbox's own domain). The corpus's inboxes are all on
     * {@code *.test} domains and its customers on example.com.
     */
    static String[] participants(EmailMessage m) {
      return java.util.stream.Stream.concat(java.util.stream.Stream.of(m.from()),
              java.util.stream.Stream.concat(m.to().stream(), m.cc().stream()))
          .filter(a -> !a.domain().endsWith(".test"))
          .map(EmailAddress::normalized).distinct().toArray(String[]::new);
    }

    void commit() throws SQLException {
      // threads first: a conversation's later message updates its row in a later batch
      th.executeBatch();
      ms.executeBatch();
      rc.executeBatch();
      rf.executeBatch();
      c.commit();
    }

    @Override
    public void close() throws SQLException {
      th.close();
      ms.close();
      rc.close();
      rf.close();
      route.close();
      parent.close();
    }
  }

  /** Fast bulk pre-fill with generate_series, spread over the same inboxes, then ANALYZE. */
  static void bulkPrefill(HikariDataSource ds, String schema, List<Inbox> inboxes, int messages)
      throws SQLException {
    String ids = inboxes.stream().map(i -> "'" + i.id() + "'::uuid")
        .reduce((a, b) -> a + "," + b).orElseThrow();
    int perThread = 4;
    int threadCount = messages / perThread;
    String p = schema + ".";
    exec(ds, "INSERT INTO " + p + "threads (id, inbox_id, subject, message_count, created_at,"
        + " updated_at) SELECT md5('t' || i)::uuid, (ARRAY[" + ids + "])[1 + i % "
        + inboxes.size() + "], 'prefill subject ' || i, " + perThread + ","
        + " timestamptz '2025-01-01' + i * interval '10 seconds',"
        + " timestamptz '2025-01-01' + i * interval '10 seconds' FROM generate_series(1, "
        + threadCount + ") i");
    exec(ds, "INSERT INTO " + p + "messages (id, message_id, thread_id, inbox_id, direction,"
        + " from_address, subject, sent_at, in_reply_to, body_text, raw_storage_key, created_at)"
        + " SELECT md5('m' || i || '-' || k)::uuid, 'p' || i || '-' || k || '@prefill.test',"
        + " t.id, t.inbox_id, 'inbound', 'customer' || (i % 50000) || '@example.com', t.subject,"
        + " t.created_at + k * interval '1 second',"
        + " CASE WHEN k > 0 THEN 'p' || i || '-' || (k - 1) || '@prefill.test' END,"
        + " repeat('prefill body text ', 250), 'prefill/' || i || '-' || k,"
        + " t.created_at + k * interval '1 second'"
        + " FROM generate_series(1, " + threadCount + ") i"
        + " JOIN " + p + "threads t ON t.id = md5('t' || i)::uuid,"
        + " generate_series(0, " + (perThread - 1) + ") k");
    exec(ds, "INSERT INTO " + p + "message_recipients (message_id, recipient_type, address, position)"
        + " SELECT id, 'to', 'support@x.test', 0 FROM " + p + "messages"
        + " WHERE message_id LIKE 'p%@prefill.test'");
    exec(ds, "INSERT INTO " + p + "message_references (message_id, referenced_id, position)"
        + " SELECT id, in_reply_to, 0 FROM " + p + "messages"
        + " WHERE in_reply_to LIKE 'p%@prefill.test'");
    vacuumAnalyze(ds, p);
  }

  /**
   * Gives the planner statistics, as autovacuum does within a minute in a real deployment;
   * without them the first phase measured the planner's guesses for empty tables.
   */
  private static void vacuumAnalyze(HikariDataSource ds, String prefix) throws SQLException {
    for (String table : List.of("threads", "messages", "message_recipients",
        "message_references", "inboxes", "domains")) {
      exec(ds, "VACUUM ANALYZE " + prefix + table);
    }
  }

  static String pageLatency(PostgresMailStore store, Inbox inbox) {
    // Pages at random depths: first page and keyset continuations from random positions.
    List<Keyset> positions = store.inTransaction((StoreTransaction tx) -> {
      List<Keyset> list = new ArrayList<>();
      Optional<Keyset> after = Optional.empty();
      for (int i = 0; i < 200; i++) {
        List<EmailThread> page = tx.threads().list(Scope.all(), inbox.id(), after, 500);
        if (page.size() < 500) {
          break;
        }
        EmailThread last = page.get(page.size() - 1);
        after = Optional.of(new Keyset(last.updatedAt(), last.id().value()));
        list.add(after.get());
      }
      // every position but the last is followed by a full page of 500
      return list.isEmpty() ? list : list.subList(0, list.size() - 1);
    });
    Random rnd = new Random(7);
    int samples = 5_000;
    long[] nanos = new long[samples];
    for (int i = -1_000; i < samples; i++) { // first 1000 warm up
      Optional<Keyset> after = positions.isEmpty() || rnd.nextInt(4) == 0 ? Optional.empty()
          : Optional.of(positions.get(rnd.nextInt(positions.size())));
      long t = System.nanoTime();
      int n = store.inTransaction((StoreTransaction tx) -> tx.threads().list(Scope.all(), inbox.id(), after, 50)).size();
      long d = System.nanoTime() - t;
      if (n != 50) {
        throw new IllegalStateException("short page: " + n);
      }
      if (i >= 0) {
        nanos[i] = d;
      }
    }
    Arrays.sort(nanos);
    return String.format(Locale.ROOT, "thread list page of 50 at 1M (inbox with %,d threads, via"
        + " PostgresMailStore.inTransaction incl. pool checkout and commit): p50 %.2f ms, p99 %.2f ms"
        + " (target p99 < 10 ms)", countThreads(store, inbox), nanos[samples / 2] / 1e6,
        nanos[samples * 99 / 100] / 1e6);
  }

  private static long countThreads(PostgresMailStore store, Inbox inbox) {
    long n = 0;
    Optional<Keyset> after = Optional.empty();
    while (true) {
      Optional<Keyset> a = after;
      List<EmailThread> page = store.inTransaction((StoreTransaction tx) ->
          tx.threads().list(Scope.all(), inbox.id(), a, 500));
      n += page.size();
      if (page.size() < 500) {
        return n;
      }
      EmailThread last = page.get(page.size() - 1);
      after = Optional.of(new Keyset(last.updatedAt(), last.id().value()));
    }
  }

  static List<Inbox> seedInboxes(PostgresMailStore store, String domainName) {
    Instant now = Instant.now();
    Domain d = new Domain(UUID.randomUUID(), "org-bench", domainName, Optional.empty(), List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), DnsVerification.NONE, now, now,
        Optional.empty());
    List<Inbox> inboxes = new ArrayList<>();
    for (int i = 0; i < INBOXES; i++) {
      // name carries the domain so the corpus can address the inbox
      inboxes.add(new Inbox(UUID.randomUUID(), d.id(), domainName, "support" + i, false, now, now,
          Optional.empty()));
    }
    store.inTransaction((StoreTransaction tx) -> {
      tx.domains().insert(d);
      inboxes.forEach(tx.inboxes()::insert);
      return null;
    });
    return inboxes;
  }

  static PostgresMailStore store(HikariDataSource ds, String schema) {
    return PostgresMailStore.builder().dataSource(ds).schema(schema)
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
  }

  private static long count(HikariDataSource ds, String schema) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + schema + ".messages")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void exec(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
