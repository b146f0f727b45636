package dev.mailcore.aws;

import dev.mailcore.testkit.MailCoreTestkit;

/** {@link SqsIntakeEndToEnd} on the in-memory store. */
class SqsIntakeInMemoryTest extends SqsIntakeEndToEnd {
  @Override
  MailCoreTestkit newKit() {
    return MailCoreTestkit.inMemory();
  }
}
