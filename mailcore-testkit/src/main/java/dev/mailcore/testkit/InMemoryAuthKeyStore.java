package dev.mailcore.testkit;

import dev.mailcore.AuthKey;
import dev.mailcore.spi.AuthKeyStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link InMemoryMailStore}'s {@link AuthKeyStore}: a view of the store's key map inside one
 * transaction. Every write goes through the transaction's undo log, so a rolled-back
 * transaction leaves no key behind. Not thread-safe (one transaction, one thread).
 */
final class InMemoryAuthKeyStore implements AuthKeyStore {

  /** The transaction's undoable write ({@code Tx.put}). */
  @FunctionalInterface
  interface UndoablePut {
    <K, V> void put(Map<K, V> map, K key, V value);
  }

  private final Map<UUID, AuthKey> keys;
  private final UndoablePut put;
  private final Runnable checkOpen;

  InMemoryAuthKeyStore(Map<UUID, AuthKey> keys, UndoablePut put, Runnable checkOpen) {
    this.keys = keys;
    this.put = put;
    this.checkOpen = checkOpen;
  }

  @Override
  public void insert(AuthKey key) {
    Objects.requireNonNull(key, "key");
    put.put(keys, key.id(), key);
  }

  @Override
  public Optional<AuthKey> find(Scope scope, UUID id) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(id, "id");
    checkOpen.run();
    return Optional.ofNullable(keys.get(id)).filter(k -> scope.includes(k.organizationId()));
  }

  @Override
  public List<AuthKey> list(String organizationId, Optional<Keyset> after, int limit) {
    Objects.requireNonNull(organizationId, "organizationId");
    checkOpen.run();
    return InMemoryMailStore.ascending(
        keys.values().stream().filter(k -> k.organizationId().equals(organizationId)),
        AuthKey::createdAt, AuthKey::id, after, limit);
  }

  @Override
  public boolean revoke(UUID id, Instant at) {
    Objects.requireNonNull(at, "at");
    Optional<AuthKey> key = find(Scope.all(), id).filter(k -> !k.revoked());
    key.ifPresent(k -> put.put(keys, id, new AuthKey(k.id(), k.organizationId(), k.name(),
        k.publicKeyPem(), k.algorithm(), k.createdAt(), Optional.of(at))));
    return key.isPresent();
  }
}
