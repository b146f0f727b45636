package dev.mailcore;

/**
 * An inbound raw message is larger than {@link Limits#maxMessageBytes()}; it was refused before
 * anything was stored. HTTP 413. Attachments of an outbound email over
 * {@link Limits#maxAttachmentBytes()} raise {@link AttachmentTooLargeException} instead.
 *
 * <p>When the message arrives as a stream, reading stops at the first chunk over the limit, so
 * {@link #sizeBytes()} is a lower bound. Immutable and thread-safe.
 */
public final class MessageTooLargeException extends TooLargeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a message-size error.
   *
   * @param sizeBytes the size seen (at least this many bytes)
   * @param limitBytes the configured {@link Limits#maxMessageBytes()}
   */
  public MessageTooLargeException(long sizeBytes, long limitBytes) {
    super("inbound message is " + sizeBytes + " bytes or more, over Limits.maxMessageBytes = "
        + limitBytes + "; the sender must send a smaller message, or raise"
        + " Limits.maxMessageBytes (MailCore.builder().limits(...))", sizeBytes, limitBytes);
  }
}
