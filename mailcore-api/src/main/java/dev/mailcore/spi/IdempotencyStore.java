package dev.mailcore.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Send idempotency keys, one row per (inbox, key), inside one {@link StoreTransaction}. The
 * store keeps rows as given; the engine decides when a row has expired and replaces it. Not
 * thread-safe (see {@link StoreTransaction}).
 */
public interface IdempotencyStore {

  /**
   * Finds the row for a key, however old.
   *
   * @param inboxId the sending inbox
   * @param key the caller's idempotency key
   * @return the row, if one exists
   */
  Optional<IdempotencyRecord> find(UUID inboxId, String key);

  /**
   * Inserts a row for a key that has none.
   *
   * @param record the row
   * @return false, writing nothing, if a row for the same (inbox, key) exists (also when a
   *     concurrent transaction inserted it first)
   */
  boolean insert(IdempotencyRecord record);

  /**
   * Replaces the row for {@code record}'s (inbox, key), but only if its {@code createdAt} is
   * still {@code expectedCreatedAt}: a compare-and-set, so of two transactions replacing the
   * same row only the first succeeds.
   *
   * @param record the new row
   * @param expectedCreatedAt the created-at of the row the caller read
   * @return false, writing nothing, if there is no such row or it has another created-at (also
   *     when a concurrent transaction replaced it first)
   */
  boolean replace(IdempotencyRecord record, Instant expectedCreatedAt);
}
