package dev.mailcore.benchmarks.blob;

import dev.mailcore.FileSystemBlobStore;
import dev.mailcore.aws.S3BlobStore;
import dev.mailcore.aws.S3ProxyServer;
import dev.mailcore.postgres.PostgresBlobStore;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.BlobStore.Namespace;
import dev.mailcore.testkit.internal.GeneratedStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Heap growth while storing and reading back a 40 MB attachment (of unknown length, generated
 * as it is read) through FileSystemBlobStore, PostgresBlobStore and S3BlobStore (DESIGN.md
 * section 15: under 8 MB). Measures live heap, not allocation: a sampler thread forces a full
 * GC every few milliseconds while the put (then the get) runs and records the heap in use after
 * each one; growth is the highest sample minus the same measurement taken just before. S3Proxy
 * runs in a child JVM ({@link S3ProxyMain}) so its buffers are not counted. Appends to
 * {@code benchmarks/results/blob.txt}. Not a test; see benchmarks/README.md.
 *
 * <p>Environment: {@code MAILCORE_BENCH_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}; uses schema
 * {@code mc_bench_blob}). System properties: {@code -Dmb=40}, {@code -Dresults=...}.
 */
public final class BlobHeapBenchmark {
  private static final long SIZE = Long.getLong("mb", 40L) << 20;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private BlobHeapBenchmark() {}

  /**
   * Runs the measurement.
   *
   * @param args ignored
   * @throws Exception if a store or the child JVM fails
   */
  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "BlobHeapBenchmark  %s  (%d MB attachment, unknown length; -Xmx %d MB; live heap"
            + " sampled after forced full GCs)%n%n", java.time.Instant.now(), SIZE >> 20,
        Runtime.getRuntime().maxMemory() >> 20));
    Path dir = Files.createTempDirectory("mailcore-heap-");
    try (BlobStore fs = FileSystemBlobStore.builder().root(dir).build()) {
      out.append(measure("FileSystemBlobStore", fs));
    }
    String url = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    String user = System.getenv().getOrDefault("MAILCORE_BENCH_JDBC_USER", "postgres");
    try (BlobStore pg = PostgresBlobStore.builder().jdbcUrl(url).username(user)
        .maximumPoolSize(2).schema("mc_bench_blob")
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build()) {
      out.append(measure("PostgresBlobStore (1 MiB chunks)", pg));
    }
    Process proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", S3ProxyMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String endpoint = new BufferedReader(new InputStreamReader(proxy.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      try (BlobStore s3 = S3BlobStore.builder().endpoint(URI.create(endpoint))
          .region(S3ProxyServer.REGION.id()).pathStyle(true)
          .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
              S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
          .rawBucket("heap-raw").attachmentBucket("heap-att").build()) {
        out.append(measure("S3BlobStore (5 MiB parts, S3Proxy in a child JVM)", s3));
      }
    } finally {
      proxy.getOutputStream().close();
      proxy.waitFor();
    }
    System.out.print(out);
    Path results = Path.of(System.getProperty("results", "benchmarks/results/blob.txt"));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, "\n" + out, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static String measure(String name, BlobStore store) {
    // Warm-up: load classes, fill connection pools, size buffers.
    store.put(Namespace.ATTACHMENTS, "heap/warm.bin", new GeneratedStream(12L << 20, 1), -1,
        "application/octet-stream");
    drain(store, "heap/warm.bin");
    long put = peakGrowth(() -> {
      store.put(Namespace.ATTACHMENTS, "heap/40mb.bin", new GeneratedStream(SIZE, 2), -1,
          "application/octet-stream");
      return null;
    });
    long get = peakGrowth(() -> {
      drain(store, "heap/40mb.bin");
      return null;
    });
    store.delete(Namespace.ATTACHMENTS, "heap/warm.bin");
    store.delete(Namespace.ATTACHMENTS, "heap/40mb.bin");
    return String.format(Locale.ROOT, "%-52s put: heap growth %5.1f MB   get: heap growth %5.1f"
        + " MB   (target < 8 MB)%n", name, put / 1048576.0, get / 1048576.0);
  }

  private static void drain(BlobStore store, String key) {
    try (InputStream in = store.get(Namespace.ATTACHMENTS, key).orElseThrow()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Highest live heap while {@code work} runs, minus the live heap just before it. */
  private static long peakGrowth(Supplier<Void> work) {
    long before = liveHeap();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak.accumulateAndGet(liveHeap(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.start();
    try {
      work.get();
    } finally {
      done.set(true);
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Math.max(0, peak.get() - before);
  }

  private static long liveHeap() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
