package dev.mailcore.testkit;

import java.util.Map;

/**
 * The undo log of one in-memory transaction, shared by the per-aggregate parts of
 * {@link InMemoryMailStore}: every change goes through it so a rollback restores it.
 */
interface TxLog {
  /** Fails if the transaction's work has returned. */
  void check();

  /** Puts a value, remembering how to undo it. */
  <K, V> void put(Map<K, V> map, K key, V value);

  /** Removes a key, remembering how to undo it. */
  <K, V> void remove(Map<K, V> map, K key);
}
