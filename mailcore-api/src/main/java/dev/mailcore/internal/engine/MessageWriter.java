package dev.mailcore.internal.engine;

import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadId;
import dev.mailcore.internal.threading.BaseSubject;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.StoreTransaction;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Stores one message into one inbox: dedupe by Message-ID, thread, update the thread, insert.
 * Shared by inbound and outbound so both are threaded the same way. Thread-safe.
 */
public final class MessageWriter {
  private final ThreadResolver resolver;

  /**
   * Creates a writer.
   *
   * @param resolver the threading rules
   */
  public MessageWriter(ThreadResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * The outcome.
   *
   * @param message the stored message, or the one already there for a duplicate
   * @param duplicate whether the inbox already held the Message-ID
   * @param rule which threading rule placed it (empty for duplicates)
   */
  public record Written(EmailMessage message, boolean duplicate,
      Optional<ThreadResolver.Rule> rule) {}

  /**
   * Writes {@code draft} (its thread id is ignored) into its inbox inside {@code tx}. Takes the
   * inbox lock; a caller writing to several inboxes in one transaction must call this in inbox
   * id order, so two transactions never wait for each other's locks in opposite orders.
   *
   * @param tx the transaction
   * @param inboxDomain the inbox's domain name; addresses on it are not participants
   * @param draft the message to store
   * @param now the store time; becomes the thread's last activity
   * @param lookForDuplicate whether to look the Message-ID up first; when false, a duplicate is
   *     only discovered by {@code insertMessage} returning false, which throws
   *     {@link ConcurrentDuplicateException} so the caller retries with this set
   * @return the outcome
   */
  public Written write(StoreTransaction tx, String inboxDomain, EmailMessage draft, Instant now,
      boolean lookForDuplicate) {
    UUID inboxId = draft.inboxId();
    // Most messages are new, so the first attempt skips the lookup (one round trip less on the
    // hot path) and lets the unique (inbox, Message-ID) insert detect a redelivery; the retry
    // then finds and returns the stored copy. The lookup runs before the lock, so a retried
    // redelivery does not wait for the inbox.
    if (lookForDuplicate) {
      Optional<EmailMessage> existing = tx.findMessageByMessageId(inboxId, draft.messageId());
      if (existing.isPresent()) {
        return new Written(existing.get(), true, Optional.empty());
      }
    }
    tx.lockInbox(inboxId);
    ThreadResolver.Decision decision = resolver.resolve(tx, inboxId,
        new ThreadResolver.Links(draft.messageId(), draft.inReplyTo(), draft.references(),
            draft.subject(), participants(draft, inboxDomain)), now);
    ThreadId threadId;
    if (decision.thread().isPresent()) {
      threadId = decision.thread().get();
      if (tx.touchThread(threadId, now).isEmpty()) {
        throw new StorageException(
            "thread " + threadId + " is referenced by a message but missing", false, null);
      }
    } else {
      threadId = new ThreadId(Uuids.next());
      tx.insertThread(new EmailThread(threadId, inboxId, BaseSubject.of(draft.subject()), now, now,
          1, Optional.empty()));
    }
    EmailMessage stored = draft.with(threadId, draft.sesMessageId());
    if (!tx.insertMessage(stored)) {
      // Another writer won a race the inbox lock should have prevented (a store whose lock is
      // weaker than documented). The thread changes above must not commit without the message.
      throw new ConcurrentDuplicateException();
    }
    return new Written(stored, false, Optional.of(decision.rule()));
  }

  private static Set<String> participants(EmailMessage m, String inboxDomain) {
    Set<String> out = new LinkedHashSet<>();
    Stream.of(Stream.of(m.from()), m.to().stream(), m.cc().stream())
        .flatMap(s -> s)
        .filter(a -> !a.domain().equals(inboxDomain))
        .map(EmailAddress::normalized)
        .forEach(out::add);
    return out;
  }

  /**
   * Thrown inside the transaction to roll it back when a concurrent insert of the same
   * Message-ID won; the caller retries in a new transaction, which then finds the duplicate.
   */
  public static final class ConcurrentDuplicateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConcurrentDuplicateException() {
      super("message inserted concurrently", null, false, false);
    }
  }
}
