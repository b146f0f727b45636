package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the store contract against {@link InMemoryMailStore}. */
class InMemoryMailStoreContractTest extends MailStoreContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
