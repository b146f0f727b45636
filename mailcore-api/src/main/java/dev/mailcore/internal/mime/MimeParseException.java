package dev.mailcore.internal.mime;

/**
 * The message cannot be parsed or breaks a {@link ParseLimits} bound. The engine turns it into
 * {@link dev.mailcore.MalformedMessageException} with the raw storage key.
 */
public final class MimeParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason what is wrong, for a human (for example "MIME nesting deeper than 32 levels")
   * @param cause the underlying failure, or null
   */
  public MimeParseException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
