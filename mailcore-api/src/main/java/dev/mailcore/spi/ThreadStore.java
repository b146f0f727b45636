package dev.mailcore.spi;

import dev.mailcore.EmailThread;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Thread rows, inside one {@link StoreTransaction}. A thread row is created together with its
 * first message ({@link MessageStore#insert} with {@link ThreadChange.Start}); there is no
 * separate insert. Not thread-safe (see {@link StoreTransaction}).
 */
public interface ThreadStore {

  /**
   * Replaces a thread row (matched by id) with these values (message count, last activity,
   * deletion); does nothing if there is none. The caller holds the thread's inbox lock.
   *
   * @param thread the new values
   */
  void update(EmailThread thread);

  /**
   * Finds a thread by id, deleted or not.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the thread id
   * @return the thread, if it exists and its inbox's domain is in {@code scope}
   */
  Optional<EmailThread> find(Scope scope, ThreadId id);

  /**
   * Lists an inbox's active threads, newest activity first (updated_at descending, then id
   * descending).
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param inboxId the inbox
   * @param after the (updated_at, id) of the last thread of the previous page
   * @param limit the maximum number of rows
   * @return the threads; empty if the inbox's domain is outside {@code scope}
   */
  List<EmailThread> list(Scope scope, UUID inboxId, Optional<Keyset> after, int limit);

  /**
   * The candidates for threading's subject fallback: every active thread of an inbox whose
   * subject equals {@code subject} exactly, whose last activity is at or after
   * {@code activeSince}, and that holds at least one message stored with one of
   * {@code participants} (the participant set {@link MessageStore#insert} was given). The
   * engine picks among them, so the order does not matter.
   *
   * @param inboxId the inbox
   * @param subject the normalized base subject
   * @param participants participant keys as the engine stored them; an empty set matches
   *     nothing
   * @param activeSince the earliest last-activity time to consider
   * @return the matching threads, each once, in any order
   */
  List<EmailThread> findBySubject(UUID inboxId, String subject, Collection<String> participants,
      Instant activeSince);

  /**
   * Merges threads of one inbox into {@code survivor} (ADR 0003), set-based: every message of
   * the {@code absorbed} threads moves to the survivor, the absorbed rows disappear, each
   * absorbed id (and any id that already led to one of them) leads to the survivor from now on
   * ({@link #findSurvivor}), and the survivor row takes the values given (the engine has summed
   * the counts and taken the latest activity under the inbox lock). The caller holds the inbox
   * lock.
   *
   * @param survivor the survivor's new values
   * @param absorbed the threads merged into it (not containing the survivor)
   * @param at when the merge happened
   */
  void merge(EmailThread survivor, Collection<ThreadId> absorbed, Instant at);

  /**
   * Where a thread id that no longer has a row leads: the thread it was merged into (or emptied
   * into by {@link #move}), following later merges.
   *
   * @param id a thread id
   * @return the current thread's id, or empty if {@code id} was never merged
   */
  Optional<ThreadId> findSurvivor(ThreadId id);

  /**
   * Moves one message into another thread and stores its new placement. {@code target} is the
   * row to write with it (a {@link ThreadChange.Start} inserts a new thread, as a split does; an
   * {@link ThreadChange.Update} replaces the target's values, computed by the engine). The
   * message's old thread is recounted from its remaining messages (count, and last activity as
   * the latest created_at among them; deletion kept); if none remain its row disappears and its
   * id leads to the target ({@link #findSurvivor}). The caller holds the inbox lock.
   *
   * @param messageId mailcore's message id (an existing message)
   * @param target the thread row to write
   * @param placement the placement to store with the message
   */
  void move(UUID messageId, ThreadChange target, ThreadPlacement placement);
}
