package dev.mailcore;

/**
 * The attachments of an outbound email exceed {@link Limits#maxAttachmentBytes()}. HTTP 413. An
 * inbound message over {@link Limits#maxMessageBytes()} raises {@link MessageTooLargeException}
 * instead. Immutable and thread-safe.
 */
public final class AttachmentTooLargeException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final long sizeBytes;
  private final long limitBytes;

  /**
   * Creates a size-limit error.
   *
   * @param sizeBytes the size seen (at least this many bytes)
   * @param limitBytes the configured limit
   */
  public AttachmentTooLargeException(long sizeBytes, long limitBytes) {
    super("attachments total " + sizeBytes + " bytes, over the limit of " + limitBytes
        + " bytes; send smaller or fewer attachments, or raise Limits.maxAttachmentBytes");
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }

  /**
   * The size that was seen.
   *
   * @return bytes
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * The limit that was exceeded.
   *
   * @return bytes
   */
  public long limitBytes() {
    return limitBytes;
  }

  @Override
  public int httpStatus() {
    return 413;
  }
}
