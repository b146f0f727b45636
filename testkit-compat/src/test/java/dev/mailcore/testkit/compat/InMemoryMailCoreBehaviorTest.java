package dev.mailcore.testkit.compat;

import dev.mailcore.spi.MailStore;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.MailCoreBehaviorContract;

/** The behaviour contract (nested and parameterized tests) from a host's test classpath. */
class InMemoryMailCoreBehaviorTest extends MailCoreBehaviorContract {
  @Override
  protected MailStore createStore() {
    return new InMemoryMailStore();
  }
}
