package dev.mailcore.postgres;

import dev.mailcore.MailCore;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.MailCoreBehaviorContract;
import dev.mailcore.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the testkit's end-to-end behaviour contract with the engine on {@link PostgresMailStore}
 * (blobs in memory), to show the engine behaves the same on Postgres as on the in-memory store.
 */
class PostgresMailCoreBehaviorTest extends MailCoreBehaviorContract {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private PostgresMailStore store;

  @Override
  protected MailCore createMailCore(MutableClock clock) {
    store = DB.emptyStore();
    return MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).clock(clock)
        .build();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
