package dev.mailcore;

import dev.mailcore.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link BlobStore} on a local (or mounted) file system: durable storage for raw mail and
 * attachments without a cloud account. Raw messages live under {@code <root>/raw/<key>@},
 * attachments under {@code <root>/attachments/<key>@}: the key's slashes become directories,
 * and the file name ends in {@code @} (a character keys cannot contain) so that a key and a
 * longer key below it ({@code a/b} and {@code a/b/c}) can both exist, as in S3.
 *
 * <pre>{@code
 * BlobStore blobs = FileSystemBlobStore.builder().root(Path.of("/var/lib/myapp/mail")).build();
 * }</pre>
 *
 * <p><b>Writes are atomic.</b> {@link #put} streams the content into a temporary file in the
 * target's directory, forces it to disk, then renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} and forces the directory: a reader sees the old blob
 * or the whole new one, never a part, and a crash leaves at most a temporary file named
 * {@code .mailcore-*.tmp} (safe to delete when no put is running). Nothing is held on the heap
 * beyond a copy buffer.
 *
 * <p><b>Keys cannot escape the root.</b> A key is one or more segments of
 * {@code [A-Za-z0-9._-]} separated by single slashes; a segment may not start with a dot (so
 * {@code .}, {@code ..} and the temporary files are unreachable), and absolute paths, NUL,
 * backslashes and empty segments are refused with a {@link ValidationException}. The resolved
 * path is checked to lie under the namespace directory as a second line of defence.
 *
 * <p>Does not presign: {@link #downloadUrl} is always empty (serve attachments by streaming
 * {@link Messages#attachment}). Empty directories left by {@link #delete} are not removed.
 *
 * <p>Thread-safe; concurrent puts of one key leave one of the contents whole. {@link #close()}
 * does nothing (there is nothing to release).
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final int MAX_KEY_LENGTH = 1024;
  /** Ends every blob's file name; not a key character, so no directory can be named so. */
  private static final String FILE_SUFFIX = "@";

  private final Path root;
  private final Path raw;
  private final Path attachments;
  private final boolean fsync;

  private FileSystemBlobStore(Path root, boolean fsync) {
    this.root = root;
    this.raw = root.resolve("raw");
    this.attachments = root.resolve("attachments");
    this.fsync = fsync;
  }

  /**
   * Starts configuring a store.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException if the key is not a safe relative key (see the class javadoc)
   * @throws StorageException if writing fails (retryable unless permission was denied) or the
   *     content stream fails; nothing is left under the key
   */
  @Override
  public void put(Namespace namespace, String key, InputStream content, long length,
      String contentType) {
    Objects.requireNonNull(content, "content");
    Path target = path(namespace, key);
    Path dir = target.getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, ".mailcore-", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        content.transferTo(out);
        if (fsync) {
          channel.force(true);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      if (fsync) {
        forceDirectory(dir);
      }
    } catch (IOException e) {
      throw failure("put", namespace, key, target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The original failure is what the caller needs; a stray .tmp file is harmless.
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException if the key is not a safe relative key
   * @throws StorageException if the file exists but cannot be opened
   */
  @Override
  public Optional<InputStream> get(Namespace namespace, String key) {
    Path target = path(namespace, key);
    try {
      return Optional.of(Files.newInputStream(target));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("get", namespace, key, target, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException if the key is not a safe relative key
   */
  @Override
  public boolean exists(Namespace namespace, String key) {
    return Files.isRegularFile(path(namespace, key));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException if the key is not a safe relative key
   * @throws StorageException if the file exists but cannot be deleted
   */
  @Override
  public void delete(Namespace namespace, String key) {
    Path target = path(namespace, key);
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw failure("delete", namespace, key, target, e);
    }
  }

  @Override
  public String toString() {
    return "FileSystemBlobStore[" + root + "]";
  }

  /** Maps a key to its file, refusing anything that could name a file outside the namespace. */
  private Path path(Namespace namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
      throw new ValidationException("key", "expected a relative blob key of segments of"
          + " [A-Za-z0-9._-] (not starting with '.') separated by single '/', at most "
          + MAX_KEY_LENGTH + " characters, got '" + printable(key) + "'");
    }
    Path base = namespace == Namespace.RAW ? raw : attachments;
    Path resolved = base.resolve(key + FILE_SUFFIX).normalize();
    if (!resolved.startsWith(base) || resolved.equals(base)) {
      throw new ValidationException("key", "resolves outside the blob store's "
          + namespace.name().toLowerCase(java.util.Locale.ROOT) + " directory: '"
          + printable(key) + "'");
    }
    return resolved;
  }

  private static String printable(String key) {
    StringBuilder b = new StringBuilder();
    key.codePoints().limit(200).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static void forceDirectory(Path dir) throws IOException {
    // POSIX: a rename is durable once the directory itself is synced. Windows cannot open a
    // directory as a channel; there the rename is as durable as NTFS makes it.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (AccessDeniedException | UnsupportedOperationException e) {
      // not supported on this platform
    }
  }

  private static StorageException failure(String operation, Namespace namespace, String key,
      Path path, IOException e) {
    boolean retryable = !(e instanceof AccessDeniedException);
    return new StorageException("file system blob store: " + operation + " of "
        + namespace.name().toLowerCase(java.util.Locale.ROOT) + " blob '" + key + "' at " + path
        + " failed: " + e, retryable, e);
  }

  /**
   * Configures a {@link FileSystemBlobStore}. Only {@link #root} is required. Not thread-safe.
   */
  public static final class Builder {
    private Path root;
    private boolean fsync = true;

    private Builder() {}

    /**
     * The directory that holds the {@code raw} and {@code attachments} directories; created
     * (with its parents) by {@link #build()} if missing.
     *
     * @param root the directory
     * @return this builder
     */
    public Builder root(Path root) {
      this.root = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * Whether each put forces the file and its directory to disk before returning (default
     * {@code true}). Turning it off trades durability across a power loss for speed, which is
     * right only for tests and throw-away data; the rename stays atomic either way.
     *
     * @param fsync whether to force writes to disk
     * @return this builder
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Creates the store, creating the root and namespace directories if needed.
     *
     * @return the store
     * @throws ValidationException if no root was given
     * @throws StorageException if the directories cannot be created or are not writable
     */
    public FileSystemBlobStore build() {
      if (root == null) {
        throw new ValidationException("root", "missing: call root(Path) with the directory"
            + " that should hold raw mail and attachments");
      }
      Path absolute = root.toAbsolutePath().normalize();
      FileSystemBlobStore store = new FileSystemBlobStore(absolute, fsync);
      for (Path dir : new Path[] {store.raw, store.attachments}) {
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new StorageException("file system blob store: cannot create " + dir + " (from"
              + " root(" + root + ")): " + e + "; create it or choose a writable root", false, e);
        }
        if (!Files.isWritable(dir)) {
          throw new StorageException("file system blob store: " + dir + " (from root(" + root
              + ")) is not writable by this process; fix its permissions or choose another"
              + " root", false, null);
        }
      }
      return store;
    }
  }
}
