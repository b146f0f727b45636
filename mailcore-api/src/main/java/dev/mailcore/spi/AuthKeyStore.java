package dev.mailcore.spi;

import dev.mailcore.AuthKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Persistence of organizations' JWT public keys, reached inside a transaction as
 * {@link StoreTransaction#authKeys()}. The store only keeps and returns rows; parsing keys,
 * checking algorithms, verifying tokens and caching are the engine's. Same threading rules as
 * {@link StoreTransaction}: one transaction, one thread.
 */
public interface AuthKeyStore {

  /**
   * Stores a new key (ids are unique; a second insert of the same id is a bug in the caller).
   *
   * @param key the key, as registered
   */
  void insert(AuthKey key);

  /**
   * Finds a key by id, revoked or not.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the key id
   * @return the key, if it exists and its organization is in {@code scope}
   */
  Optional<AuthKey> find(Scope scope, UUID id);

  /**
   * Lists an organization's keys, revoked ones included, oldest first (created_at, id; ids in
   * unsigned 128-bit order, as PostgreSQL's {@code uuid}).
   *
   * @param organizationId the organization
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the keys
   */
  List<AuthKey> list(String organizationId, Optional<Keyset> after, int limit);

  /**
   * Marks a key revoked at {@code at}, unless it is revoked already.
   *
   * @param id the key id
   * @param at the revocation time
   * @return true if an unrevoked key with this id was revoked now; false if it does not exist or
   *     was revoked before (its revocation time is kept)
   */
  boolean revoke(UUID id, Instant at);
}
