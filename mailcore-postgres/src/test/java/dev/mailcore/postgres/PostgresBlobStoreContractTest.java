package dev.mailcore.postgres;

import dev.mailcore.spi.BlobStore;
import dev.mailcore.testkit.BlobStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the testkit's blob store contract against {@link PostgresBlobStore} on a real PostgreSQL. */
class PostgresBlobStoreContractTest extends BlobStoreContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected BlobStore createBlobStore() {
    return PostgresBlobStore.builder().dataSource(DB.dataSource()).schema(DB.schema())
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
  }
}
