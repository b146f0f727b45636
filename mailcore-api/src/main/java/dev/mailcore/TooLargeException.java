package dev.mailcore;

/**
 * Something is over a configured size limit. HTTP 413. Catch this to handle both cases alike;
 * the subclass says which limit: {@link MessageTooLargeException} for an inbound message over
 * {@link Limits#maxMessageBytes()}, {@link AttachmentTooLargeException} for outbound attachments
 * over {@link Limits#maxAttachmentBytes()}. Not retryable: the same input is refused again.
 * Immutable and thread-safe.
 */
public abstract sealed class TooLargeException extends MailCoreException
    permits AttachmentTooLargeException, MessageTooLargeException {
  private static final long serialVersionUID = 1L;

  private final long sizeBytes;
  private final long limitBytes;

  TooLargeException(String message, long sizeBytes, long limitBytes) {
    super(message);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }

  /**
   * The size that was seen.
   *
   * @return bytes; for a streamed inbound message, at least this many
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
