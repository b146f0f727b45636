package dev.mailcore.spi;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.ThreadId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
   * The changes of a {@link MessageStore#insertAll} batch by thread id, checking that each
   * thread appears once.
   *
   * @param changes the batch's thread changes
   * @return them by thread id
   * @throws IllegalArgumentException if a thread appears twice
   */
  static Map<ThreadId, ThreadChange> byThread(Collection<ThreadChange> changes) {
    Map<ThreadId, ThreadChange> out = new HashMap<>();
    for (ThreadChange c : changes) {
      if (out.put(c.thread().id(), c) != null) {
        throw new IllegalArgumentException("thread " + c.thread().id()
            + " appears twice in one insertAll; pass each thread's final row once");
      }
    }
    return out;
  }

  /**
   * The change of a {@link MessageStore#insertAll} batch that a message's thread id names.
   *
   * @param byThread the batch's changes ({@link #byThread})
   * @param message a message of the batch
   * @return its thread's change
   * @throws IllegalArgumentException if the batch has no row for the message's thread
   */
  static ThreadChange forMessage(Map<ThreadId, ThreadChange> byThread, EmailMessage message) {
    ThreadChange c = byThread.get(message.threadId());
    if (c == null) {
      throw new IllegalArgumentException("message " + message.messageId() + " is in thread "
          + message.threadId() + ", which the insertAll batch has no row for");
    }
    return c;
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
