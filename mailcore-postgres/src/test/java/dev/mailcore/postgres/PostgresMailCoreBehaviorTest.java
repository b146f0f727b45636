package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.MailCoreBehaviorContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the testkit's end-to-end behaviour contract with the engine on {@link PostgresMailStore}
 * (blobs in memory), to show the engine behaves the same on Postgres as on the in-memory store.
 */
class PostgresMailCoreBehaviorTest extends MailCoreBehaviorContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  protected MailStore createStore() {
    return DB.emptyStore();
  }
}
