package dev.mailcore.aws;

import java.util.Objects;

/**
 * What {@link SnsEndpoint#handle} made of one SNS HTTP(S) request, and the HTTP status the host
 * answers with ({@link #httpStatus()}): 2xx tells SNS the message is done with, anything else
 * makes SNS deliver it again under the subscription's delivery policy.
 */
public sealed interface SnsEndpointResult {

  /**
   * The HTTP status to answer SNS with.
   *
   * @return 200 for handled messages, 400/403/413 for refused ones, 500 when the work failed and
   *     SNS should try again
   */
  int httpStatus();

  /**
   * A verified notification from an allowed topic went to {@link SesNotifications}.
   *
   * @param messageId the SNS {@code MessageId}
   * @param outcome what became of it; {@link SesNotificationOutcome.Retry} answers 500
   */
  record Processed(String messageId, SesNotificationOutcome outcome)
      implements SnsEndpointResult {
    /** Checks the components are present. */
    public Processed {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public int httpStatus() {
      return outcome.acknowledge() ? 200 : 500;
    }
  }

  /**
   * A verified message that needed no processing: a subscription confirmed, an unsubscribe
   * confirmation, or a notification already processed within the replay window (SNS redelivers
   * when an answer was lost).
   *
   * @param messageId the SNS {@code MessageId}
   * @param detail what was done, for logs
   */
  record Acknowledged(String messageId, String detail) implements SnsEndpointResult {
    /** Checks the components are present. */
    public Acknowledged {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public int httpStatus() {
      return 200;
    }
  }

  /**
   * Refused and logged; nothing was processed: not SNS JSON, a bad or unverifiable signature, a
   * certificate or {@code SubscribeURL} off the SNS host, a topic the host did not allow, a
   * message older than the replay window, a body over the size limit.
   *
   * @param httpStatus 400 (malformed), 403 (not trusted) or 413 (too large)
   * @param reason why, for logs (never the message content)
   */
  record Rejected(int httpStatus, String reason) implements SnsEndpointResult {
    /** Checks the components are present. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The message checked out but its handling failed for now (the subscription confirmation call
   * to SNS failed, the certificate could not be fetched, or processing threw): SNS should
   * deliver it again.
   *
   * @param reason why, for logs
   */
  record Failed(String reason) implements SnsEndpointResult {
    /** Checks the reason is present. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int httpStatus() {
      return 500;
    }
  }
}
