package dev.mailcore.spi;

import dev.mailcore.EmailThread;
import java.util.Objects;

/**
 * The thread row {@link MessageStore#insert} writes together with a message, only when the
 * message is actually inserted (a redelivered duplicate changes nothing), so an adapter can do
 * both in one round trip. The engine computes every value; a store writes them as given.
 * Immutable and thread-safe.
 */
public sealed interface ThreadChange {

  /**
   * The row to write.
   *
   * @return the thread's values after the insert
   */
  EmailThread thread();

  /**
   * The message starts a new thread: insert this row.
   *
   * @param thread the new thread; its id is the message's thread id
   * @return the change
   */
  static ThreadChange start(EmailThread thread) {
    return new Start(thread);
  }

  /**
   * The message joins an existing thread: replace that row's message count, last activity and
   * deletion with these values.
   *
   * @param thread the thread's new values; its id is the message's thread id
   * @return the change
   */
  static ThreadChange update(EmailThread thread) {
    return new Update(thread);
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
  }

  /**
   * See {@link ThreadChange#update}.
   *
   * @param thread the thread's new values
   */
  record Update(EmailThread thread) implements ThreadChange {
    /** Checks the thread is present. */
    public Update {
      Objects.requireNonNull(thread, "thread");
    }
  }
}
