package dev.mailcore.benchmarks.blob;

import dev.mailcore.aws.S3BlobStore;
import dev.mailcore.aws.S3ProxyServer;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.BlobStore.Namespace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3BlobStore against bare S3Client calls doing the same work, in one run, interleaved round by
 * round, against S3Proxy in-process on loopback (DESIGN.md section 15: at least 0.9x of bare).
 * Two workloads: put + get of 5 KB raw messages, and put + get of 5 MB attachments. Each put is
 * followed by a get that reads the object to its end. Not a test; see benchmarks/README.md.
 *
 * Writes (replaces) {@code benchmarks/results/blob.txt}; {@link BlobHeapBenchmark} appends to it.
 *
 * <p>System properties: {@code -Drounds=7}, {@code -Dsmall=400} (5 KB objects per round and
 * side), {@code -Dlarge=8} (5 MB objects per round and side), {@code -Dresults=...}.
 */
public final class S3BlobBenchmark {
  private static final int ROUNDS = Integer.getInteger("rounds", 7);
  private static final int SMALL = Integer.getInteger("small", 400);
  private static final int LARGE = Integer.getInteger("large", 8);

  private S3BlobBenchmark() {}

  /** A way of putting and getting one object. */
  private interface Side {
    void putGet(String key, byte[] content, String contentType) throws IOException;
  }

  /**
   * Runs the benchmark.
   *
   * @param args ignored
   * @throws IOException if the results cannot be written
   */
  public static void main(String[] args) throws IOException {
    byte[] small = new byte[5 * 1024];
    byte[] large = new byte[5 * 1000 * 1000];
    new SplittableRandom(1).nextBytes(small);
    new SplittableRandom(2).nextBytes(large);
    StringBuilder out = new StringBuilder();
    try (S3ProxyServer server = new S3ProxyServer(); S3Client s3 = server.newClient()) {
      server.createBuckets("bench-raw", "bench-att");
      BlobStore store = S3BlobStore.builder().client(s3).rawBucket("bench-raw")
          .attachmentBucket("bench-att").build();
      Side mailcore = (key, content, type) -> {
        Namespace ns = type.equals("message/rfc822") ? Namespace.RAW : Namespace.ATTACHMENTS;
        store.put(ns, key, new ByteArrayInputStream(content), content.length, type);
        try (InputStream in = store.get(ns, key).orElseThrow()) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      };
      Side bare = (key, content, type) -> {
        String bucket = type.equals("message/rfc822") ? "bench-raw" : "bench-att";
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(type),
            RequestBody.fromBytes(content));
        try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      };
      out.append(String.format(Locale.ROOT, "S3BlobBenchmark  %s  (S3Proxy %s, in-process,"
          + " filesystem backend; rounds=%d; ops = put + full get; ratio = bare time /"
          + " S3BlobStore time for the same operations)%n",
          java.time.Instant.now(), server.endpoint(), ROUNDS));
      out.append(workload("5 KB raw messages", mailcore, bare, small, "message/rfc822", SMALL,
          20));
      out.append(workload("5 MB attachments", mailcore, bare, large, "application/pdf", LARGE,
          1));
    }
    System.out.print(out);
    Path results = Path.of(System.getProperty("results", "benchmarks/results/blob.txt"));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, out.toString());
  }

  private static String workload(String name, Side mailcore, Side bare, byte[] content,
      String type, int perRound, int slice) {
    // warm-up: both sides, a full round each
    time(mailcore, "warm-m", 0, content, type, perRound);
    time(bare, "warm-b", 0, content, type, perRound);
    List<Double> m = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Interleaved in slices of a few operations, alternating which side goes first, so a
      // noisy neighbour on a shared machine slows both sides alike.
      long nanosM = 0;
      long nanosB = 0;
      for (int done = 0, k = 0; done < perRound; done += slice, k++) {
        int n = Math.min(slice, perRound - done);
        if (k % 2 == 0) {
          nanosM += time(mailcore, "m" + round, done, content, type, n);
          nanosB += time(bare, "b" + round, done, content, type, n);
        } else {
          nanosB += time(bare, "b" + round, done, content, type, n);
          nanosM += time(mailcore, "m" + round, done, content, type, n);
        }
      }
      m.add(perRound / (nanosM / 1e9));
      b.add(perRound / (nanosB / 1e9));
      ratios.add((double) nanosB / nanosM);
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%n%s (%d per round and side, interleaved in slices of"
        + " %d)%n", name, perRound, slice));
    for (int i = 0; i < ROUNDS; i++) {
      s.append(String.format(Locale.ROOT, "  round %d: S3BlobStore %8.1f ops/s  bare S3Client"
          + " %8.1f ops/s  ratio %.3f%n", i + 1, m.get(i), b.get(i), ratios.get(i)));
    }
    s.append(String.format(Locale.ROOT, "  median: S3BlobStore %.1f ops/s, bare %.1f ops/s,"
        + " median of per-round ratios %.3f (target >= 0.9)%n", median(m), median(b),
        median(ratios)));
    return s.toString();
  }

  /** Runs {@code count} put+get operations and returns the elapsed nanoseconds. */
  private static long time(Side side, String prefix, int first, byte[] content, String type,
      int count) {
    long start = System.nanoTime();
    for (int i = first; i < first + count; i++) {
      try {
        side.putGet("2026/03/02/" + prefix + "/" + i + (type.equals("message/rfc822") ? ".eml"
            : "/a.pdf"), content, type);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return System.nanoTime() - start;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
