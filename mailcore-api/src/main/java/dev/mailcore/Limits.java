package dev.mailcore;

/**
 * Size and shape limits mailcore enforces on inbound and outbound mail. Start from
 * {@link #defaults()} or {@link #builder()} and change what you need: each wither returns a new
 * instance, and {@link #toBuilder()} changes several at once. Immutable and thread-safe.
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxMessageBytes(20 << 20).maxMimeDepth(16).build();
 * Limits smaller = Limits.defaults().maxMessageBytes(10 << 20);
 * }</pre>
 */
public final class Limits {
  private static final Limits DEFAULTS = new Builder().build();

  private final long maxMessageBytes;
  private final int maxMimeDepth;
  private final int maxParts;
  private final int maxHeaderBytes;
  private final int maxHeaderCount;
  private final int maxBodyBytes;
  private final long maxAttachmentBytes;

  private Limits(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxMimeDepth = b.maxMimeDepth;
    this.maxParts = b.maxParts;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxHeaderCount = b.maxHeaderCount;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxAttachmentBytes = b.maxAttachmentBytes;
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
   * A builder that starts from the {@linkplain #defaults() defaults}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A copy with another {@link Builder#maxMessageBytes(long) maxMessageBytes}.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if {@code bytes} is below 1024
   */
  public Limits maxMessageBytes(long bytes) {
    return toBuilder().maxMessageBytes(bytes).build();
  }

  /**
   * A copy with another {@link Builder#maxMimeDepth(int) maxMimeDepth}.
   *
   * @param depth 1 to 1000
   * @return a copy with this limit
   * @throws IllegalArgumentException if out of range
   */
  public Limits maxMimeDepth(int depth) {
    return toBuilder().maxMimeDepth(depth).build();
  }

  /**
   * A copy with another {@link Builder#maxParts(int) maxParts}.
   *
   * @param parts at least 1
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1
   */
  public Limits maxParts(int parts) {
    return toBuilder().maxParts(parts).build();
  }

  /**
   * A copy with another {@link Builder#maxHeaderBytes(int) maxHeaderBytes}.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1024
   */
  public Limits maxHeaderBytes(int bytes) {
    return toBuilder().maxHeaderBytes(bytes).build();
  }

  /**
   * A copy with another {@link Builder#maxHeaderCount(int) maxHeaderCount}.
   *
   * @param count at least 16
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 16
   */
  public Limits maxHeaderCount(int count) {
    return toBuilder().maxHeaderCount(count).build();
  }

  /**
   * A copy with another {@link Builder#maxBodyBytes(int) maxBodyBytes}.
   *
   * @param bytes at least 1 KiB
   * @return a copy with this limit
   * @throws IllegalArgumentException if below 1024
   */
  public Limits maxBodyBytes(int bytes) {
    return toBuilder().maxBodyBytes(bytes).build();
  }

  /**
   * A copy with another {@link Builder#maxAttachmentBytes(long) maxAttachmentBytes}.
   *
   * @param bytes at least 0
   * @return a copy with this limit
   * @throws IllegalArgumentException if negative
   */
  public Limits maxAttachmentBytes(long bytes) {
    return toBuilder().maxAttachmentBytes(bytes).build();
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
  public boolean equals(Object o) {
    return o instanceof Limits l && maxMessageBytes == l.maxMessageBytes
        && maxMimeDepth == l.maxMimeDepth && maxParts == l.maxParts
        && maxHeaderBytes == l.maxHeaderBytes && maxHeaderCount == l.maxHeaderCount
        && maxBodyBytes == l.maxBodyBytes && maxAttachmentBytes == l.maxAttachmentBytes;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(maxMessageBytes, maxMimeDepth, maxParts, maxHeaderBytes,
        maxHeaderCount, maxBodyBytes, maxAttachmentBytes);
  }

  @Override
  public String toString() {
    return "Limits[maxMessageBytes=" + maxMessageBytes + ", maxMimeDepth=" + maxMimeDepth
        + ", maxParts=" + maxParts + ", maxHeaderBytes=" + maxHeaderBytes + ", maxHeaderCount="
        + maxHeaderCount + ", maxBodyBytes=" + maxBodyBytes + ", maxAttachmentBytes="
        + maxAttachmentBytes + "]";
  }

  /**
   * Builds {@link Limits}, starting from the defaults; each setter checks its value at once.
   * Not thread-safe; the built instance is.
   */
  public static final class Builder {
    private long maxMessageBytes = 40L << 20;
    private int maxMimeDepth = 32;
    private int maxParts = 1000;
    private int maxHeaderBytes = 64 << 10;
    private int maxHeaderCount = 2000;
    private int maxBodyBytes = 4 << 20;
    private long maxAttachmentBytes = 25L << 20;

    private Builder() {}

    private Builder(Limits l) {
      maxMessageBytes = l.maxMessageBytes;
      maxMimeDepth = l.maxMimeDepth;
      maxParts = l.maxParts;
      maxHeaderBytes = l.maxHeaderBytes;
      maxHeaderCount = l.maxHeaderCount;
      maxBodyBytes = l.maxBodyBytes;
      maxAttachmentBytes = l.maxAttachmentBytes;
    }

    /**
     * The largest raw inbound message accepted; larger ones are refused with
     * {@link MessageTooLargeException} before anything is stored. Default 40 MiB.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1024
     */
    public Builder maxMessageBytes(long bytes) {
      require(bytes >= 1024, "maxMessageBytes must be at least 1024, got " + bytes);
      maxMessageBytes = bytes;
      return this;
    }

    /**
     * The deepest multipart / message/rfc822 nesting accepted. Default 32.
     *
     * @param depth 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxMimeDepth(int depth) {
      require(depth >= 1 && depth <= 1000, "maxMimeDepth must be 1..1000, got " + depth);
      maxMimeDepth = depth;
      return this;
    }

    /**
     * The most MIME parts accepted in one message. Default 1000.
     *
     * @param parts at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxParts(int parts) {
      require(parts >= 1, "maxParts must be at least 1, got " + parts);
      maxParts = parts;
      return this;
    }

    /**
     * The largest single header field accepted. Default 64 KiB.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxHeaderBytes(int bytes) {
      require(bytes >= 1024, "maxHeaderBytes must be at least 1024, got " + bytes);
      maxHeaderBytes = bytes;
      return this;
    }

    /**
     * The most header fields accepted per MIME entity. Default 2000.
     *
     * @param count at least 16
     * @return this builder
     * @throws IllegalArgumentException if below 16
     */
    public Builder maxHeaderCount(int count) {
      require(count >= 16, "maxHeaderCount must be at least 16, got " + count);
      maxHeaderCount = count;
      return this;
    }

    /**
     * The largest text or HTML body kept inline on the message; a larger text part is stored
     * as an attachment instead, so nothing is lost and memory stays bounded. Default 4 MiB.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxBodyBytes(int bytes) {
      require(bytes >= 1024, "maxBodyBytes must be at least 1024, got " + bytes);
      maxBodyBytes = bytes;
      return this;
    }

    /**
     * The largest total size of attachments on one outbound message. Default 25 MiB.
     *
     * @param bytes at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxAttachmentBytes(long bytes) {
      require(bytes >= 0, "maxAttachmentBytes must be >= 0, got " + bytes);
      maxAttachmentBytes = bytes;
      return this;
    }

    /**
     * The limits as set.
     *
     * @return a new immutable {@link Limits}
     */
    public Limits build() {
      return new Limits(this);
    }
  }
}
