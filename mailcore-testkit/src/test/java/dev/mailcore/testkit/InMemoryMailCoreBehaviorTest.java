package dev.mailcore.testkit;

import dev.mailcore.spi.MailStore;

/** Runs the end-to-end behaviour contract on the in-memory store. */
class InMemoryMailCoreBehaviorTest extends MailCoreBehaviorContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
