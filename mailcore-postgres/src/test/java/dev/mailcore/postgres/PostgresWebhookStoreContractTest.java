package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.WebhookStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the testkit's webhook store contract against {@link PostgresMailStore}. */
class PostgresWebhookStoreContractTest extends WebhookStoreContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
