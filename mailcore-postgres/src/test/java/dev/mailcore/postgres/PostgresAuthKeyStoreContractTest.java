package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.AuthKeyStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the testkit's auth-key store contract against {@link PostgresMailStore}. */
class PostgresAuthKeyStoreContractTest extends AuthKeyStoreContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
