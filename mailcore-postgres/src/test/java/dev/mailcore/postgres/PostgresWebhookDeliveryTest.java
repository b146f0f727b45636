package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.WebhookDeliveryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the webhook end-to-end contract on {@link PostgresMailStore}: two instances share one
 * database, so the lease claim is {@code FOR UPDATE SKIP LOCKED} for real.
 */
class PostgresWebhookDeliveryTest extends WebhookDeliveryContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
