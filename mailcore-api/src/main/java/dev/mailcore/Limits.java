package dev.mailcore;

/**
 * Size and shape limits mailcore enforces on inbound and outbound mail. Start from
 * {@link #defaults()} and change what you need; each method returns a new instance. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().maxMessageBytes(20 << 20).maxMimeDepth(16);
 * }</pre>
 */
public final class Limits {
  private static final Limits DEFAULTS =
      new Limits(40L << 20, 32, 1000, 64 << 10, 2000, 4 << 20, 25L << 20);

  private final long maxMessageBytes;
  private final int maxMimeDepth;
  private final int maxParts;
  private final int maxHeaderBytes;
  private final int maxHeaderCount;
  private final int maxBodyBytes;
  private final long maxAttachmentBytes;

  private Limits(long maxMessageBytes, int maxMimeDepth, int maxParts, int maxHeaderBytes,
      int maxHeaderCount, int maxBodyBytes, long maxAttachmentBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.maxMimeDepth = maxMimeDepth;
    this.maxParts = maxParts;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxHeaderCount = maxHeaderCount;
    this.maxBodyBytes = maxBodyBytes;
    this.maxAttachmentBytes = maxAttachmentBytes;
  }

  /**
   * The defaults: 40 MiB messages, MIME depth 32, 1000 parts, 64 KiB per header field, 2000
   * header fields, 4 MiB inline text bodies, 25 MiB of outbound attachments.
   *
   * @return the default limits
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * The largest raw inbound message accepted; larger ones are refused with
   * {@link MessageTooLargeException} before anything is stored.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if {@code bytes} is below 1024
   */
  public Limits maxMessageBytes(long bytes) {
    require(bytes >= 1024, "maxMessageBytes must be at least 1024, got " + bytes);
    return new Limits(bytes, maxMimeDepth, maxParts, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
        maxAttachmentBytes);
  }

  /**
   * The deepest multipart / message/rfc822 nesting accepted.
   *
   * @param depth 1 to 1000
   * @return a copy with this limit
   * @throws IllegalArgumentException if out of range
   */
  public Limits maxMimeDepth(int depth) {
    require(depth >= 1 && depth <= 1000, "maxMimeDepth must be 1..1000, got " + depth);
    return new Limits(maxMessageBytes, depth, maxParts, maxHeaderBytes, maxHeaderCount,
        maxBodyBytes, maxAttachmentBytes);
  }

  /**
   * The most MIME parts accepted in one message.
   *
   * @param parts at least 1
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1
   */
  public Limits maxParts(int parts) {
    require(parts >= 1, "maxParts must be at least 1, got " + parts);
    return new Limits(maxMessageBytes, maxMimeDepth, parts, maxHeaderBytes, maxHeaderCount,
        maxBodyBytes, maxAttachmentBytes);
  }

  /**
   * The largest single header field accepted.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1024
   */
  public Limits maxHeaderBytes(int bytes) {
    require(bytes >= 1024, "maxHeaderBytes must be at least 1024, got " + bytes);
    return new Limits(maxMessageBytes, maxMimeDepth, maxParts, bytes, maxHeaderCount,
        maxBodyBytes, maxAttachmentBytes);
  }

  /**
   * The most header fields accepted per MIME entity.
   *
   * @param count at least 16
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 16
   */
  public Limits maxHeaderCount(int count) {
    require(count >= 16, "maxHeaderCount must be at least 16, got " + count);
    return new Limits(maxMessageBytes, maxMimeDepth, maxParts, maxHeaderBytes, count,
        maxBodyBytes, maxAttachmentBytes);
  }

  /**
   * The largest text or HTML body kept inline on the message; a larger text part is stored as
   * an attachment instead, so nothing is lost and memory stays bounded.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1024
   */
  public Limits maxBodyBytes(int bytes) {
    require(bytes >= 1024, "maxBodyBytes must be at least 1024, got " + bytes);
    return new Limits(maxMessageBytes, maxMimeDepth, maxParts, maxHeaderBytes, maxHeaderCount,
        bytes, maxAttachmentBytes);
  }

  /**
   * The largest total size of attachments on one outbound message.
   *
   * @param bytes at least 0
   * @return a copy with this limit
   * @throws IllegalArgumentException if negative
   */
  public Limits maxAttachmentBytes(long bytes) {
    require(bytes >= 0, "maxAttachmentBytes must be >= 0, got " + bytes);
    return new Limits(maxMessageBytes, maxMimeDepth, maxParts, maxHeaderBytes, maxHeaderCount,
        maxBodyBytes, bytes);
  }

  /** @return the largest raw inbound message accepted, in bytes */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** @return the deepest MIME nesting accepted */
  public int maxMimeDepth() {
    return maxMimeDepth;
  }

  /** @return the most MIME parts accepted */
  public int maxParts() {
    return maxParts;
  }

  /** @return the largest header field accepted, in bytes */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** @return the most header fields per entity accepted */
  public int maxHeaderCount() {
    return maxHeaderCount;
  }

  /** @return the largest inline text body, in bytes */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** @return the largest total of outbound attachments, in bytes */
  public long maxAttachmentBytes() {
    return maxAttachmentBytes;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  @Override
  public String toString() {
    return "Limits[maxMessageBytes=" + maxMessageBytes + ", maxMimeDepth=" + maxMimeDepth
        + ", maxParts=" + maxParts + ", maxHeaderBytes=" + maxHeaderBytes + ", maxHeaderCount="
        + maxHeaderCount + ", maxBodyBytes=" + maxBodyBytes + ", maxAttachmentBytes="
        + maxAttachmentBytes + "]";
  }
}
