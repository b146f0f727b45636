package dev.mailcore;

/**
 * An inbound raw message is larger than {@link Limits#maxMessageBytes()}; it was refused before
 * anything was stored. HTTP 413. Attachments of an outbound email over
 * {@link Limits#maxAttachmentBytes()} raise {@link AttachmentTooLargeException} instead.
 *
 * <p>When the message arrives as a stream, reading stops at the first chunk over the limit, so
 * {@link #sizeBytes()} is a lower bound. Immutable and thread-safe.
 */
public final class MessageTooLargeException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final long sizeBytes;
  private final long limitBytes;

  /**
   * Creates a message-size error.
   *
   * @param sizeBytes the size seen (at least this many bytes)
   * @param limitBytes the configured {@link Limits#maxMessageBytes()}
   */
  public MessageTooLargeException(long sizeBytes, long limitBytes) {
    super("inbound message is " + sizeBytes + " bytes or more, over Limits.maxMessageBytes = "
        + limitBytes + "; the sender must send a smaller message, or raise"
        + " Limits.maxMessageBytes (MailCore.builder().limits(...))");
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }

  /**
   * The size that was seen.
   *
   * @return bytes; at least this many when the message was streamed
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * The limit that was exceeded, {@link Limits#maxMessageBytes()}.
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
