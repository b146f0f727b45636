package dev.mailcore.testkit.compat;

import dev.mailcore.MailCore;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.MailCoreBehaviorContract;
import dev.mailcore.testkit.MutableClock;

/** The behaviour contract (nested and parameterized tests) from a host's test classpath. */
class InMemoryMailCoreBehaviorTest extends MailCoreBehaviorContract {
  @Override
  protected MailCore createMailCore(MutableClock clock) {
    return MailCore.builder().store(new InMemoryMailStore()).blobStore(new InMemoryBlobStore())
        .clock(clock).build();
  }
}
