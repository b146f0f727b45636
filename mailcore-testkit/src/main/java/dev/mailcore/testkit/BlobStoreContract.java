package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailcore.StorageException;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.BlobStore.Namespace;
import dev.mailcore.testkit.internal.GeneratedStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link BlobStore} must have: round trips in both namespaces, overwrite,
 * unknown lengths, exists and delete, a large blob streamed through, atomic puts (a put whose
 * content fails leaves the earlier blob, or nothing), sizes around typical chunk and part
 * boundaries, and read streams that release what they hold when closed early. Adapters subclass it
 * and implement {@link #createBlobStore()}; the testkit runs it against
 * {@link InMemoryBlobStore}.
 *
 * <pre>{@code
 * class S3BlobStoreContractTest extends BlobStoreContract {
 *   @Override
 *   protected BlobStore createBlobStore() {
 *     return S3BlobStore.builder().client(s3).rawBucket("raw").attachmentBucket("att").build();
 *   }
 * }
 * }</pre>
 *
 * <p>Keys are unique per test run, so a store backed by shared buckets need not be emptied
 * between tests. Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class BlobStoreContract {

  /** Size of the large blob: big enough that a store buffering it whole would be noticed. */
  protected static final long LARGE_BLOB_BYTES = 20L << 20;

  /** The store under test, fresh for each test. */
  protected BlobStore blobs;

  private final String run = Long.toHexString(System.nanoTime());

  /** Creates the contract; subclasses are created by JUnit. */
  protected BlobStoreContract() {}

  /**
   * Creates the blob store under test. Called once per test; closed after the test.
   *
   * @return the store
   */
  protected abstract BlobStore createBlobStore();

  @BeforeEach
  void openStore() {
    blobs = createBlobStore();
  }

  @AfterEach
  void closeStore() {
    if (blobs != null) {
      blobs.close();
    }
  }

  /**
   * A key unique to this test run.
   *
   * @param suffix the rest of the key
   * @return the key
   */
  protected String key(String suffix) {
    return "2026/03/02/" + run + "/" + suffix;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(Optional<InputStream> in) {
    assertThat(in).as("blob present").isPresent();
    try (InputStream s = in.get()) {
      return s.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_thenGet_returnsSameBytes(Namespace ns) {
    byte[] content = bytes("From: a@example.com\r\n\r\nbody \u00e9\u2713\r\n");
    blobs.put(ns, key("a.eml"), new ByteArrayInputStream(content), content.length,
        "message/rfc822");

    assertThat(read(blobs.get(ns, key("a.eml")))).isEqualTo(content);
    assertThat(blobs.exists(ns, key("a.eml"))).isTrue();
  }

  @Test
  void namespaces_areIndependent() {
    byte[] raw = bytes("raw content");
    byte[] att = bytes("attachment content");
    blobs.put(Namespace.RAW, key("same"), new ByteArrayInputStream(raw), raw.length,
        "message/rfc822");
    assertThat(blobs.exists(Namespace.ATTACHMENTS, key("same"))).isFalse();
    assertThat(blobs.get(Namespace.ATTACHMENTS, key("same"))).isEmpty();

    blobs.put(Namespace.ATTACHMENTS, key("same"), new ByteArrayInputStream(att), att.length,
        "text/plain");
    assertThat(read(blobs.get(Namespace.RAW, key("same")))).isEqualTo(raw);
    assertThat(read(blobs.get(Namespace.ATTACHMENTS, key("same")))).isEqualTo(att);

    blobs.delete(Namespace.RAW, key("same"));
    assertThat(blobs.exists(Namespace.RAW, key("same"))).isFalse();
    assertThat(read(blobs.get(Namespace.ATTACHMENTS, key("same")))).isEqualTo(att);
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_whenKeyExists_replacesContent(Namespace ns) {
    byte[] first = bytes("first, and longer than the second");
    byte[] second = bytes("second");
    blobs.put(ns, key("k"), new ByteArrayInputStream(first), first.length, "text/plain");
    blobs.put(ns, key("k"), new ByteArrayInputStream(second), second.length, "text/plain");

    assertThat(read(blobs.get(ns, key("k")))).isEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_withUnknownLength_storesEverything(Namespace ns) {
    byte[] content = new byte[300_000];
    new SplittableRandom(7).nextBytes(content);
    blobs.put(ns, key("unknown.bin"), new ByteArrayInputStream(content), -1,
        "application/octet-stream");

    assertThat(read(blobs.get(ns, key("unknown.bin")))).isEqualTo(content);
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_emptyBlob_roundTrips(Namespace ns) {
    blobs.put(ns, key("empty"), new ByteArrayInputStream(new byte[0]), 0, "text/plain");

    assertThat(blobs.exists(ns, key("empty"))).isTrue();
    assertThat(read(blobs.get(ns, key("empty")))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void get_whenMissing_returnsEmpty(Namespace ns) {
    assertThat(blobs.get(ns, key("missing"))).isEmpty();
    assertThat(blobs.exists(ns, key("missing"))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void delete_removesBlob_andDeletingMissingKeyIsFine(Namespace ns) {
    byte[] content = bytes("x");
    blobs.put(ns, key("d"), new ByteArrayInputStream(content), 1, "text/plain");

    blobs.delete(ns, key("d"));
    assertThat(blobs.exists(ns, key("d"))).isFalse();
    assertThat(blobs.get(ns, key("d"))).isEmpty();

    blobs.delete(ns, key("d"));
    blobs.delete(ns, key("never-existed"));
  }

  @Test
  void keys_withSlashesDotsDashesUnderscores_areDistinct() {
    putAndReadBack(key("a/b/c.eml"), key("a/b/c/d/e_f-g.h.pdf"), key("a/b/c.eml.bak"),
        key("A/B/C.EML"), key("a/b/c-d.eml"));
  }

  @Test
  void keys_whereOneIsAlsoAPrefixDirectoryOfAnother_areDistinct() {
    assumeTrue(keyMayBeAPrefixOfAnother(), "the backend under test cannot hold a key and a"
        + " longer key below it");
    putAndReadBack(key("a/b"), key("a/b/c.eml"), key("x/y/z"), key("x/y"));
  }

  /**
   * Whether the storage behind the store lets {@code a/b} and {@code a/b/c} both exist, as S3
   * and every mailcore store do. Override to return false only for a test backend that maps
   * keys onto a file system's directories (S3Proxy's file system and in-memory backends).
   *
   * @return true unless the backend under test is limited so
   */
  protected boolean keyMayBeAPrefixOfAnother() {
    return true;
  }

  private void putAndReadBack(String... keys) {
    for (int i = 0; i < keys.length; i++) {
      byte[] content = bytes("content " + i);
      blobs.put(Namespace.ATTACHMENTS, keys[i], new ByteArrayInputStream(content),
          content.length, "application/octet-stream");
    }
    for (int i = 0; i < keys.length; i++) {
      assertThat(read(blobs.get(Namespace.ATTACHMENTS, keys[i]))).as(keys[i])
          .isEqualTo(bytes("content " + i));
    }
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_largeStreamedBlobOfUnknownLength_roundTripsByDigest(Namespace ns) throws IOException {
    GeneratedStream in = new GeneratedStream(LARGE_BLOB_BYTES, 42);
    blobs.put(ns, key("large.bin"), in, -1, "application/octet-stream");
    assertThat(in.produced()).as("put reads the content to its end").isEqualTo(LARGE_BLOB_BYTES);
    String expected = in.sha256();

    try (InputStream got = blobs.get(ns, key("large.bin")).orElseThrow()) {
      GeneratedStream.Digest d = GeneratedStream.digest(got);
      assertThat(d.size()).isEqualTo(LARGE_BLOB_BYTES);
      assertThat(d.sha256()).isEqualTo(expected);
    }
  }

  @Test
  void put_largeBlobWithKnownLength_roundTripsByDigest() throws IOException {
    GeneratedStream in = new GeneratedStream(LARGE_BLOB_BYTES, 43);
    blobs.put(Namespace.RAW, key("large-known.eml"), in, LARGE_BLOB_BYTES, "message/rfc822");
    String expected = in.sha256();

    try (InputStream got = blobs.get(Namespace.RAW, key("large-known.eml")).orElseThrow()) {
      GeneratedStream.Digest d = GeneratedStream.digest(got);
      assertThat(d.size()).isEqualTo(LARGE_BLOB_BYTES);
      assertThat(d.sha256()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_whenKeyHoldsLargeBlob_replacesItWhole(Namespace ns) throws IOException {
    blobs.put(ns, key("shrink"), new GeneratedStream(6L << 20, 5), -1,
        "application/octet-stream");
    byte[] small = bytes("small now");
    blobs.put(ns, key("shrink"), new ByteArrayInputStream(small), -1, "text/plain");
    assertThat(read(blobs.get(ns, key("shrink")))).isEqualTo(small);

    GeneratedStream large = new GeneratedStream(6L << 20, 6);
    blobs.put(ns, key("shrink"), large, -1, "application/octet-stream");
    String expected = large.sha256();
    try (InputStream got = blobs.get(ns, key("shrink")).orElseThrow()) {
      GeneratedStream.Digest d = GeneratedStream.digest(got);
      assertThat(d.size()).isEqualTo(6L << 20);
      assertThat(d.sha256()).isEqualTo(expected);
    }
  }

  @Test
  void put_sizesAroundChunkAndPartBoundaries_roundTrip() throws IOException {
    // 1 MiB and 5 MiB are where chunked and multipart stores cut; 64 KiB a common buffer.
    long[] sizes = {(64 << 10) - 1, 64 << 10, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
        5L << 20, (5L << 20) + 1};
    for (int i = 0; i < sizes.length; i++) {
      for (long length : new long[] {-1, sizes[i]}) {
        String k = key("boundary-" + i + (length < 0 ? "-unknown" : "-known"));
        GeneratedStream in = new GeneratedStream(sizes[i], 100 + i);
        blobs.put(Namespace.ATTACHMENTS, k, in, length, "application/octet-stream");
        String expected = in.sha256();
        try (InputStream got = blobs.get(Namespace.ATTACHMENTS, k).orElseThrow()) {
          GeneratedStream.Digest d = GeneratedStream.digest(got);
          assertThat(d.size()).as(k).isEqualTo(sizes[i]);
          assertThat(d.sha256()).as(k).isEqualTo(expected);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_whenContentFailsOnNewKey_leavesNothing(Namespace ns) {
    InputStream failing = new FailingStream(new GeneratedStream(7L << 20, 8), 6L << 20);

    assertThatThrownBy(() -> blobs.put(ns, key("failed"), failing, -1,
        "application/octet-stream")).isInstanceOf(StorageException.class);

    assertThat(blobs.exists(ns, key("failed"))).isFalse();
    assertThat(blobs.get(ns, key("failed"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Namespace.class)
  void put_whenContentFailsOnExistingKey_keepsEarlierBlob(Namespace ns) {
    byte[] earlier = bytes("the earlier content stays whole");
    blobs.put(ns, key("kept"), new ByteArrayInputStream(earlier), earlier.length, "text/plain");
    InputStream failing = new FailingStream(new GeneratedStream(2L << 20, 9), 1L << 20);

    assertThatThrownBy(() -> blobs.put(ns, key("kept"), failing, 2L << 20,
        "application/octet-stream")).isInstanceOf(StorageException.class);

    assertThat(read(blobs.get(ns, key("kept")))).isEqualTo(earlier);
  }

  @Test
  void get_streamsClosedEarly_releaseTheirResources() throws IOException {
    // More early-closed reads than any sane connection pool holds: a store that leaked a
    // connection (or file handle) per abandoned stream would stall or fail here.
    GeneratedStream in = new GeneratedStream(3L << 20, 10);
    blobs.put(Namespace.RAW, key("abandoned.eml"), in, -1, "message/rfc822");
    for (int i = 0; i < 64; i++) {
      try (InputStream s = blobs.get(Namespace.RAW, key("abandoned.eml")).orElseThrow()) {
        assertThat(s.readNBytes(10)).hasSize(10);
      }
    }
    byte[] after = bytes("still works");
    blobs.put(Namespace.RAW, key("after.eml"), new ByteArrayInputStream(after), after.length,
        "message/rfc822");
    assertThat(read(blobs.get(Namespace.RAW, key("after.eml")))).isEqualTo(after);
  }

  @Test
  void get_twoStreamsOpenAtOnce_readIndependently() throws IOException {
    byte[] a = new byte[(1 << 20) + 17];
    byte[] b = new byte[(1 << 20) + 33];
    new SplittableRandom(11).nextBytes(a);
    new SplittableRandom(12).nextBytes(b);
    blobs.put(Namespace.ATTACHMENTS, key("a.bin"), new ByteArrayInputStream(a), a.length,
        "application/octet-stream");
    blobs.put(Namespace.ATTACHMENTS, key("b.bin"), new ByteArrayInputStream(b), b.length,
        "application/octet-stream");

    java.io.ByteArrayOutputStream gotA = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream gotB = new java.io.ByteArrayOutputStream();
    try (InputStream sa = blobs.get(Namespace.ATTACHMENTS, key("a.bin")).orElseThrow();
        InputStream sb = blobs.get(Namespace.ATTACHMENTS, key("b.bin")).orElseThrow()) {
      byte[] buf = new byte[100_000];
      boolean doneA = false;
      boolean doneB = false;
      while (!doneA || !doneB) {
        doneA = doneA || copyOnce(sa, buf, gotA);
        doneB = doneB || copyOnce(sb, buf, gotB);
      }
    }
    assertThat(gotA.toByteArray()).isEqualTo(a);
    assertThat(gotB.toByteArray()).isEqualTo(b);
  }

  @Test
  void operations_withNullArguments_throwNullPointerException() {
    InputStream empty = new ByteArrayInputStream(new byte[0]);
    assertThatThrownBy(() -> blobs.put(null, key("n"), empty, 0, "text/plain"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> blobs.put(Namespace.RAW, null, empty, 0, "text/plain"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> blobs.put(Namespace.RAW, key("n"), null, 0, "text/plain"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> blobs.get(Namespace.RAW, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> blobs.exists(null, key("n")))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> blobs.delete(Namespace.RAW, null))
        .isInstanceOf(NullPointerException.class);
  }

  private static boolean copyOnce(InputStream in, byte[] buf, java.io.OutputStream out)
      throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      return true;
    }
    out.write(buf, 0, n);
    return false;
  }

  /** Yields {@code failAfter} bytes of its source, then throws, as a broken upload would. */
  private static final class FailingStream extends InputStream {
    private final InputStream source;
    private long left;

    FailingStream(InputStream source, long failAfter) {
      this.source = source;
      this.left = failAfter;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("the content stream broke (simulated by the contract)");
      }
      int n = source.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
