package dev.mailcore.benchmarks.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiveResult;
import dev.mailcore.ThreadId;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What merging two large threads costs (issue 12): per round, two threads of {@code -Dsize}
 * messages (default 10,000) are bulk-inserted into one inbox with generate_series, then through
 * the engine a plain reply into one of them (the baseline, same run) and a reply whose
 * In-Reply-To and References name both (which merges them: one set-based statement moves every
 * message, see {@code PgTransaction.MERGE_THREADS}). Reports wall times and their ratio; checks
 * the merged thread's row count and the redirect.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.mailcore.benchmarks.ingest.MergeBenchmark}
 * ({@code -Drounds=5}, {@code -Dresults=benchmarks/results/threading.txt}, database as for
 * {@link IngestBenchmark}; drops and recreates the schema {@code mc_bench_merge}).
 */
public final class MergeBenchmark {
  private static final String SCHEMA = "mc_bench_merge";

  private MergeBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none
   * @throws Exception if the database fails
   */
  public static void main(String[] args) throws Exception {
    String url = IngestBenchmark.env("MAILCORE_BENCH_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    String user = IngestBenchmark.env("MAILCORE_BENCH_JDBC_USER", "postgres");
    int size = Integer.getInteger("size", 10_000);
    int rounds = Math.min(Integer.getInteger("rounds", 5), 8);
    Path results = Path.of(System.getProperty("results", "benchmarks/results/threading.txt"));
    List<String> out = new ArrayList<>();
    out.add("mailcore thread merge benchmark, " + Instant.now() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL at " + url);
    out.add(String.format(Locale.ROOT, "two threads of %,d messages each per round, merged by one"
        + " received reply; baseline: a plain reply into a thread of the same size, same round",
        size));
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setMaximumPoolSize(3);
    double[] plain = new double[rounds];
    double[] merge = new double[rounds];
    try (HikariDataSource ds = new HikariDataSource(hc)) {
      IngestBenchmark.exec(ds, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      try (PostgresMailStore store = IngestBenchmark.store(ds, SCHEMA)) {
        List<Inbox> inboxes = IngestBenchmark.seedInboxes(store, "merge.test");
        MailCore mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore())
            .build();
        // warm-up: one small merge through the same code path
        bulkThreads(ds, inboxes.get(inboxes.size() - 1), "w", 100);
        receive(mail, inboxes.get(inboxes.size() - 1), "<w-x@merge.test>", "<wb-0@merge.test>",
            "<wa-0@merge.test> <wb-0@merge.test>");
        for (int r = 0; r < rounds; r++) {
          Inbox inbox = inboxes.get(r);
          String p = "r" + r;
          bulkThreads(ds, inbox, p, size);
          long t0 = System.nanoTime();
          receive(mail, inbox, "<" + p + "-plain@merge.test>", "<" + p + "a-1@merge.test>",
              "<" + p + "a-0@merge.test> <" + p + "a-1@merge.test>");
          plain[r] = (System.nanoTime() - t0) / 1e6;
          t0 = System.nanoTime();
          ReceiveResult res = receive(mail, inbox, "<" + p + "-link@merge.test>",
              "<" + p + "b-0@merge.test>", "<" + p + "a-0@merge.test> <" + p + "b-0@merge.test>");
          merge[r] = (System.nanoTime() - t0) / 1e6;
          ThreadId survivor = res.deliveries().get(0).message().threadId();
          long inSurvivor = scalar(ds, "SELECT count(*) FROM " + SCHEMA
              + ".messages WHERE thread_id = '" + survivor + "'");
          long count = scalar(ds, "SELECT message_count FROM " + SCHEMA
              + ".threads WHERE id = '" + survivor + "'");
          long redirects = scalar(ds, "SELECT count(*) FROM " + SCHEMA
              + ".thread_redirects WHERE survivor_id = '" + survivor + "'");
          out.add(String.format(Locale.ROOT, "round %d: plain reply %.1f ms, merging reply %.1f ms"
              + " (ratio %.2f); survivor holds %,d rows, message_count %,d, redirects %d", r + 1,
              plain[r], merge[r], merge[r] / plain[r], inSurvivor, count, redirects));
          if (inSurvivor != 2L * size + 2 || count != inSurvivor || redirects != 1) {
            throw new IllegalStateException("merge left the threads inconsistent: " + out);
          }
        }
      }
      IngestBenchmark.exec(ds, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    out.add(String.format(Locale.ROOT, "median: plain reply %.1f ms, merging reply %.1f ms,"
        + " ratio %.2f", median(plain), median(merge), median(merge) / median(plain)));
    out.add("");
    out.forEach(System.out::println);
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.write(results, out, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static ReceiveResult receive(MailCore mail, Inbox inbox, String id, String inReplyTo,
      String references) {
    String raw = "From: someone@people.example\r\nTo: " + inbox.localPart() + "@merge.test\r\n"
        + "Subject: Re: merge\r\nDate: Mon, 30 Nov 2026 12:00:00 +0000\r\nMessage-ID: " + id
        + "\r\nIn-Reply-To: " + inReplyTo + "\r\nReferences: " + references
        + "\r\n\r\nbody\r\n";
    return mail.mailboxes().receive(InboundMail.of(raw.getBytes(StandardCharsets.UTF_8)));
  }

  /** Threads {p}a (older) and {p}b of {@code size} messages each, as a chain of replies. */
  private static void bulkThreads(HikariDataSource ds, Inbox inbox, String p, int size)
      throws SQLException {
    String s = SCHEMA + ".";
    for (String t : List.of("a", "b")) {
      String thread = "md5('" + p + t + "')::uuid";
      String created = t.equals("a") ? "now() - interval '2 days'" : "now() - interval '1 day'";
      IngestBenchmark.exec(ds, "INSERT INTO " + s + "threads (id, inbox_id, subject,"
          + " message_count, created_at, updated_at) VALUES (" + thread + ", '" + inbox.id()
          + "', 'merge', " + size + ", " + created + ", " + created + ")");
      IngestBenchmark.exec(ds, "INSERT INTO " + s + "messages (id, message_id, thread_id,"
          + " inbox_id, direction, from_address, subject, sent_at, in_reply_to, body_text,"
          + " raw_storage_key, created_at) SELECT md5('" + p + t + "' || i)::uuid, '" + p + t
          + "-' || i || '@merge.test', " + thread + ", '" + inbox.id() + "', 'inbound',"
          + " 'user' || (i % 50) || '@people.example', 'Re: merge', " + created + ","
          + " CASE WHEN i > 0 THEN '" + p + t + "-' || (i - 1) || '@merge.test' END,"
          + " 'body', 'bulk/" + p + t + "/' || i, " + created
          + " FROM generate_series(0, " + (size - 1) + ") i");
    }
    IngestBenchmark.exec(ds, "ANALYZE " + s + "messages");
    IngestBenchmark.exec(ds, "ANALYZE " + s + "threads");
  }

  private static long scalar(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
