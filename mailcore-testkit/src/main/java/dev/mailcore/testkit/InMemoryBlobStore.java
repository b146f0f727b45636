package dev.mailcore.testkit;

import dev.mailcore.StorageException;
import dev.mailcore.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} in memory, for tests and demos. Unlike a production blob store it keeps
 * every blob on the heap, so don't feed it very large messages outside of tests that mean to.
 * Passes {@link BlobStoreContract}. Thread-safe.
 */
public final class InMemoryBlobStore implements BlobStore {
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryBlobStore() {}

  @Override
  public void put(Namespace namespace, String key, InputStream content, long length,
      String contentType) {
    Objects.requireNonNull(content, "content");
    try {
      blobs.put(id(namespace, key), content.readAllBytes());
    } catch (IOException e) {
      throw new StorageException("reading blob content for " + key + " failed", true, e);
    }
  }

  @Override
  public Optional<InputStream> get(Namespace namespace, String key) {
    return Optional.ofNullable(blobs.get(id(namespace, key))).map(ByteArrayInputStream::new);
  }

  @Override
  public boolean exists(Namespace namespace, String key) {
    return blobs.containsKey(id(namespace, key));
  }

  @Override
  public void delete(Namespace namespace, String key) {
    blobs.remove(id(namespace, key));
  }

  /**
   * The keys stored in a namespace; for assertions.
   *
   * @param namespace the namespace
   * @return a snapshot of the keys
   */
  public Set<String> keys(Namespace namespace) {
    String prefix = namespace.name() + ":";
    return blobs.keySet().stream().filter(k -> k.startsWith(prefix))
        .map(k -> k.substring(prefix.length())).collect(java.util.stream.Collectors.toSet());
  }

  @Override
  public String toString() {
    return "InMemoryBlobStore";
  }

  private static String id(Namespace namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    return namespace.name() + ":" + key;
  }
}
