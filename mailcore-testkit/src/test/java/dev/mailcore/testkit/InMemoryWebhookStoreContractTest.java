package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the webhook store contract against {@link InMemoryMailStore}. */
class InMemoryWebhookStoreContractTest extends WebhookStoreContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
