package dev.mailcore;

/**
 * A webhook request failed {@link WebhookVerifier} checks: a header is missing, the timestamp is
 * outside the tolerance, or no signature matches. Answer it with 401 and do not process the
 * body.
 */
public final class WebhookVerificationException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  public WebhookVerificationException(String message) {
    super(message);
  }

  /** @return 401 */
  @Override
  public int httpStatus() {
    return 401;
  }
}
