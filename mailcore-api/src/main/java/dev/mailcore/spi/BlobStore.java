package dev.mailcore.spi;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores raw messages and attachment contents as opaque blobs under string keys, in two
 * namespaces (for S3: two buckets). Keys use only {@code [A-Za-z0-9/._-]}.
 *
 * <p>Implementations must be thread-safe and must stream: {@link #put} must not hold the whole
 * content in memory when the length is large or unknown. Failures surface as
 * {@link dev.mailcore.StorageException}.
 */
public interface BlobStore extends AutoCloseable {

  /** The two key spaces mailcore uses. */
  enum Namespace {
    /** Raw RFC 5322 messages, {@code {yyyy}/{mm}/{dd}/{message-id-hash}.eml}. */
    RAW,
    /** Attachment contents, {@code {yyyy}/{mm}/{dd}/{message-id-hash}/{uuid}.{ext}}. */
    ATTACHMENTS
  }

  /**
   * Stores {@code content} under {@code key}, replacing any blob already there. Reads
   * {@code content} to its end; does not close it.
   *
   * @param namespace where
   * @param key the key
   * @param content the bytes
   * @param length the exact number of bytes, or {@code -1} when unknown
   * @param contentType the MIME type to record, for example {@code message/rfc822}
   */
  void put(Namespace namespace, String key, InputStream content, long length, String contentType);

  /**
   * Opens a stored blob for reading. The caller closes the stream.
   *
   * @param namespace where
   * @param key the key
   * @return the content, or empty if no blob has that key
   */
  Optional<InputStream> get(Namespace namespace, String key);

  /**
   * Whether a blob exists.
   *
   * @param namespace where
   * @param key the key
   * @return true if it exists
   */
  boolean exists(Namespace namespace, String key);

  /**
   * Deletes a blob; deleting a missing key is not an error.
   *
   * @param namespace where
   * @param key the key
   */
  void delete(Namespace namespace, String key);

  /**
   * What a download URL should make the blob look like to the browser that fetches it.
   *
   * @param validFor how long the URL works, positive
   * @param contentType the {@code Content-Type} the response carries
   * @param contentDisposition the {@code Content-Disposition} the response carries, already
   *     encoded (RFC 6266, with an RFC 5987 {@code filename*} for non-ASCII names)
   */
  record Download(Duration validFor, String contentType, String contentDisposition) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if any is null
     * @throws IllegalArgumentException if {@code validFor} is zero or negative
     */
    public Download {
      Objects.requireNonNull(validFor, "validFor");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(contentDisposition, "contentDisposition");
      if (validFor.isZero() || validFor.isNegative()) {
        throw new IllegalArgumentException("validFor must be positive, got " + validFor);
      }
    }
  }

  /**
   * An optional capability: a URL from which anyone holding it can GET the blob directly from
   * the storage service until it expires (an S3 presigned URL), so a host can hand attachments
   * to a browser without proxying the bytes. The URL is made without checking that the blob
   * exists. Stores that cannot do this (the default) return empty, and mailcore tells the caller
   * to stream the content instead.
   *
   * @param namespace where
   * @param key the key
   * @param download the lifetime and the response headers the URL should produce
   * @return the URL, or empty if this store cannot make one
   */
  default Optional<URI> downloadUrl(Namespace namespace, String key, Download download) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(download, "download");
    return Optional.empty();
  }

  /** Releases resources this store created itself; injected clients are not closed. */
  @Override
  default void close() {}
}
