package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.MailStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the testkit's store contract against {@link PostgresMailStore} on a real PostgreSQL. */
class PostgresMailStoreContractTest extends MailStoreContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
