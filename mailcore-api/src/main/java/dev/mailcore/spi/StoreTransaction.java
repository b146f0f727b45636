package dev.mailcore.spi;

import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.Suppression;
import dev.mailcore.ThreadId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operations available inside one {@link MailStore#inTransaction} call. Not thread-safe:
 * use it only on the thread running the work, and not after the work returns.
 *
 * <p>Conventions: "active" means not soft-deleted. {@code find*} by id returns soft-deleted rows
 * too (the caller decides); lookups by name or address and listings return active rows only.
 * Listings take the last position of the previous page ({@link Keyset}) and a limit, and
 * return at most {@code limit} rows.
 */
public interface StoreTransaction {

  // ---- locking ----------------------------------------------------------------------------

  /**
   * Serializes threading decisions for one inbox: no later operation of this transaction runs
   * until no other transaction holds the lock for {@code inboxId}, and the lock is then held
   * until this transaction ends. Two transactions that both lock the same inbox never run their
   * threading lookups and writes interleaved. An adapter may wait here, or send the lock
   * together with the next operation and wait there (saving a round trip); the caller cannot
   * tell the difference. Locking an inbox this transaction already holds returns at once. A
   * transaction that locks several inboxes must lock them in ascending id order
   * ({@link UUID#compareTo}), so two transactions never wait for each other's locks.
   *
   * @param inboxId the inbox
   */
  void lockInbox(UUID inboxId);

  // ---- domains ----------------------------------------------------------------------------

  /**
   * Inserts a domain.
   *
   * @param domain the new domain
   * @return false, inserting nothing, if an active domain with the same name exists
   */
  boolean insertDomain(Domain domain);

  /**
   * Replaces a domain row (matched by id) with these values.
   *
   * @param domain the new values
   */
  void updateDomain(Domain domain);

  /**
   * Finds a domain by id, deleted or not.
   *
   * @param id the domain id
   * @return the domain, if it exists
   */
  Optional<Domain> findDomain(UUID id);

  /**
   * Finds the active domain with this name.
   *
   * @param name the lower-case domain name
   * @return the domain, if an active one exists
   */
  Optional<Domain> findDomainByName(String name);

  /**
   * Lists an organization's active domains, oldest first (created_at, id).
   *
   * @param organizationId the organization
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the domains
   */
  List<Domain> listDomains(String organizationId, Optional<Keyset> after, int limit);

  // ---- inboxes ----------------------------------------------------------------------------

  /**
   * Inserts an inbox.
   *
   * @param inbox the new inbox
   * @return false, inserting nothing, if the domain already has an active inbox with the same
   *     local part, or {@code inbox} is a catch-all and the domain already has an active one
   */
  boolean insertInbox(Inbox inbox);

  /**
   * Replaces an inbox row (matched by id) with these values.
   *
   * @param inbox the new values
   * @return false, changing nothing, under the same conflicts as {@link #insertInbox}
   */
  boolean updateInbox(Inbox inbox);

  /**
   * Finds an inbox by id, deleted or not.
   *
   * @param id the inbox id
   * @return the inbox, if it exists
   */
  Optional<Inbox> findInbox(UUID id);

  /**
   * Finds the active inbox with this exact local part on a domain.
   *
   * @param domainId the domain
   * @param localPart the lower-case local part
   * @return the inbox, if an active one exists
   */
  Optional<Inbox> findInboxByLocalPart(UUID domainId, String localPart);

  /**
   * Everything needed to route recipients on one domain, in one lookup: the active inboxes of
   * the active domain named {@code domainName} whose local part is one of {@code localParts},
   * plus that domain's active catch-all inbox (whatever its local part). The caller applies the
   * routing rules (exact, then plus-address base, then catch-all) to the result, so a store
   * never decides which inbox wins.
   *
   * @param domainName the lower-case domain name
   * @param localParts lower-case local parts to match exactly (duplicates allowed); may be
   *     empty, in which case only the catch-all can be returned
   * @return the matching inboxes, each once, in any order; empty if no active domain has that
   *     name, or it has no matching active inbox and no active catch-all
   */
  List<Inbox> findRouteCandidates(String domainName, Collection<String> localParts);

  /**
   * Lists a domain's active inboxes, oldest first (created_at, id).
   *
   * @param domainId the domain
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the inboxes
   */
  List<Inbox> listInboxes(UUID domainId, Optional<Keyset> after, int limit);

  // ---- threads ----------------------------------------------------------------------------

  /**
   * Inserts a thread.
   *
   * @param thread the new thread
   */
  void insertThread(EmailThread thread);

  /**
   * Replaces a thread row (matched by id) with these values (message count, last activity,
   * deletion).
   *
   * @param thread the new values
   */
  void updateThread(EmailThread thread);

  /**
   * Finds a thread by id, deleted or not.
   *
   * @param id the thread id
   * @return the thread, if it exists
   */
  Optional<EmailThread> findThread(ThreadId id);

  /**
   * Lists an inbox's active threads, newest activity first (updated_at descending, then id
   * descending).
   *
   * @param inboxId the inbox
   * @param after the (updated_at, id) of the last thread of the previous page
   * @param limit the maximum number of rows
   * @return the threads
   */
  List<EmailThread> listThreads(UUID inboxId, Optional<Keyset> after, int limit);

  // ---- messages ---------------------------------------------------------------------------

  /**
   * Inserts a message with its recipients, references and attachment metadata, and applies
   * {@code thread} to its thread's row in the same step (see {@link ThreadChange}). When the
   * inbox already holds the Message-ID, nothing at all is written: neither the message nor the
   * thread change.
   *
   * @param message the message
   * @param thread what the insert does to the message's thread
   * @return false, writing nothing, if the inbox already has a message with this Message-ID
   *     (also when a concurrent transaction inserted it first)
   * @throws dev.mailcore.StorageException if {@code thread} joins a thread that does not exist
   *     (nothing is written), or the store fails
   */
  boolean insertMessage(EmailMessage message, ThreadChange thread);

  /**
   * Sets the provider's id on a stored message.
   *
   * @param id mailcore's message id
   * @param sesMessageId the provider id
   */
  void updateSesMessageId(UUID id, String sesMessageId);

  /**
   * Finds a message by mailcore's id, whatever the state of its thread.
   *
   * @param id mailcore's message id
   * @return the message, if it exists
   */
  Optional<EmailMessage> findMessage(UUID id);

  /**
   * Finds the message an inbox holds under a Message-ID.
   *
   * @param inboxId the inbox
   * @param messageId the Message-ID
   * @return the message, if the inbox has it
   */
  Optional<EmailMessage> findMessageByMessageId(UUID inboxId, MessageId messageId);

  /**
   * Finds the message the provider knows by {@code sesMessageId}.
   *
   * @param sesMessageId the provider id
   * @return the message, if one has that provider id
   */
  Optional<EmailMessage> findMessageBySesMessageId(String sesMessageId);

  /**
   * For each of {@code messageIds} that an inbox holds, the thread it is in. Used by threading
   * to follow In-Reply-To and References.
   *
   * @param inboxId the inbox
   * @param messageIds Message-IDs to look up
   * @return the known ones mapped to their thread (deleted threads included)
   */
  Map<MessageId, ThreadId> findThreadsOf(UUID inboxId, Collection<MessageId> messageIds);

  /**
   * Finds the thread of the most recently stored message in an inbox whose In-Reply-To or
   * References names {@code parent}: the case of a reply that arrived before the message it
   * answers.
   *
   * @param inboxId the inbox
   * @param parent the Message-ID a child would reference
   * @return that thread (deleted threads included), if any message references {@code parent}
   */
  Optional<ThreadId> findThreadReferencing(UUID inboxId, MessageId parent);

  /**
   * Subject fallback: the most recently active, non-deleted thread in an inbox with this
   * normalized subject, last activity at or after {@code activeSince}, and at least one message
   * whose From, To or Cc address (normalized) is in {@code participants}.
   *
   * @param inboxId the inbox
   * @param subject the normalized base subject
   * @param participants normalized addresses; an empty set matches nothing
   * @param activeSince the earliest last-activity time to consider
   * @return the thread, if one matches
   */
  Optional<ThreadId> findThreadBySubject(UUID inboxId, String subject,
      Collection<String> participants, Instant activeSince);

  /**
   * Lists a thread's messages, oldest first (sent_at, then id).
   *
   * @param threadId the thread
   * @param after the (sent_at, id) of the last message of the previous page
   * @param limit the maximum number of rows
   * @return the messages
   */
  List<EmailMessage> listMessages(ThreadId threadId, Optional<Keyset> after, int limit);

  // ---- delivery events --------------------------------------------------------------------

  /**
   * Stores a delivery event.
   *
   * @param event the event
   */
  void insertDeliveryEvent(DeliveryEventRecord event);

  /**
   * Lists a message's delivery events in the order they happened (created_at, then id).
   *
   * @param messageId mailcore's message id
   * @return the events
   */
  List<DeliveryEventRecord> listDeliveryEvents(UUID messageId);

  // ---- suppressions -----------------------------------------------------------------------

  /**
   * Adds an address to the suppression list, or replaces its entry.
   *
   * @param suppression the entry (address already normalized)
   */
  void upsertSuppression(Suppression suppression);

  /**
   * Removes an address from the suppression list.
   *
   * @param address the normalized address
   * @return false if it was not suppressed
   */
  boolean deleteSuppression(String address);

  /**
   * Returns the entries of those {@code addresses} that are suppressed.
   *
   * @param addresses normalized addresses
   * @return the suppressed ones (any order)
   */
  List<Suppression> findSuppressions(Collection<String> addresses);

  /**
   * Lists the suppression list ordered by address.
   *
   * @param afterAddress the last address of the previous page
   * @param limit the maximum number of rows
   * @return the entries
   */
  List<Suppression> listSuppressions(Optional<String> afterAddress, int limit);

  // ---- send idempotency -------------------------------------------------------------------

  /**
   * Records that a send with {@code key} from {@code inboxId} produced message
   * {@code messageId}.
   *
   * @param inboxId the sending inbox
   * @param key the caller's idempotency key
   * @param messageId mailcore's id of the message it produced
   * @param createdAt when
   * @param expiredBefore a row for the same key recorded before this instant has expired and is
   *     replaced
   * @return false, recording nothing, if an unexpired row for the key exists (also when a
   *     concurrent transaction recorded it first)
   */
  boolean insertIdempotencyKey(UUID inboxId, String key, UUID messageId, Instant createdAt,
      Instant expiredBefore);

  /**
   * Finds the message a send with {@code key} produced, if it was recorded at or after
   * {@code notBefore}.
   *
   * @param inboxId the sending inbox
   * @param key the idempotency key
   * @param notBefore keys recorded earlier are treated as expired
   * @return mailcore's message id
   */
  Optional<UUID> findIdempotencyKey(UUID inboxId, String key, Instant notBefore);

  // ---- webhooks ---------------------------------------------------------------------------

  /**
   * Webhook endpoints, the delivery outbox and the dispatcher's claims, in this transaction.
   *
   * @return the webhook operations; valid as long as this transaction
   */
  WebhookStore webhooks();
}
