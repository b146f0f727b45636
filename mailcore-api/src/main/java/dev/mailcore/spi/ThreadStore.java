package dev.mailcore.spi;

import dev.mailcore.EmailThread;
import dev.mailcore.ThreadId;
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
}
