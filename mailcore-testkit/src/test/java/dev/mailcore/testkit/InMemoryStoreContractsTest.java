package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;
import org.junit.jupiter.api.Nested;

/** Runs every store contract suite against {@link InMemoryMailStore}. */
class InMemoryStoreContractsTest {

  @Nested
  class Domains extends DomainStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Inboxes extends InboxStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Threads extends ThreadStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class DeliveryEvents extends DeliveryEventStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Suppressions extends SuppressionStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Idempotency extends IdempotencyStoreContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }

  @Nested
  class Transactions extends StoreTransactionContract {
    @Override
    protected MailStore createStore() {
      return new InMemoryMailStore();
    }
  }
}
