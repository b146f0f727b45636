package dev.mailcore.aws;

import dev.mailcore.spi.BlobStore;
import dev.mailcore.testkit.BlobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** Runs the blob store contract against {@link S3BlobStore} on S3Proxy over loopback HTTP. */
class S3BlobStoreContractTest extends BlobStoreContract {
  private static S3ProxyServer server;
  private static S3Client s3;

  @BeforeAll
  static void startS3() {
    server = new S3ProxyServer();
    server.createBuckets("contract-raw", "contract-att");
    s3 = server.newClient();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
    server.close();
  }

  /** S3Proxy's file system backend stores {@code a/b} as a file, so {@code a/b/c} cannot be. */
  @Override
  protected boolean keyMayBeAPrefixOfAnother() {
    return false;
  }

  @Override
  protected BlobStore createBlobStore() {
    return S3BlobStore.builder().client(s3).rawBucket("contract-raw")
        .attachmentBucket("contract-att").build();
  }
}
