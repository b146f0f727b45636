package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
 * unknown lengths, exists and delete, and a large blob streamed through. Adapters subclass it
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
    String[] keys = {key("a/b/c.eml"), key("a/b"), key("a/b/c/d/e_f-g.h.pdf"),
        key("a/b/c.eml.bak"), key("A/B/C.EML")};
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
}
