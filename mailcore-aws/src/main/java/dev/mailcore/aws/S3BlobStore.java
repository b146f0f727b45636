package dev.mailcore.aws;

import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link BlobStore} on Amazon S3 (or an S3-compatible service): raw messages in one bucket,
 * attachments in another, under the keys mailcore chooses ({@code {yyyy}/{mm}/{dd}/...}, so a
 * lifecycle rule per date prefix works).
 *
 * <pre>{@code
 * BlobStore blobs = S3BlobStore.builder()
 *     .client(s3)                          // the host's S3Client; or region/endpoint/credentials
 *     .rawBucket("acme-mail-raw")
 *     .attachmentBucket("acme-mail-attachments")
 *     .build();                            // fails if a bucket is missing
 * }</pre>
 *
 * <p><b>Who closes what.</b> An {@link S3Client} passed to {@link Builder#client} stays the
 * host's: {@link #close()} never closes it. A client this store builds from
 * {@link Builder#region}, {@link Builder#endpoint} and {@link Builder#credentials} is closed by
 * {@link #close()}.
 *
 * <p><b>Streaming.</b> A blob of at most {@link Builder#multipartThreshold} bytes is sent with
 * one PutObject; a larger one (or one of unknown length that turns out larger) as a multipart
 * upload of {@link Builder#partSize}-byte parts, each read from the content as it is sent, so a
 * put holds at most one part on the heap (5 MiB by default) whatever the blob's size. A put is
 * atomic: S3 shows an object only once PutObject or CompleteMultipartUpload succeeds, and a
 * failed multipart upload is aborted (if S3 cannot be reached to abort it, the parts stay
 * invisible until a lifecycle rule with {@code AbortIncompleteMultipartUpload} removes them).
 * {@link #get} returns S3's response stream; the caller closes it, and closing it before the
 * end aborts the connection rather than draining the rest.
 *
 * <p><b>Errors.</b> Every SDK failure becomes a {@link StorageException} naming the operation,
 * bucket and key; {@code retryable()} is true for throttling, 5xx, I/O failures and whatever the
 * SDK marks retryable.
 *
 * <p><b>Download URLs.</b> {@link #downloadUrl} presigns a GetObject that overrides the
 * response's Content-Type and Content-Disposition, so a browser saves the attachment under its
 * original name.
 *
 * <p>Needs {@code s3:PutObject}, {@code s3:GetObject}, {@code s3:DeleteObject},
 * {@code s3:AbortMultipartUpload} on both buckets' objects and {@code s3:ListBucket} on the
 * buckets (HeadBucket at build time, and HeadObject's 404 for a missing key).
 *
 * <p>Thread-safe: share one instance.
 */
public final class S3BlobStore implements BlobStore {
  /** S3's smallest part size (every part but the last). */
  static final long MIN_PART_SIZE = 5L << 20;
  /** S3's largest part size. */
  static final long MAX_PART_SIZE = 5L << 30;
  private static final int FIRST_BUFFER = 64 << 10;

  private final S3Client s3;
  private final boolean ownsClient;
  private final String rawBucket;
  private final String attachmentBucket;
  private final int partSize;
  private final int multipartThreshold;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile S3Presigner presigner;

  private S3BlobStore(Builder b, S3Client s3, boolean ownsClient) {
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.rawBucket = b.rawBucket;
    this.attachmentBucket = b.attachmentBucket;
    this.partSize = (int) b.partSize;
    this.multipartThreshold = (int) (b.multipartThreshold < 0 ? b.partSize : b.multipartThreshold);
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
   * @throws StorageException if S3 fails (naming bucket, key and operation) or the content
   *     stream fails; in both cases nothing new is visible under the key
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public void put(Namespace namespace, String key, InputStream content, long length,
      String contentType) {
    String bucket = bucket(namespace);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(content, "content");
    String type = contentType == null ? "application/octet-stream" : contentType;
    checkOpen();
    PushbackInputStream in = new PushbackInputStream(content, 1);
    // A declared length sizes the first buffer (one spare byte to see the end without growing
    // it); an unknown length starts small and grows, so small blobs never cost a whole part.
    int initial = length >= 0 ? (int) Math.min(length + 1, partSize) : FIRST_BUFFER;
    Fill first = fill(in, new byte[Math.min(initial, partSize)], partSize, bucket, key);
    if (first.ended() && first.size() <= multipartThreshold) {
      byte[] bytes = first.buffer();
      int size = first.size();
      try {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(type).contentLength((long) size),
            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, size), size,
                type));
      } catch (SdkException e) {
        throw S3Errors.translate("PutObject", bucket, key, e);
      }
      return;
    }
    multipart(bucket, key, type, in, first);
  }

  private void multipart(String bucket, String key, String type, PushbackInputStream content,
      Fill first) {
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(type))
          .uploadId();
    } catch (SdkException e) {
      throw S3Errors.translate("CreateMultipartUpload", bucket, key, e);
    }
    try {
      List<CompletedPart> parts = new ArrayList<>();
      Fill fill = first;
      byte[] buffer = first.buffer().length == partSize ? first.buffer() : null;
      while (true) {
        if (fill.size() > 0 || parts.isEmpty()) {
          parts.add(uploadPart(bucket, key, uploadId, parts.size() + 1, fill));
        }
        if (fill.ended()) {
          break;
        }
        if (buffer == null) {
          buffer = new byte[partSize];
        }
        fill = fill(content, buffer, partSize, bucket, key);
      }
      try {
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts)));
      } catch (SdkException e) {
        throw S3Errors.translate("CompleteMultipartUpload", bucket, key, e);
      }
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException abortFailure) {
        e.addSuppressed(abortFailure);
      }
      throw e;
    }
  }

  private CompletedPart uploadPart(String bucket, String key, String uploadId, int number,
      Fill fill) {
    byte[] bytes = fill.buffer();
    int size = fill.size();
    try {
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
              .partNumber(number).contentLength((long) size),
          RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, size), size,
              "application/octet-stream")).eTag();
      return CompletedPart.builder().partNumber(number).eTag(etag).build();
    } catch (SdkException e) {
      throw S3Errors.translate("UploadPart " + number, bucket, key, e);
    }
  }

  /** Bytes read into a buffer: how many, and whether the content ended. */
  private record Fill(byte[] buffer, int size, boolean ended) {}

  /**
   * Reads up to {@code limit} bytes, growing {@code buffer} (by doubling, at most to
   * {@code limit}) as needed, so a small blob of unknown length never costs a whole part.
   */
  private static Fill fill(PushbackInputStream in, byte[] buffer, int limit, String bucket,
      String key) {
    byte[] buf = buffer;
    int size = 0;
    try {
      while (true) {
        if (size == buf.length) {
          if (buf.length >= limit) {
            // Full: peek one byte to learn whether the content ended exactly here.
            int next = in.read();
            if (next >= 0) {
              in.unread(next);
            }
            return new Fill(buf, size, next < 0);
          }
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, limit));
        }
        int n = in.read(buf, size, buf.length - size);
        if (n < 0) {
          return new Fill(buf, size, true);
        }
        size += n;
      }
    } catch (IOException e) {
      throw new StorageException("reading the content to store at "
          + S3Errors.location(bucket, key) + " failed: " + e, true, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if S3 fails other than with "no such key"
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public Optional<InputStream> get(Namespace namespace, String key) {
    String bucket = bucket(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try {
      return Optional.of(new AbortOnEarlyClose(s3.getObject(r -> r.bucket(bucket).key(key))));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw S3Errors.translate("GetObject", bucket, key, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if S3 fails other than with 404
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public boolean exists(Namespace namespace, String key) {
    String bucket = bucket(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try {
      s3.headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw S3Errors.translate("HeadObject", bucket, key, e);
    } catch (SdkException e) {
      throw S3Errors.translate("HeadObject", bucket, key, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if S3 fails
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public void delete(Namespace namespace, String key) {
    String bucket = bucket(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw S3Errors.translate("DeleteObject", bucket, key, e);
    }
  }

  /**
   * A presigned GetObject URL whose response carries {@code download}'s Content-Type and
   * Content-Disposition. Made locally, without a call to S3 and without checking that the
   * object exists. Valid for {@code download.validFor()}, and no longer than the credentials
   * that signed it.
   *
   * @throws StorageException if the SDK cannot sign (no credentials, for example)
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public Optional<URI> downloadUrl(Namespace namespace, String key, Download download) {
    String bucket = bucket(namespace);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(download, "download");
    checkOpen();
    try {
      var signed = presigner().presignGetObject(p -> p.signatureDuration(download.validFor())
          .getObjectRequest(r -> r.bucket(bucket).key(key)
              .responseContentType(download.contentType())
              .responseContentDisposition(download.contentDisposition())));
      return Optional.of(signed.url().toURI());
    } catch (SdkException e) {
      throw S3Errors.translate("presign GetObject", bucket, key, e);
    } catch (URISyntaxException e) {
      throw new StorageException("the presigned URL for " + S3Errors.location(bucket, key)
          + " is not a valid URI: " + e.getMessage(), false, e);
    }
  }

  /**
   * Closes the S3 client this store built itself, and its presigner; a client given to
   * {@link Builder#client} stays open. Idempotent; later calls fail with
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    S3Presigner p = presigner;
    try {
      if (p != null) {
        p.close();
      }
    } finally {
      if (ownsClient) {
        s3.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3BlobStore[raw=" + rawBucket + ", attachments=" + attachmentBucket + "]";
  }

  private S3Presigner presigner() {
    S3Presigner p = presigner;
    if (p == null) {
      synchronized (this) {
        p = presigner;
        if (p == null) {
          // Built from the client so it signs for the same endpoint, addressing style and
          // credentials; the region is not taken from the client, so it is passed on.
          var config = s3.serviceClientConfiguration();
          S3Presigner.Builder b = S3Presigner.builder().s3Client(s3).region(config.region())
              .credentialsProvider(config.credentialsProvider());
          config.endpointOverride().ifPresent(b::endpointOverride);
          p = b.build();
          presigner = p;
        }
      }
    }
    return p;
  }

  private String bucket(Namespace namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return namespace == Namespace.RAW ? rawBucket : attachmentBucket;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("S3BlobStore is closed");
    }
  }

  /**
   * S3's response stream, closed without draining: closing before the end aborts the HTTP
   * connection (cheaper than reading megabytes nobody wants), closing at the end returns it to
   * the pool.
   */
  private static final class AbortOnEarlyClose extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private boolean ended;

    AbortOnEarlyClose(ResponseInputStream<GetObjectResponse> response) {
      super(response);
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      ended |= c < 0;
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (!ended) {
        response.abort();
      }
      super.close();
    }
  }

  /**
   * Configures an {@link S3BlobStore}. Give either {@link #client} or the settings for a client
   * mailcore builds ({@link #region}, optionally {@link #endpoint}, {@link #credentials},
   * {@link #pathStyle}), and both bucket names. Setters check their argument at once;
   * {@link #build()} checks combinations and that the buckets exist. Not thread-safe.
   */
  public static final class Builder {
    private S3Client client;
    private Region region;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private Boolean pathStyle;
    private String rawBucket;
    private String attachmentBucket;
    private long partSize = MIN_PART_SIZE;
    private long multipartThreshold = -1;
    private boolean verifyBuckets = true;

    private Builder() {}

    /**
     * Uses the host's S3 client. <b>mailcore never closes it.</b>
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The region of the client mailcore builds (and closes).
     *
     * @param region for example {@code "eu-west-1"}
     * @return this builder
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (region.isBlank()) {
        throw new ValidationException("region", "must not be blank");
      }
      this.region = Region.of(region);
      return this;
    }

    /**
     * An endpoint for the client mailcore builds, for an S3-compatible service or a VPC
     * endpoint (default: AWS's endpoint for the region).
     *
     * @param endpoint for example {@code http://127.0.0.1:9000}
     * @return this builder
     * @throws ValidationException if it is not an absolute http(s) URI
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
        throw new ValidationException("endpoint", "expected an http or https URI, got '"
            + endpoint + "'");
      }
      this.endpoint = endpoint;
      return this;
    }

    /**
     * The credentials of the client mailcore builds (default: the SDK's default chain:
     * environment, profile, container or instance role).
     *
     * @param credentials the provider
     * @return this builder
     */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Whether the client mailcore builds addresses buckets in the path
     * ({@code endpoint/bucket/key}) instead of the host name (default {@code false}); most
     * S3-compatible servers need {@code true}.
     *
     * @param pathStyle whether to use path-style addressing
     * @return this builder
     */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /**
     * The bucket for raw RFC 5322 messages. Required.
     *
     * @param bucket the bucket name
     * @return this builder
     */
    public Builder rawBucket(String bucket) {
      this.rawBucket = checkBucket("rawBucket", bucket);
      return this;
    }

    /**
     * The bucket for attachment contents. Required, and not the raw bucket.
     *
     * @param bucket the bucket name
     * @return this builder
     */
    public Builder attachmentBucket(String bucket) {
      this.attachmentBucket = checkBucket("attachmentBucket", bucket);
      return this;
    }

    /**
     * The size of each multipart-upload part, which is also the most a put holds on the heap
     * (default 5 MiB, S3's minimum). Larger parts mean fewer requests for huge blobs.
     *
     * @param bytes between 5 MiB and 2 GiB - 1
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE || bytes > Integer.MAX_VALUE - 8) {
        throw new ValidationException("partSize", "must be between 5 MiB (" + MIN_PART_SIZE
            + ", S3's minimum) and " + (Integer.MAX_VALUE - 8) + " bytes, got " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Blobs up to this size go up in one PutObject, larger ones as a multipart upload (default:
     * the part size).
     *
     * @param bytes at least 0, at most {@link #partSize}
     * @return this builder
     * @throws ValidationException if negative
     */
    public Builder multipartThreshold(long bytes) {
      if (bytes < 0) {
        throw new ValidationException("multipartThreshold", "must be >= 0, got " + bytes);
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /**
     * Whether {@link #build()} checks with HeadBucket that both buckets exist and are
     * reachable (default {@code true}). Turn it off only where the credentials may not call
     * HeadBucket ({@code s3:ListBucket}).
     *
     * @param verify whether to check the buckets
     * @return this builder
     */
    public Builder verifyBuckets(boolean verify) {
      this.verifyBuckets = verify;
      return this;
    }

    /**
     * Creates the store: builds the client if none was given, then checks that both buckets
     * exist. If the check fails, a client built here is closed again.
     *
     * @return the store
     * @throws ValidationException if settings are missing or contradict each other
     * @throws StorageException if a bucket does not exist or cannot be reached, saying which
     *     and what to do
     */
    public S3BlobStore build() {
      if (rawBucket == null || attachmentBucket == null) {
        throw new ValidationException(rawBucket == null ? "rawBucket" : "attachmentBucket",
            "missing: S3BlobStore needs rawBucket(...) and attachmentBucket(...)");
      }
      if (rawBucket.equals(attachmentBucket)) {
        throw new ValidationException("attachmentBucket", "must differ from rawBucket (both"
            + " are '" + rawBucket + "'): raw mail and attachments live in two buckets so each"
            + " gets its own lifecycle and access policy");
      }
      if (multipartThreshold > partSize) {
        throw new ValidationException("multipartThreshold", "must be at most partSize ("
            + partSize + "), got " + multipartThreshold);
      }
      if (client != null) {
        for (String[] s : new String[][] {{"region", region == null ? null : ""},
            {"endpoint", endpoint == null ? null : ""},
            {"credentials", credentials == null ? null : ""},
            {"pathStyle", pathStyle == null ? null : ""}}) {
          if (s[1] != null) {
            throw new ValidationException(s[0], "only applies to the client mailcore builds;"
                + " configure the S3Client given to client(...) instead");
          }
        }
        return verified(new S3BlobStore(this, client, false));
      }
      S3Client own;
      try {
        S3ClientBuilder b = S3Client.builder();
        if (region != null) {
          b.region(region);
        }
        if (endpoint != null) {
          b.endpointOverride(endpoint);
        }
        if (credentials != null) {
          b.credentialsProvider(credentials);
        }
        if (pathStyle != null) {
          b.forcePathStyle(pathStyle);
        }
        own = b.build();
      } catch (SdkException e) {
        throw new ValidationException("region", "the S3 client could not be built: "
            + e.getMessage() + "; set region(...) (and credentials(...) if the default chain"
            + " finds none), or pass your own client(...)");
      }
      S3BlobStore store = new S3BlobStore(this, own, true);
      try {
        return verified(store);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }

    private S3BlobStore verified(S3BlobStore store) {
      if (!verifyBuckets) {
        return store;
      }
      for (String[] b : new String[][] {{"rawBucket", rawBucket},
          {"attachmentBucket", attachmentBucket}}) {
        try {
          store.s3.headBucket(r -> r.bucket(b[1]));
        } catch (NoSuchBucketException e) {
          throw missing(b[0], b[1], e);
        } catch (AwsServiceException e) {
          if (e.statusCode() == 404) {
            throw missing(b[0], b[1], e);
          }
          if (e.statusCode() == 403) {
            throw new StorageException("S3 bucket '" + b[1] + "' (" + b[0] + ") exists but"
                + " these credentials may not use it (HeadBucket: 403): grant s3:ListBucket on"
                + " it and s3:GetObject/PutObject/DeleteObject/AbortMultipartUpload on its"
                + " objects, or build with verifyBuckets(false) if only HeadBucket is denied",
                false, e);
          }
          throw S3Errors.translate("HeadBucket (checking " + b[0] + ")", b[1], null, e);
        } catch (SdkException e) {
          throw S3Errors.translate("HeadBucket (checking " + b[0] + ")", b[1], null, e);
        }
      }
      return store;
    }

    private static StorageException missing(String setting, String bucket, SdkException e) {
      return new StorageException("S3 bucket '" + bucket + "' (" + setting + ") does not"
          + " exist: create it (for example 'aws s3 mb s3://" + bucket + "') or pass the name"
          + " of an existing bucket to " + setting + "(...)", false, e);
    }

    private static String checkBucket(String setting, String bucket) {
      Objects.requireNonNull(bucket, setting);
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new ValidationException(setting, "expected an S3 bucket name (3-63 lower-case"
            + " letters, digits, dots and hyphens), got '" + bucket + "'");
      }
      return bucket;
    }
  }
}
