package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the cross-tenant isolation contract on the in-memory store. */
class InMemoryCrossTenantTest extends CrossTenantContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
