package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.BlobStore.Namespace;
import dev.mailcore.testkit.internal.GeneratedStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/** S3BlobStore beyond the contract: settings, ownership, multipart, errors, download URLs. */
class S3BlobStoreTest {
  private static S3ProxyServer server;
  private static S3Client s3;

  @BeforeAll
  static void startS3() {
    server = new S3ProxyServer();
    server.createBuckets("unit-raw", "unit-att");
    s3 = server.newClient();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
    server.close();
  }

  private static S3BlobStore.Builder store() {
    return S3BlobStore.builder().client(s3).rawBucket("unit-raw").attachmentBucket("unit-att");
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void build_whenBucketIsMissing_namesItAndSaysHowToCreateIt() {
    assertThatThrownBy(() -> S3BlobStore.builder().client(s3).rawBucket("unit-raw")
        .attachmentBucket("no-such-bucket").build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("'no-such-bucket' (attachmentBucket) does not exist")
        .hasMessageContaining("aws s3 mb s3://no-such-bucket")
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
  }

  @Test
  void build_checksSettings() {
    assertThatThrownBy(() -> S3BlobStore.builder().client(s3).rawBucket("same")
        .attachmentBucket("same").build()).isInstanceOf(ValidationException.class)
        .hasMessageContaining("must differ from rawBucket");
    assertThatThrownBy(() -> S3BlobStore.builder().rawBucket("Bad_Name"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Bad_Name");
    assertThatThrownBy(() -> S3BlobStore.builder().partSize(1 << 20))
        .isInstanceOf(ValidationException.class).hasMessageContaining("5 MiB");
    assertThatThrownBy(() -> store().region("eu-west-1").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("region")
        .hasMessageContaining("client(...)");
    assertThatThrownBy(() -> store().multipartThreshold(6L << 20).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("multipartThreshold");
    assertThatThrownBy(() -> S3BlobStore.builder().rawBucket("unit-raw").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("attachmentBucket");
  }

  @Test
  void close_closesTheClientItBuilt_butNeverTheHostsClient() {
    S3BlobStore own = S3BlobStore.builder().endpoint(server.endpoint()).region("us-east-1")
        .pathStyle(true).credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
        .rawBucket("unit-raw").attachmentBucket("unit-att").build();
    own.put(Namespace.RAW, "own/1.eml", text("x"), 1, "message/rfc822");
    own.close();
    own.close();
    assertThatThrownBy(() -> own.exists(Namespace.RAW, "own/1.eml"))
        .isInstanceOf(IllegalStateException.class);

    store().build().close();
    assertThat(store().build().exists(Namespace.RAW, "own/1.eml")).isTrue();
  }

  @Test
  void put_aboveThreshold_usesMultipartPartsOfTheConfiguredSize_belowItOnePut() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context,
          ExecutionAttributes attributes) {
        calls.add(context.request().getClass().getSimpleName().replace("Request", ""));
      }
    };
    try (S3Client recording = server.clientBuilder()
        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
      BlobStore blobs = S3BlobStore.builder().client(recording).rawBucket("unit-raw")
          .attachmentBucket("unit-att").partSize(6L << 20).multipartThreshold(1L << 20).build();
      calls.clear();
      blobs.put(Namespace.ATTACHMENTS, "mp/big.bin", new GeneratedStream(13L << 20, 1), -1,
          "application/octet-stream");
      assertThat(calls).containsExactly("CreateMultipartUpload", "UploadPart", "UploadPart",
          "UploadPart", "CompleteMultipartUpload");

      calls.clear();
      blobs.put(Namespace.ATTACHMENTS, "mp/small.bin", new GeneratedStream(1L << 20, 2), -1,
          "application/octet-stream");
      assertThat(calls).containsExactly("PutObject");
    }
    assertThat(s3.headObject(r -> r.bucket("unit-att").key("mp/big.bin")).contentLength())
        .isEqualTo(13L << 20);
  }

  @Test
  void put_whenContentFailsMidMultipart_abortsTheUpload() {
    InputStream failing = new InputStream() {
      private final GeneratedStream source = new GeneratedStream(20L << 20, 3);
      private long left = 11L << 20;

      @Override
      public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (left <= 0) {
          throw new java.io.IOException("broken pipe (simulated)");
        }
        int n = source.read(b, off, (int) Math.min(len, left));
        left -= n;
        return n;
      }
    };
    assertThatThrownBy(() -> store().build().put(Namespace.ATTACHMENTS, "abort/x.bin", failing,
        -1, "application/octet-stream"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://unit-att/abort/x.bin")
        .hasMessageContaining("broken pipe");

    assertThat(s3.listMultipartUploads(r -> r.bucket("unit-att").prefix("abort/")).uploads())
        .isEmpty();
    assertThat(store().build().exists(Namespace.ATTACHMENTS, "abort/x.bin")).isFalse();
  }

  @Test
  void operations_withWrongCredentials_failPermanentlyNamingOperationBucketAndKey() {
    try (S3Client wrong = server.clientBuilder().credentialsProvider(StaticCredentialsProvider
        .create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, "wrong-secret"))).build()) {
      BlobStore blobs = S3BlobStore.builder().client(wrong).rawBucket("unit-raw")
          .attachmentBucket("unit-att").verifyBuckets(false).build();

      assertThatThrownBy(() -> blobs.put(Namespace.RAW, "denied/1.eml", text("x"), 1,
          "message/rfc822"))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("S3 PutObject of s3://unit-raw/denied/1.eml failed")
          .hasMessageContaining("HTTP 403")
          .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
    }
  }

  @Test
  void get_whenServerIsDown_failsRetryablyNamingTheCall() {
    try (S3ProxyServer other = new S3ProxyServer()) {
      other.createBuckets("down-raw", "down-att");
      try (S3Client client = other.clientBuilder()
          .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build()) {
        BlobStore blobs = S3BlobStore.builder().client(client).rawBucket("down-raw")
            .attachmentBucket("down-att").build();
        other.stop();

        assertThatThrownBy(() -> blobs.get(Namespace.RAW, "k/1.eml"))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("S3 GetObject of s3://down-raw/k/1.eml failed (transient")
            .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
        other.restart();
      }
    }
  }

  @Test
  void downloadUrl_isAPresignedGetWithFilenameAndContentTypeThatExpires() throws Exception {
    S3BlobStore blobs = store().build();
    blobs.put(Namespace.ATTACHMENTS, "dl/u1.pdf", text("%PDF-1.7 fake"), -1, "application/pdf");
    String disposition = "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf";

    URI url = blobs.downloadUrl(Namespace.ATTACHMENTS, "dl/u1.pdf", new BlobStore.Download(
        Duration.ofMinutes(10), "application/pdf", disposition)).orElseThrow();

    assertThat(url.getHost()).isEqualTo("127.0.0.1");
    assertThat(url.getRawQuery()).contains("X-Amz-Expires=600").contains("X-Amz-Signature=");
    HttpResponse<String> got = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("%PDF-1.7 fake");
    assertThat(got.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(got.headers().firstValue("Content-Disposition")).contains(disposition);

    URI tampered = URI.create(url.toString().replace("X-Amz-Expires=600",
        "X-Amz-Expires=6000"));
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(tampered).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
  }
}
