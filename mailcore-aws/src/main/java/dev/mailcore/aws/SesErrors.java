package dev.mailcore.aws;

import dev.mailcore.DeliveryException;
import java.io.IOException;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.model.ConcurrentModificationException;
import software.amazon.awssdk.services.sesv2.model.InternalServiceErrorException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Turns SES v2 SDK failures into {@link DeliveryException}s (ADR 0012): throttling, quotas, 5xx
 * answers, timeouts and broken connections are retryable; everything SES refused on its merits
 * is permanent. The message names the call, SES's error code, HTTP status, request id and text,
 * and what to do. Stateless.
 */
final class SesErrors {
  private static final Map<String, String> HINTS = Map.of(
      "MessageRejected", "SES refused the message (content or a recipient); sending it again"
          + " will not help",
      "MailFromDomainNotVerifiedException", "the custom MAIL FROM domain is not verified at SES;"
          + " publish its MX and SPF records (domains().dnsRecords) or clear the domain's bounce"
          + " address",
      "AccountSuspendedException", "the SES account may no longer send; contact AWS Support",
      "SendingPausedException", "sending is paused for the SES account or the configuration set;"
          + " resume it in SES",
      "NotFoundException", "a resource the request names does not exist at SES (check"
          + " SesTransport.builder().configurationSet(...) and the sending identity)",
      "BadRequestException", "SES refused the request as invalid");

  private SesErrors() {}

  /**
   * Translates an SDK failure.
   *
   * @param action what was attempted, for example {@code "SendEmail of <id@acme.com>"}
   * @param e the SDK's exception
   * @return the exception to throw
   */
  static DeliveryException translate(String action, SdkException e) {
    if (e instanceof AwsServiceException ase) {
      AwsErrorDetails d = ase.awsErrorDetails();
      String code = d != null && d.errorCode() != null ? d.errorCode()
          : ase.getClass().getSimpleName();
      String text = d != null && d.errorMessage() != null ? d.errorMessage() : ase.getMessage();
      boolean retryable = retryable(ase);
      String hint = retryable ? "a temporary failure; the same send may succeed later"
          : HINTS.getOrDefault(code, "a permanent failure; sending again will not help");
      return new DeliveryException("SES " + action + " failed: " + code + " (HTTP "
          + ase.statusCode() + ", request " + ase.requestId() + "): " + oneLine(text) + "; "
          + hint, true, retryable, e);
    }
    boolean transientFailure = e instanceof ApiCallTimeoutException
        || e instanceof ApiCallAttemptTimeoutException || causedByIo(e);
    return new DeliveryException("SES " + action + " failed: " + oneLine(e.getMessage())
        + (transientFailure ? "; SES could not be reached in time, the same send may succeed"
            + " later" : "; check the SES client's region, endpoint and credentials"),
        transientFailure, transientFailure, e);
  }

  private static boolean retryable(AwsServiceException e) {
    return e.isThrottlingException() || e.statusCode() == 429 || e.statusCode() >= 500
        || e instanceof TooManyRequestsException || e instanceof LimitExceededException
        || e instanceof InternalServiceErrorException
        || e instanceof ConcurrentModificationException;
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
  }
}
