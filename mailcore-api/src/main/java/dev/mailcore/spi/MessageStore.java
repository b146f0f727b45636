package dev.mailcore.spi;

import dev.mailcore.EmailMessage;
import dev.mailcore.MessageId;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.ThreadId;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Message rows with their recipients (To, Cc, Bcc, Reply-To), references and attachment
 * metadata, inside one {@link StoreTransaction}. Not thread-safe (see there).
 */
public interface MessageStore {

  /**
   * Inserts a message with its children, its participant keys and the thread row
   * {@code thread} says to write, all in the same step (an adapter can do it in one round
   * trip). When the inbox already holds the Message-ID nothing at all is written: neither the
   * message nor the thread row. The store writes exactly the values it is given; the engine has
   * computed them (new thread, or the joined thread's new count, activity and deletion) under
   * the inbox lock.
   *
   * @param message the message; its thread id is the id of {@code thread}'s row
   * @param participants the keys {@link ThreadStore#findBySubject} matches this message by
   *     (stored as given, duplicates irrelevant; may be empty)
   * @param thread the thread row to insert or replace with the message
   * @return false, writing nothing, if the inbox already has a message with this Message-ID
   *     (also when a concurrent transaction inserted it first)
   * @throws dev.mailcore.StorageException if {@code thread} replaces a thread that does not
   *     exist (nothing is written), or the store fails
   */
  default boolean insert(EmailMessage message, Collection<String> participants,
      ThreadChange thread) {
    return insert(message, participants, thread, Optional.empty());
  }

  /**
   * Sets the transport provider's id on a stored message; does nothing if there is none.
   *
   * @param id mailcore's message id
   * @param providerMessageId the provider's id (SES message id, SMTP queue id, ...)
   */
  void setProviderMessageId(UUID id, String providerMessageId);

  /**
   * Finds a message by mailcore's id, whatever the state of its thread.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id mailcore's message id
   * @return the message, if it exists and its inbox's domain is in {@code scope}
   */
  Optional<EmailMessage> find(Scope scope, UUID id);

  /**
   * Finds the message an inbox holds under a Message-ID (exact, case-sensitive match).
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param inboxId the inbox
   * @param messageId the Message-ID
   * @return the message, if the inbox has it and the inbox's domain is in {@code scope}
   */
  Optional<EmailMessage> findByMessageId(Scope scope, UUID inboxId, MessageId messageId);

  /**
   * Finds the message the transport provider knows by {@code providerMessageId}; should several
   * carry it, the oldest (created_at, then id).
   *
   * @param providerMessageId the provider's id
   * @return the message, if one has that provider id
   */
  Optional<EmailMessage> findByProviderMessageId(String providerMessageId);

  /**
   * Records that a message's recipients know it by another Message-ID: the transport's provider
   * replaced mailcore's (SES writes {@code <ses-id@region.amazonses.com>}). Replies name that
   * id, so {@link #findLinkedThreads} finds the message by it too. A message has at most one alias;
   * recording another replaces it.
   *
   * @param id mailcore's message id (an existing message)
   * @param alias the Message-ID recipients saw
   */
  void insertAlias(UUID id, MessageId alias);

  /**
   * The Message-ID recipients saw for a message, if {@link #insertAlias} recorded one.
   *
   * @param id mailcore's message id
   * @return the alias
   */
  Optional<MessageId> findAlias(UUID id);

  /**
   * Lists a thread's messages, oldest first (sent_at, then id).
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param threadId the thread
   * @param after the (sent_at, id) of the last message of the previous page
   * @param limit the maximum number of rows
   * @return the messages; empty if the thread's inbox's domain is outside {@code scope}
   */
  List<EmailMessage> list(Scope scope, ThreadId threadId, Optional<Keyset> after, int limit);

  /**
   * {@link #insert(EmailMessage, Collection, ThreadChange)}, also storing why the message is in
   * its thread ({@link #findPlacement}), in the same step.
   *
   * @param message the message
   * @param participants its participant keys
   * @param thread the thread row to insert or replace with the message
   * @param placement the threading decision to keep with the message, if any
   * @return false, writing nothing, if the inbox already has a message with this Message-ID
   * @throws dev.mailcore.StorageException as for the three-argument insert
   */
  boolean insert(EmailMessage message, Collection<String> participants, ThreadChange thread,
      Optional<ThreadPlacement> placement);

  /**
   * The threading decision stored with a message ({@link #insert} or {@link ThreadStore#move}).
   *
   * @param id mailcore's message id
   * @return the placement; empty if the message does not exist or none was stored
   */
  Optional<ThreadPlacement> findPlacement(UUID id);

  /**
   * Every header link between a message being threaded and the threads of its inbox, in one
   * lookup (ADR 0003): for {@code self}, if the inbox holds a message with that Message-ID (the
   * duplicate test of {@link #insert}: not an alias), a {@code held} link to it, which tells the
   * engine the message is a duplicate without another lookup; for each of {@code linked} the
   * inbox holds (by Message-ID or alias), a {@code held} link; and for {@code self} and each of
   * {@code linked} the inbox does NOT hold, the stored messages whose In-Reply-To or References
   * name it (at least one link per thread and named id; which message of a thread is reported
   * does not matter).
   *
   * @param inboxId the inbox
   * @param self the new message's Message-ID
   * @param linked its In-Reply-To and References (without {@code self})
   * @return the links, in any order (deleted threads included)
   */
  List<ThreadLink> findLinkedThreads(UUID inboxId, MessageId self, Collection<MessageId> linked);

  /**
   * Which of {@code messageIds} an inbox holds: the duplicate test of {@link #insert} (the
   * Message-ID itself, not an alias) for many ids in one lookup. The engine calls it under the
   * inbox lock before {@link #insertAll}. The default asks {@link #findByMessageId} once per id; a
   * store overrides it to answer in one round trip.
   *
   * @param inboxId the inbox
   * @param messageIds the Message-IDs to test
   * @return those of them the inbox holds
   */
  default Set<MessageId> findHeld(UUID inboxId, Collection<MessageId> messageIds) {
    Objects.requireNonNull(inboxId, "inboxId");
    Set<MessageId> held = new HashSet<>();
    for (MessageId id : new LinkedHashSet<>(messageIds)) {
      if (findByMessageId(Scope.all(), inboxId, id).isPresent()) {
        held.add(id);
      }
    }
    return held;
  }

  /**
   * Inserts several messages with their children, and writes each thread row they start or
   * join, in one step (a receive batch, or one message: ADR 0008). The engine has threaded them
   * in order under their inboxes' locks and checked ({@link #findHeld}, or for one message the
   * held link of {@link #findLinkedThreads}) that no inbox holds their Message-IDs;
   * {@code threads} holds the final row of every thread they touch, once each:
   * {@link ThreadChange.Start} for a thread one of them starts, {@link ThreadChange.Update} for a
   * stored thread they join. The store writes exactly these values. The default inserts the
   * messages one by one with {@link #insert}, the first message of a started thread carrying
   * the start; a store overrides it to write the batch in one round trip. Nothing the engine
   * does after this call needs its answer, so a store may also send the write later, with its
   * next statement or with the commit (the PostgreSQL store does, ADR 0008): later calls in the
   * transaction must see what it wrote, and its failure may then surface from a later call or
   * from the commit, failing the transaction all the same.
   *
   * @param messages the messages, in the order they were threaded
   * @param threads the final row of every thread the messages are in, each once
   * @throws IllegalArgumentException if a message's thread is not among {@code threads}, or a
   *     thread appears twice
   * @throws StorageException if an inbox already holds one of the Message-IDs (the caller did
   *     not check under the lock) or the store fails; part of the batch may then have been
   *     written, so the caller rolls the transaction back
   */
  default void insertAll(List<NewMessage> messages, List<ThreadChange> threads) {
    Map<ThreadId, ThreadChange> byId = ThreadChange.byThread(threads);
    // every message's thread is checked before the first insert
    List<ThreadChange> changes =
        messages.stream().map(m -> ThreadChange.forMessage(byId, m.message())).toList();
    Set<ThreadId> started = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      NewMessage m = messages.get(i);
      ThreadChange change = changes.get(i);
      if (change instanceof ThreadChange.Start && !started.add(change.thread().id())) {
        // the thread row exists now; the later messages write the same final values
        change = ThreadChange.update(change.thread());
      }
      if (!insert(m.message(), m.participants(), change, m.placement())) {
        throw new StorageException("inbox " + m.message().inboxId() + " already holds "
            + m.message().messageId() + ": insertAll expects messages findHeld did not report",
            false, null);
      }
    }
  }
}
