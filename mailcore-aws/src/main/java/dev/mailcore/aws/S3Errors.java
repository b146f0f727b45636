package dev.mailcore.aws;

import dev.mailcore.StorageException;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS SDK failures of S3 calls become {@link StorageException}s. A failure
 * is retryable when the SDK says so ({@link SdkException#retryable()}), when S3 throttled the
 * call (429, SlowDown), answered 5xx, or the connection failed with an I/O error; anything else
 * (access denied, no such bucket, a bad request) would fail the same way again.
 */
final class S3Errors {
  private S3Errors() {}

  /**
   * Translates a failed call.
   *
   * @param operation the S3 operation, for example {@code "PutObject"}
   * @param bucket the bucket
   * @param key the key, or null for bucket-level calls
   * @param e the SDK's exception
   * @return the exception to throw
   */
  static StorageException translate(String operation, String bucket, String key,
      SdkException e) {
    boolean retryable = retryable(e);
    return new StorageException("S3 " + operation + " of " + location(bucket, key) + " failed"
        + (retryable ? " (transient: the call may be retried)" : "") + ": " + describe(e),
        retryable, e);
  }

  /**
   * Whether a failure is transient.
   *
   * @param e the failure
   * @return true for throttling, 5xx, I/O failures and whatever the SDK itself retries
   */
  static boolean retryable(SdkException e) {
    if (e.retryable()) {
      return true;
    }
    if (e instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) e;
      return service.isThrottlingException() || service.statusCode() == 429
          || service.statusCode() >= 500;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** {@code s3://bucket/key}, or {@code s3://bucket} for bucket-level calls. */
  static String location(String bucket, String key) {
    return "s3://" + bucket + (key == null ? "" : "/" + key);
  }

  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      AwsServiceException service = (AwsServiceException) e;
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      return "HTTP " + service.statusCode() + (code == null ? "" : " " + code)
          + (message == null ? "" : ": " + message);
    }
    return String.valueOf(e.getMessage());
  }
}
