package dev.mailcore.testkit.hostile;

import dev.mailcore.StorageException;
import dev.mailcore.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * A blob store for memory tests: raw messages go to files in a temporary directory (so
 * {@code messages().raw(id)} still works), attachment contents are counted, hashed and thrown
 * away. Calls a probe while content streams through, so a test can measure the heap in the
 * middle of an upload. Thread-safe enough for one receive at a time.
 */
final class CountingBlobStore implements BlobStore {
  /** What was seen of one attachment. */
  record Seen(long size, String sha256) {}

  private final Path dir;
  private final LongConsumer probe;
  private final Map<String, Seen> attachments = new ConcurrentHashMap<>();

  CountingBlobStore(Path dir, LongConsumer probe) {
    this.dir = dir;
    this.probe = probe;
  }

  Map<String, Seen> attachments() {
    return attachments;
  }

  @Override
  public void put(Namespace namespace, String key, InputStream content, long length,
      String contentType) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 << 10];
      long size = 0;
      long nextProbe = 8L << 20;
      if (namespace == Namespace.RAW) {
        Path file = file(key);
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file)) {
          for (int n; (n = content.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            size += n;
            if (size >= nextProbe) {
              probe.accept(size);
              nextProbe += 8L << 20;
            }
          }
        }
        return;
      }
      for (int n; (n = content.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
        size += n;
        if (size >= nextProbe) {
          probe.accept(size);
          nextProbe += 8L << 20;
        }
      }
      attachments.put(key, new Seen(size, HexFormat.of().formatHex(d.digest())));
    } catch (IOException e) {
      throw new StorageException("writing " + key + " failed", true, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<InputStream> get(Namespace namespace, String key) {
    if (namespace != Namespace.RAW || !Files.exists(file(key))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.newInputStream(file(key)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean exists(Namespace namespace, String key) {
    return namespace == Namespace.RAW ? Files.exists(file(key)) : attachments.containsKey(key);
  }

  @Override
  public void delete(Namespace namespace, String key) {
    try {
      if (namespace == Namespace.RAW) {
        Files.deleteIfExists(file(key));
      } else {
        attachments.remove(key);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String key) {
    return dir.resolve(key);
  }
}
