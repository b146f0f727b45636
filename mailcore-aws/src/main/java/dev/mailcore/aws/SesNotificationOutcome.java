package dev.mailcore.aws;

import dev.mailcore.MailCoreException;
import java.util.Objects;

/**
 * What became of one SES notification handed to {@link SesNotifications#process}: the host (or
 * {@code SnsEndpoint}/{@code SqsIntake}) acknowledges it when {@link #acknowledge()} is true
 * (answer 2xx to SNS, delete it from the SQS queue) and leaves it for redelivery otherwise.
 */
public sealed interface SesNotificationOutcome {

  /** Whether the notification is done with: true for everything but {@link Retry}. */
  default boolean acknowledge() {
    return !(this instanceof Retry);
  }

  /**
   * The notification's work committed (a message stored or found already stored, an event
   * recorded).
   *
   * @param kind what it was, e.g. {@code "inbound"}, {@code "delivery"}, {@code "bounce"}
   * @param detail a short description for logs (ids, never message content)
   */
  record Accepted(String kind, String detail) implements SesNotificationOutcome {
    /** Checks the components are present. */
    public Accepted {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Nothing to do, and nothing will change on redelivery: JSON that does not parse or lacks what
   * it needs, an unknown event type (Open, Click, Subscription), an event for a message
   * mailcore never sent, a repeat of an event already recorded, inbound mail for no known
   * inbox, mail dropped by the virus policy, an S3 object that no longer exists. Logged, then
   * acknowledged.
   *
   * @param reason why, for logs
   */
  record Ignored(String reason) implements SesNotificationOutcome {
    /** Checks the reason is present. */
    public Ignored {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A failure that may pass: not acknowledged, so SNS or SQS delivers it again (and a queue's
   * redrive policy eventually parks it in the dead-letter queue). Mostly transient failures
   * (the database, S3 throttling, 5xx or I/O: {@link MailCoreException#retryable()} true), but
   * also what the operator fixes rather than the notification: any store failure, S3 access
   * denied, an S3 action with no S3 client configured ({@code retryable()} false then, and the
   * message says what to fix).
   *
   * @param cause the failure
   */
  record Retry(MailCoreException cause) implements SesNotificationOutcome {
    /** Checks the cause is present. */
    public Retry {
      Objects.requireNonNull(cause, "cause");
    }
  }
}
