package dev.mailcore.spi;

import java.util.UUID;

/**
 * The operations available inside one {@link MailStore#inTransaction} call, grouped by aggregate:
 * each accessor returns the store for one kind of row, bound to this transaction. Not
 * thread-safe: use it and the stores it returns only on the thread running the work, and not
 * after the work returns.
 *
 * <p>The stores only persist and look up what they are asked; every rule (thread bookkeeping,
 * who is a participant, which candidate wins, when an idempotency key expires) is decided by the
 * engine before it calls them. A store that implements each method as documented behaves like
 * every other store, which the testkit's contract suites check one aggregate at a time.
 *
 * <p>Conventions shared by every store: "active" means not soft-deleted. {@code find} by id
 * returns soft-deleted rows too (the caller decides); lookups by name or address and listings
 * return active rows only. Listings take the last position of the previous page ({@link Keyset})
 * and a limit, and return at most {@code limit} rows. Conflicts that are part of normal
 * operation are {@code false} results, not exceptions. Failures of the storage surface as
 * {@link dev.mailcore.StorageException}.
 *
 * <p>Lookups a tenant can reach by id take a {@link Scope} first: the store applies it in the
 * query and answers a row of another organization exactly like a missing one (ADR 0016).
 */
public interface StoreTransaction {

  /**
   * Serializes threading decisions for one inbox: no later operation of this transaction runs
   * until no other transaction holds the lock for {@code inboxId}, and the lock is then held
   * until this transaction ends. Two transactions that both lock the same inbox never run their
   * threading lookups and writes interleaved, so the thread values the engine reads under the
   * lock are still current when it writes them back. An adapter may wait here, or send the lock
   * together with the next operation and wait there (saving a round trip); the caller cannot
   * tell the difference. Locking an inbox this transaction already holds returns at once. A
   * transaction that locks several inboxes must lock them in ascending id order
   * ({@link UUID#compareTo}), so two transactions never wait for each other's locks.
   *
   * @param inboxId the inbox
   */
  void lockInbox(UUID inboxId);

  /**
   * Domains ({@code domains} table).
   *
   * @return the domain store of this transaction
   */
  DomainStore domains();

  /**
   * Inboxes ({@code inboxes} table).
   *
   * @return the inbox store of this transaction
   */
  InboxStore inboxes();

  /**
   * Threads ({@code threads} table).
   *
   * @return the thread store of this transaction
   */
  ThreadStore threads();

  /**
   * Messages with their recipients, references and attachment metadata.
   *
   * @return the message store of this transaction
   */
  MessageStore messages();

  /**
   * Delivery events ({@code delivery_events} table).
   *
   * @return the delivery event store of this transaction
   */
  DeliveryEventStore deliveryEvents();

  /**
   * The suppression list ({@code suppressed_addresses} table).
   *
   * @return the suppression store of this transaction
   */
  SuppressionStore suppressions();

  /**
   * Send idempotency keys ({@code idempotency_keys} table).
   *
   * @return the idempotency store of this transaction
   */
  IdempotencyStore idempotency();

  /**
   * Organizations' JWT public keys ({@code auth_keys} table).
   *
   * @return the auth-key store of this transaction
   */
  AuthKeyStore authKeys();

  /**
   * Webhook endpoints, their outbox of deliveries, and the dispatcher's lease-based claim
   * ({@code webhook_endpoints}, {@code webhook_deliveries} tables).
   *
   * @return the webhook store of this transaction
   */
  WebhookStore webhooks();
}
