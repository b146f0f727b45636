package dev.mailcore.internal.engine;

import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.internal.threading.BaseSubject;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Stores one message into one inbox: thread it, then insert it together with its thread change,
 * or find the copy already there. Shared by inbound and outbound so both are threaded the same
 * way. Thread-safe.
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
   * @param placement why it is in its thread (empty for duplicates)
   * @param survivor the thread after the write when the message merged threads (the threads
   *     in the placement's merged list now lead to it); empty otherwise
   */
  public record Written(EmailMessage message, boolean duplicate,
      Optional<ThreadPlacement> placement, Optional<EmailThread> survivor) {

    /**
     * Which threading rule placed the message.
     *
     * @return the rule; empty for duplicates
     */
    public Optional<ThreadPlacement.Rule> rule() {
      return placement.map(ThreadPlacement::rule);
    }
  }

  /**
   * Writes {@code draft} into its inbox inside {@code tx}. Takes the inbox lock; a caller
   * writing to several inboxes in one transaction must lock them all in inbox id order before
   * the first write, so two transactions never wait for each other's locks in opposite orders.
   *
   * @param tx the transaction
   * @param inboxDomain the inbox's domain name; addresses on it are not participants
   * @param draft the message to store
   * @param now the store time; becomes the thread's last activity
   * @return the outcome
   */
  public Written write(StoreTransaction tx, String inboxDomain, MessageDraft draft, Instant now) {
    UUID inboxId = draft.inboxId();
    tx.lockInbox(inboxId);
    Set<String> participants = participants(draft, inboxDomain);
    ThreadResolver.Decision decision = resolver.resolve(tx, inboxId,
        new ThreadResolver.Links(draft.messageId(), draft.inReplyTo(), draft.references(),
            draft.subject(), participants), now);
    Optional<EmailThread> survivor = Optional.empty();
    if (!decision.absorbed().isEmpty()) {
      // Set-based, before the insert: every message of the absorbed threads moves at once.
      EmailThread merged = merged(decision.thread().orElseThrow(), decision.absorbed());
      tx.threads().merge(merged, decision.absorbed().stream().map(EmailThread::id).toList(), now);
      decision = new ThreadResolver.Decision(Optional.of(merged), decision.absorbed(),
          decision.placement());
    }
    ThreadChange change = decision.thread()
        .map(t -> ThreadChange.update(joined(t, now)))
        .orElseGet(() -> ThreadChange.start(new EmailThread(new ThreadId(Uuids.next()), inboxId,
            BaseSubject.of(draft.subject()), now, now, 1, Optional.empty())));
    EmailMessage stored = draft.in(change.thread().id());
    // Most messages are new, so there is no lookup before the insert: the unique
    // (inbox, Message-ID) insert detects a redelivery and then writes nothing at all.
    if (tx.messages().insert(stored, participants, change, Optional.of(decision.placement()))) {
      if (!decision.absorbed().isEmpty()) {
        survivor = Optional.of(change.thread());
      }
      return new Written(stored, false, Optional.of(decision.placement()), survivor);
    }
    EmailMessage existing = tx.messages().findByMessageId(Scope.all(), inboxId, draft.messageId())
        .orElseThrow(() -> new StorageException("message " + draft.messageId() + " in inbox "
            + inboxId + " was reported as a duplicate but cannot be found; retry the call",
            true, null));
    return new Written(existing, true, Optional.empty(), Optional.empty());
  }

  /**
   * A thread after a message joins it: one message more, last activity only moves forward, and
   * a deleted thread comes back. The caller read {@code t} under the inbox lock.
   */
  static EmailThread joined(EmailThread t, Instant at) {
    return new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(),
        at.isAfter(t.updatedAt()) ? at : t.updatedAt(), t.messageCount() + 1, Optional.empty());
  }

  /**
   * The survivor of a merge before the new message joins: every absorbed message counted, the
   * latest activity of all, and its own creation time (it is the oldest). Deletion is decided
   * by {@link #joined}: the message joining restores the thread, as a reply into a deleted
   * thread does.
   */
  static EmailThread merged(EmailThread survivor, List<EmailThread> absorbed) {
    int count = survivor.messageCount();
    Instant updated = survivor.updatedAt();
    for (EmailThread t : absorbed) {
      count += t.messageCount();
      updated = t.updatedAt().isAfter(updated) ? t.updatedAt() : updated;
    }
    return new EmailThread(survivor.id(), survivor.inboxId(), survivor.subject(),
        survivor.createdAt(), updated, count, survivor.deletedAt());
  }

  /**
   * Who counts for subject threading (ADR 0003): the From, To and Cc addresses, normalized,
   * minus addresses on the inbox's own domain (otherwise the inbox itself would be shared by
   * every message). Stored with the message; the store only matches these keys.
   */
  static Set<String> participants(MessageDraft m, String inboxDomain) {
    Set<String> out = new LinkedHashSet<>();
    Stream.of(Stream.of(m.from()), m.to().stream(), m.cc().stream())
        .flatMap(s -> s)
        .filter(a -> !a.domain().equals(inboxDomain))
        .map(EmailAddress::normalized)
        .forEach(out::add);
    return out;
  }
}
