package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the webhook end-to-end contract on {@link InMemoryMailStore}. */
class InMemoryWebhookDeliveryTest extends WebhookDeliveryContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
