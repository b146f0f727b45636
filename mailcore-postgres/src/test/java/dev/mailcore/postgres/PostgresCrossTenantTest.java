package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.CrossTenantContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the testkit's cross-tenant isolation contract on {@link PostgresMailStore}: the scope
 * predicates in SQL keep organizations apart exactly as the in-memory store does.
 */
class PostgresCrossTenantTest extends CrossTenantContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
