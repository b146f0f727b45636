package dev.mailcore;

/**
 * Root of every exception mailcore throws on purpose. Unchecked, so callers handle only what
 * they can act on.
 *
 * <p>Each subclass maps to one HTTP status ({@link #httpStatus()}) so a host's HTTP layer can
 * translate errors without a lookup table, and says whether the same call may succeed if
 * repeated ({@link #retryable()}). Messages name the offending value and what to do; they never
 * contain credentials or message bodies.
 *
 * <p>The hierarchy is sealed: adapters translate their own failures (SQLState, AWS error codes)
 * into one of these at the boundary. Instances are immutable and safe to share between threads.
 */
public abstract sealed class MailCoreException extends RuntimeException
    permits ValidationException, NotFoundException, AttachmentTooLargeException,
        SuppressedRecipientException, MalformedMessageException, StorageException,
        DeliveryException, WebhookVerificationException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and no cause.
   *
   * @param message what went wrong, with the offending value and what to do
   */
  protected MailCoreException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, with the offending value and what to do
   * @param cause the underlying failure, or {@code null}
   */
  protected MailCoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The HTTP status a host API should answer with for this error.
   *
   * @return an HTTP status code, 400-599
   */
  public abstract int httpStatus();

  /**
   * Whether repeating the same call unchanged may succeed (a transient database or network
   * failure). Validation and not-found errors are never retryable.
   *
   * @return {@code true} if a retry may succeed
   */
  public boolean retryable() {
    return false;
  }
}
