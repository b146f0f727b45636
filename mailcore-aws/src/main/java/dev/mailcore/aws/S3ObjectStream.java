package dev.mailcore.aws;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * An S3 object read as a stream that sends its GetObject only at the first read, so a batch of
 * inbound mail holds at most one S3 response open at a time while the engine spools the messages
 * one after another. A failed GetObject is thrown from {@code read} as the
 * {@link dev.mailcore.StorageException} {@link S3Errors} makes of it (retryable or not), which
 * the engine passes through to the message's outcome. Not thread-safe; closed by whoever
 * created it (the engine reads but does not close inbound streams).
 */
final class S3ObjectStream extends InputStream {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private @Nullable ResponseInputStream<GetObjectResponse> in;
  private boolean closed;
  private boolean ended;

  S3ObjectStream(S3Client s3, String bucket, String key) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
  }

  /** Whether an exception (or one of its causes) says the object does not exist. */
  static boolean missingObject(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoSuchKeyException) {
        return true;
      }
    }
    return false;
  }

  private InputStream open() throws IOException {
    if (closed) {
      throw new IOException("stream of " + S3Errors.location(bucket, key) + " is closed");
    }
    if (in == null) {
      try {
        in = s3.getObject(r -> r.bucket(bucket).key(key));
      } catch (SdkException e) {
        throw S3Errors.translate("GetObject", bucket, key, e);
      }
    }
    return in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      int n = open().read(b, off, len);
      if (n < 0) {
        ended = true;
      }
      return n;
    } catch (SdkException e) {
      throw S3Errors.translate("GetObject", bucket, key, e);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (in != null) {
      if (!ended) {
        // Closing before the end (a failed spool) aborts the connection instead of draining it.
        in.abort();
      }
      in.close();
      in = null;
    }
  }
}
