package dev.mailcore;

import org.jspecify.annotations.Nullable;

/**
 * The store or blob store failed: the database is unreachable, a statement failed, an S3 call
 * failed. HTTP 500. {@link #retryable()} is true when the cause is transient (a lost connection,
 * a serialization failure, a deadlock, a throttled request), so the caller may try again.
 * Immutable and thread-safe.
 */
public final class StorageException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * Creates the error.
   *
   * @param message what was being done (for example "insert message") and what failed
   * @param retryable whether the same call may succeed if repeated
   * @param cause the adapter's own exception, or {@code null}
   */
  public StorageException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public int httpStatus() {
    return 500;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
