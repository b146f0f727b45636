package dev.mailcore.postgres;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.DeliveryEventStoreContract;
import dev.mailcore.testkit.DomainStoreContract;
import dev.mailcore.testkit.IdempotencyStoreContract;
import dev.mailcore.testkit.InboxStoreContract;
import dev.mailcore.testkit.MessageStoreContract;
import dev.mailcore.testkit.StoreTransactionContract;
import dev.mailcore.testkit.SuppressionStoreContract;
import dev.mailcore.testkit.ThreadStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs every store contract suite against {@link PostgresMailStore} on a real PostgreSQL. */
class PostgresStoreContractsTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Nested
  class Domains extends DomainStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Inboxes extends InboxStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Threads extends ThreadStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class DeliveryEvents extends DeliveryEventStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Suppressions extends SuppressionStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Idempotency extends IdempotencyStoreContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }

  @Nested
  class Transactions extends StoreTransactionContract {
    @Override
    protected MailStore createStore() {
      return DB.emptyStore();
    }
  }
}
