package dev.mailcore;

/**
 * The attachments of an outbound email exceed {@link Limits#maxAttachmentBytes()}. HTTP 413. An
 * inbound message over {@link Limits#maxMessageBytes()} raises {@link MessageTooLargeException}
 * instead. Immutable and thread-safe.
 */
public final class AttachmentTooLargeException extends TooLargeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a size-limit error.
   *
   * @param sizeBytes the size seen (at least this many bytes)
   * @param limitBytes the configured limit
   */
  public AttachmentTooLargeException(long sizeBytes, long limitBytes) {
    super("attachments total " + sizeBytes + " bytes, over the limit of " + limitBytes
        + " bytes; send smaller or fewer attachments, or raise Limits.maxAttachmentBytes",
        sizeBytes, limitBytes);
  }
}
