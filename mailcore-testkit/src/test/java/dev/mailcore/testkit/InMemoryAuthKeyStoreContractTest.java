package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the auth-key store contract against {@link InMemoryMailStore}. */
class InMemoryAuthKeyStoreContractTest extends AuthKeyStoreContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
