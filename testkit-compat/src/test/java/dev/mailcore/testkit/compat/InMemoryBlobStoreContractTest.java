package dev.mailcore.testkit.compat;

import dev.mailcore.spi.BlobStore;
import dev.mailcore.testkit.BlobStoreContract;
import dev.mailcore.testkit.InMemoryBlobStore;

/** A contract suite (parameterized tests) subclassed by a host, as an adapter author would. */
class InMemoryBlobStoreContractTest extends BlobStoreContract {
  @Override
  protected BlobStore createBlobStore() {
    return new InMemoryBlobStore();
  }
}
