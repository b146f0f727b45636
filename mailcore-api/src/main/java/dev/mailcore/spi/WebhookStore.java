package dev.mailcore.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook persistence inside one store transaction ({@link StoreTransaction#webhooks()}):
 * endpoints, the delivery outbox, the per-subject event sequence, and the lease-based claim the
 * dispatcher uses. Not thread-safe, and valid only while its transaction is, like the
 * transaction itself.
 *
 * <p>The store persists and looks up; the engine decides. Which endpoint an event goes to (event
 * type, inbox filter), when an endpoint becomes {@code warning} or {@code disabled}, the retry
 * schedule and the payload are engine rules. Two things are the store's job because only the
 * store can do them atomically: {@link #claimDue} (no two dispatchers may hold one delivery at
 * once) and the version guards of {@link #updateEndpoint} and {@link #updateDelivery} (a worker
 * that lost its lease must not overwrite a newer result).
 */
public interface WebhookStore {

  // ---- endpoints --------------------------------------------------------------------------

  /**
   * Inserts an endpoint.
   *
   * @param endpoint the new endpoint
   */
  void insertEndpoint(WebhookEndpointRecord endpoint);

  /**
   * Replaces an endpoint row with these values (version included) if its stored version is
   * {@code expectedVersion}.
   *
   * @param endpoint the new values; {@code endpoint.version()} must be greater than
   *     {@code expectedVersion}
   * @param expectedVersion the version the caller read
   * @return false, changing nothing, if the row is gone or another writer changed it first
   */
  boolean updateEndpoint(WebhookEndpointRecord endpoint, long expectedVersion);

  /**
   * Finds an endpoint by id.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the endpoint id
   * @return the endpoint, if it exists and its organization is in {@code scope}
   */
  Optional<WebhookEndpointRecord> findEndpoint(Scope scope, UUID id);

  /**
   * Finds several endpoints by id (the dispatcher reads the endpoints of a claimed or settled
   * batch at once; unscoped, as the dispatcher serves every organization). A store may answer in
   * one query; the default calls {@link #findEndpoint} with {@link Scope#all()}
   * for each id.
   *
   * @param ids the endpoint ids
   * @return the endpoints that exist, in any order
   */
  default List<WebhookEndpointRecord> findEndpoints(Collection<UUID> ids) {
    List<WebhookEndpointRecord> found = new ArrayList<>(ids.size());
    for (UUID id : ids) {
      findEndpoint(Scope.all(), id).ifPresent(found::add);
    }
    return found;
  }

  /**
   * Lists an organization's endpoints, oldest first (created_at, id).
   *
   * @param organizationId the organization
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the endpoints
   */
  List<WebhookEndpointRecord> listEndpoints(String organizationId, Optional<Keyset> after,
      int limit);

  /**
   * The endpoints of an organization that are not {@code disabled}, in any order: the
   * candidates for an organization-wide event.
   *
   * @param organizationId the organization
   * @return the endpoints
   */
  List<WebhookEndpointRecord> findEnabledEndpoints(String organizationId);

  /**
   * The endpoints that are not {@code disabled} of the organization that owns the inbox (through
   * the inbox's domain), in any order: the candidates for an event about the inbox. One lookup,
   * so the write path of a message pays one round trip when nobody subscribes.
   *
   * @param inboxId the inbox
   * @return the endpoints; empty if the inbox or its domain does not exist
   */
  List<WebhookEndpointRecord> findEnabledEndpointsOfInbox(UUID inboxId);

  /**
   * Deletes an endpoint and all its deliveries.
   *
   * @param id the endpoint id
   * @return false if it did not exist
   */
  boolean deleteEndpoint(UUID id);

  // ---- outbox -----------------------------------------------------------------------------

  /**
   * The next number in the event sequence of one subject (a message, thread, domain or
   * endpoint): 1 for the first call for {@code subjectId}, then 2, 3... Concurrent transactions
   * for the same subject get distinct numbers in commit order; a rolled-back transaction gives
   * its number back.
   *
   * @param subjectId the subject
   * @return the number
   */
  long nextSequence(UUID subjectId);

  /**
   * Inserts deliveries (outbox rows). Nothing the engine does after this call needs its answer,
   * so a store may send the write later, with its next statement or with the commit (the
   * PostgreSQL store does, ADR 0008); later calls in the transaction must see the rows, and a
   * failure may then surface from a later call or from the commit.
   *
   * @param deliveries the rows
   */
  void insertDeliveries(Collection<WebhookDeliveryRecord> deliveries);

  /**
   * Deletes finished deliveries (status {@code delivered} or {@code failed}) created before
   * {@code before}, at most {@code limit} of them, oldest first where the store can tell
   * cheaply. Pending rows are never deleted. The dispatcher calls it in batches to apply
   * {@code WebhookSettings.retention}.
   *
   * @param before rows created strictly before this are eligible
   * @param limit the maximum number of rows to delete
   * @return the number deleted
   */
  int deleteFinishedDeliveries(Instant before, int limit);

  /**
   * Finds a delivery by id.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the delivery id
   * @return the delivery, if it exists and its endpoint's organization is in {@code scope}
   */
  Optional<WebhookDeliveryRecord> findDelivery(Scope scope, UUID id);

  /**
   * Lists an endpoint's deliveries, newest first (created_at descending, then id descending).
   *
   * @param endpointId the endpoint
   * @param status only rows with this status, if given
   * @param eventType only rows of this event type, if given
   * @param after the (created_at, id) of the last row of the previous page
   * @param limit the maximum number of rows
   * @return the deliveries
   */
  List<WebhookDeliveryRecord> listDeliveries(UUID endpointId, Optional<String> status,
      Optional<String> eventType, Optional<Keyset> after, int limit);

  // ---- dispatch ---------------------------------------------------------------------------

  /**
   * Claims due deliveries for one dispatcher, atomically: rows with status {@code pending},
   * {@code next_attempt_at <= now}, whose endpoint is not {@code disabled} and not in
   * {@code skipEndpoints}, earliest due first, at most {@code limit}. Each claimed row gets
   * {@code leaseOwner = owner}, {@code nextAttemptAt = leaseUntil}, {@code lastAttemptAt = now},
   * {@code attempts + 1} and {@code version + 1}. A row another transaction is claiming at the
   * same moment is skipped, never waited for (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}); a row
   * whose lease ran out is due again, which is how a crashed worker's delivery is retried. The
   * dispatcher claims in a transaction of its own, and a store may commit it without waiting for
   * it to reach disk (as for {@link #updateDeliveries}): a claim lost in a crash of the database
   * leaves the row due, so it is attempted again, which at-least-once delivery allows.
   *
   * @param now the current time
   * @param owner the dispatcher's id
   * @param leaseUntil when the lease ends
   * @param skipEndpoints endpoints whose rows to leave alone (the caller is at their
   *     concurrency limit)
   * @param limit the maximum number of rows
   * @return the claimed rows, as updated, in any order
   */
  List<WebhookDeliveryRecord> claimDue(Instant now, String owner, Instant leaseUntil,
      Collection<UUID> skipEndpoints, int limit);

  /**
   * Writes a delivery row's mutable fields ({@code status}, {@code attempts},
   * {@code nextAttemptAt}, {@code leaseOwner}, {@code lastError}, {@code lastAttemptAt},
   * {@code version}) if its stored version is {@code expectedVersion}. The event fields
   * ({@code endpointId}, {@code eventId}, {@code eventType}, {@code payload}, {@code createdAt})
   * never change after {@link #insertDeliveries} and are not written. A worker settles its
   * attempt with the version its claim returned, so after its lease ran out and another worker
   * claimed the row, its write changes nothing.
   *
   * @param delivery the new values; {@code delivery.version()} must be greater than
   *     {@code expectedVersion}
   * @param expectedVersion the version the caller holds
   * @return false, changing nothing, if the row is gone or was changed since
   */
  boolean updateDelivery(WebhookDeliveryRecord delivery, long expectedVersion);

  /**
   * Settles several attempts at once: for each index {@code i}, what
   * {@code updateDelivery(deliveries.get(i), expectedVersions.get(i))} does. The dispatcher
   * calls it once per settle batch. A store may send the writes in one round trip, and may
   * commit the calling transaction without waiting for it to reach disk (PostgreSQL:
   * {@code synchronous_commit = off} for that transaction): losing such a commit in a crash of
   * the database only makes the delivery due again when its lease ends, which the at-least-once
   * promise already covers. The default calls {@link #updateDelivery} for each row.
   *
   * @param deliveries the new values
   * @param expectedVersions the version the caller holds for each, in the same order
   * @return for each delivery, in the same order, whether it was written
   * @throws IllegalArgumentException if the lists differ in size
   */
  default List<Boolean> updateDeliveries(List<WebhookDeliveryRecord> deliveries,
      List<Long> expectedVersions) {
    if (deliveries.size() != expectedVersions.size()) {
      throw new IllegalArgumentException(deliveries.size() + " deliveries but "
          + expectedVersions.size() + " expected versions");
    }
    List<Boolean> written = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      written.add(updateDelivery(deliveries.get(i), expectedVersions.get(i)));
    }
    return written;
  }
}
