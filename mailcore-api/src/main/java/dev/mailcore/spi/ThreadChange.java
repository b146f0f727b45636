package dev.mailcore.spi;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import java.time.Instant;
import java.util.Objects;

/**
 * What storing a message does to its thread's row. {@link StoreTransaction#insertMessage} applies
 * it in the same step as the insert and only when the message is actually inserted, so a
 * redelivered duplicate changes nothing, and an adapter can do both in one round trip.
 * Immutable and thread-safe.
 */
public sealed interface ThreadChange {

  /**
   * The message starts a new thread: {@code thread} is inserted with the message.
   *
   * @param thread the new thread; its id must be the message's thread id
   * @return the change
   */
  static ThreadChange start(EmailThread thread) {
    return new Start(thread);
  }

  /**
   * The message joins its existing thread: message count + 1, last activity set to the later of
   * its current value and {@code activity}, and the deletion cleared (a message arriving in a
   * deleted thread brings it back).
   *
   * @param activity when the message was stored
   * @return the change
   */
  static ThreadChange join(Instant activity) {
    return new Join(activity);
  }

  /**
   * The thread row is left as it is: the caller maintains it (an import that writes threads with
   * their final counts, or a test arranging rows directly).
   *
   * @return the change
   */
  static ThreadChange unchanged() {
    return Unchanged.INSTANCE;
  }

  /**
   * See {@link ThreadChange#start}.
   *
   * @param thread the new thread
   */
  record Start(EmailThread thread) implements ThreadChange {
    /** Checks the thread is present. */
    public Start {
      Objects.requireNonNull(thread, "thread");
    }

    /**
     * Checks that {@code message} belongs to the thread this change starts; every store calls it
     * before writing, so a mismatch never leaves a message pointing elsewhere.
     *
     * @param message the message being inserted
     * @throws IllegalArgumentException if the message's thread id is another
     */
    public void requireThreadOf(EmailMessage message) {
      if (!thread.id().equals(message.threadId())) {
        throw new IllegalArgumentException("the new thread " + thread.id()
            + " is not the message's thread " + message.threadId());
      }
    }
  }

  /**
   * See {@link ThreadChange#join}.
   *
   * @param activity when the message was stored
   */
  record Join(Instant activity) implements ThreadChange {
    /** Checks the activity is present. */
    public Join {
      Objects.requireNonNull(activity, "activity");
    }
  }

  /** See {@link ThreadChange#unchanged}. */
  enum Unchanged implements ThreadChange {
    /** The only value. */
    INSTANCE
  }
}
