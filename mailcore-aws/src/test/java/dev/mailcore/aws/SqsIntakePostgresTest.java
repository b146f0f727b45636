package dev.mailcore.aws;

import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.postgres.PostgresTestDatabase;
import dev.mailcore.testkit.MailCoreTestkit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SqsIntakeEndToEnd} on PostgreSQL: the server {@code PostgresTestDatabase} chooses
 * ({@code MAILCORE_TEST_JDBC_URL}, else the local one, else an embedded one), a schema of this
 * class's own, emptied before each test.
 */
class SqsIntakePostgresTest extends SqsIntakeEndToEnd {
  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Override
  MailCoreTestkit newKit() {
    PostgresMailStore store = DB.emptyStore();
    return MailCoreTestkit.builder().store(store).build();
  }
}
