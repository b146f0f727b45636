package dev.mailcore;

import org.jspecify.annotations.Nullable;

/**
 * Handing a message to the transport failed. HTTP 502 when the provider rejected or could not be
 * reached, 500 for a local failure. {@link #retryable()} is true when the provider reported a
 * transient failure (throttling, a timeout, a 4xx SMTP reply). Immutable and thread-safe.
 */
public final class DeliveryException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final boolean providerError;

  /**
   * Creates the error.
   *
   * @param message what failed, with the provider's reason
   * @param providerError {@code true} if the provider rejected the message or was unreachable
   *     (HTTP 502), {@code false} for a local failure (HTTP 500)
   * @param retryable whether the same send may succeed later
   * @param cause the transport's own exception, or {@code null}
   */
  public DeliveryException(String message, boolean providerError, boolean retryable,
      @Nullable Throwable cause) {
    super(message, cause);
    this.providerError = providerError;
    this.retryable = retryable;
  }

  @Override
  public int httpStatus() {
    return providerError ? 502 : 500;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
