package dev.mailcore.testkit;

import dev.mailcore.FileSystemBlobStore;
import dev.mailcore.spi.BlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the blob store contract against {@link FileSystemBlobStore} in a temporary directory. */
class FileSystemBlobStoreContractTest extends BlobStoreContract {
  @TempDir
  Path root;

  @Override
  protected BlobStore createBlobStore() {
    return FileSystemBlobStore.builder().root(root).build();
  }
}
