package dev.mailcore.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * An input stream of deterministic pseudo-random bytes that are generated as they are read, so
 * tests can push tens of megabytes through a component without holding them anywhere. It keeps
 * a SHA-256 of what it produced for comparison with what came out the other side.
 *
 * <p>Not API: for mailcore's own tests and contract suites; may change at any time. Not
 * thread-safe.
 */
public final class GeneratedStream extends InputStream {
  private final long length;
  private final SplittableRandom random;
  private final MessageDigest digest = newSha256();
  private long position;

  /**
   * Creates a stream.
   *
   * @param length how many bytes it yields
   * @param seed the generator seed; the same seed gives the same bytes
   */
  public GeneratedStream(long length, long seed) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    this.length = length;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - position);
    for (int i = 0; i < n; i++) {
      b[off + i] = (byte) random.nextInt(256);
    }
    digest.update(b, off, n);
    position += n;
    return n;
  }

  /**
   * The bytes produced so far.
   *
   * @return the count
   */
  public long produced() {
    return position;
  }

  /**
   * Hex SHA-256 of everything produced; call once, after the stream was read to its end.
   *
   * @return 64 hex digits
   */
  public String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Size and digest of what a stream yields.
   *
   * @param size bytes read
   * @param sha256 hex SHA-256
   */
  public record Digest(long size, String sha256) {}

  /**
   * Reads a stream to its end, counting and hashing; does not close it.
   *
   * @param in the stream
   * @return its size and digest
   */
  public static Digest digest(InputStream in) {
    MessageDigest d = newSha256();
    long size = 0;
    byte[] buf = new byte[64 << 10];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Digest(size, HexFormat.of().formatHex(d.digest()));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
