package dev.mailcore.testkit;

import dev.mailcore.MailCore;

/** Runs the end-to-end behaviour contract on the in-memory store and blob store. */
class InMemoryMailCoreBehaviorTest extends MailCoreBehaviorContract {
  @Override
  protected MailCore createMailCore(MutableClock clock) {
    return MailCore.builder().store(new InMemoryMailStore()).blobStore(new InMemoryBlobStore())
        .clock(clock).build();
  }
}
