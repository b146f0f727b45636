package dev.mailcore;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception mailcore throws on purpose. Unchecked, so callers handle only what
 * they can act on.
 *
 * <p>Each subclass maps to one HTTP status ({@link #httpStatus()}) so a host's HTTP layer can
 * translate errors without a lookup table, and says whether the same call may succeed if
 * repeated ({@link #retryable()}). Messages name the offending value and what to do; they never
 * contain credentials or message bodies.
 *
 * <table>
 *   <caption>The subclasses and their HTTP statuses</caption>
 *   <tr><th>exception</th><th>status</th><th>when</th></tr>
 *   <tr><td>{@link ValidationException}</td><td>400</td><td>an argument is invalid</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>404</td><td>no such resource (or deleted)</td></tr>
 *   <tr><td>{@link ConflictException}</td><td>409</td><td>the domain or inbox already exists
 *       (an addition to the seed's table)</td></tr>
 *   <tr><td>{@link AttachmentTooLargeException} (a {@link TooLargeException})</td><td>413</td>
 *       <td>outbound attachments over {@link Limits#maxAttachmentBytes()}</td></tr>
 *   <tr><td>{@link MessageTooLargeException} (a {@link TooLargeException})</td><td>413</td>
 *       <td>an inbound message over {@link Limits#maxMessageBytes()} (an addition to the seed's
 *       table)</td></tr>
 *   <tr><td>{@link SuppressedRecipientException}</td><td>422</td><td>a recipient is on the
 *       suppression list</td></tr>
 *   <tr><td>{@link MalformedMessageException}</td><td>422</td><td>an inbound message breaks a
 *       parsing limit (its raw bytes are kept)</td></tr>
 *   <tr><td>{@link StorageException}</td><td>500</td><td>the store or blob store failed</td></tr>
 *   <tr><td>{@link DeliveryException}</td><td>500/502</td><td>the transport or provider
 *       failed</td></tr>
 * </table>
 *
 * <p>The hierarchy is sealed: adapters translate their own failures (SQLState, AWS error codes)
 * into one of these at the boundary. Instances are immutable and safe to share between threads.
 */
public abstract sealed class MailCoreException extends RuntimeException
    permits ValidationException, NotFoundException, ConflictException, TooLargeException,
        SuppressedRecipientException, MalformedMessageException, StorageException,
        DeliveryException, UnsupportedByStoreException, AuthenticationException,
        WebhookVerificationException {
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
  protected MailCoreException(String message, @Nullable Throwable cause) {
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
