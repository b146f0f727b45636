package dev.mailcore;

import java.util.Objects;

/**
 * What {@link Mailboxes#receiveAll} did with one message of a batch: received, or failed on its
 * own without failing the others. Immutable and thread-safe.
 *
 * <p>A queue consumer typically acknowledges every {@link Received} message and every
 * {@link Failed} one whose error is not {@linkplain MailCoreException#retryable() retryable}
 * (after recording it), and lets the retryable ones be redelivered: receiving a message again is
 * safe.
 */
public sealed interface ReceiveOutcome {

  /**
   * The message was received.
   *
   * @param result what was stored where, as {@link Mailboxes#receive} reports it
   */
  record Received(ReceiveResult result) implements ReceiveOutcome {
    /** Checks the field. */
    public Received {
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * The message failed; the exception is the one {@link Mailboxes#receive} would have thrown
   * for it alone.
   *
   * @param error why, with {@link MailCoreException#retryable()} telling whether to try again
   */
  record Failed(MailCoreException error) implements ReceiveOutcome {
    /** Checks the field. */
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }
}
