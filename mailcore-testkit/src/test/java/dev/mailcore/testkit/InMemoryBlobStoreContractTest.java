package dev.mailcore.testkit;

import dev.mailcore.spi.BlobStore;

/** Runs the blob store contract against {@link InMemoryBlobStore}. */
class InMemoryBlobStoreContractTest extends BlobStoreContract {
  @Override
  protected BlobStore createBlobStore() {
    return new InMemoryBlobStore();
  }
}
