package dev.mailcore.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3Proxy started in-process on 127.0.0.1 (a random port) over real HTTP with SigV4
 * authentication, storing objects in a temporary directory (so tens of megabytes cost no test
 * heap). {@link #stop()} and {@link #restart()} take the server away and bring it back on the
 * same port with the same objects, for fault tests. Used by the tests and the benchmarks.
 *
 * <p>Not thread-safe; one per test class.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key S3Proxy accepts. */
  public static final String ACCESS_KEY = "mailcore-test";
  /** The secret key S3Proxy accepts. */
  public static final String SECRET_KEY = "mailcore-test-secret";
  /** The region clients sign for. */
  public static final Region REGION = Region.US_EAST_1;

  private final Path directory;
  private final BlobStore storage;
  private S3Proxy proxy;
  private int port;

  /**
   * Starts a server on a free loopback port.
   *
   * @throws IllegalStateException if it does not start
   */
  public S3ProxyServer() {
    try {
      directory = Files.createTempDirectory("mailcore-s3proxy-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    storage = new FilesystemNio2BlobStore(directory.toString());
    start(0);
  }

  /** The endpoint, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * A real SDK client for this server, path-style.
   *
   * @return a new client; the caller closes it
   */
  public S3Client newClient() {
    return clientBuilder().build();
  }

  /**
   * A client builder for this server with extra overrides (interceptors, retries).
   *
   * @return a configured builder
   */
  public S3ClientBuilder clientBuilder() {
    return S3Client.builder().endpointOverride(endpoint()).region(REGION).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .overrideConfiguration(ClientOverrideConfiguration.builder().build());
  }

  /**
   * Creates buckets (fine if they exist).
   *
   * @param names the bucket names
   */
  public void createBuckets(String... names) {
    try (S3Client s3 = newClient()) {
      for (String name : names) {
        try {
          s3.headBucket(r -> r.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          s3.createBucket(r -> r.bucket(name));
        }
      }
    }
  }

  /** Stops the server; requests fail with connection refused until {@link #restart()}. */
  public void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    }
  }

  /** Starts the server again on the same port, with the objects it held. */
  public void restart() {
    start(port);
  }

  private void start(int onPort) {
    proxy = S3Proxy.builder().blobStore(storage)
        .endpoint(URI.create("http://127.0.0.1:" + onPort))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start on 127.0.0.1:" + onPort, e);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("S3Proxy is " + proxy.getState() + " after start()");
    }
    port = proxy.getPort();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory; the OS cleans it eventually
      }
    }
  }
}
