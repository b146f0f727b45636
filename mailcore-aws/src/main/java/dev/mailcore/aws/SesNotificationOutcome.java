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
   * Nothing to do, and nothing will change on redelivery: an unknown event type, an event for a
   * message mailcore never sent, a duplicate. Logged, then acknowledged.
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
   * A transient failure (storage, S3, the database): not acknowledged, so SNS or SQS delivers it
   * again.
   *
   * @param cause the failure, {@link MailCoreException#retryable()} true
   */
  record Retry(MailCoreException cause) implements SesNotificationOutcome {
    /** Checks the cause is present. */
    public Retry {
      Objects.requireNonNull(cause, "cause");
    }
  }
}
