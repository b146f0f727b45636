package dev.mailcore.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.testkit.MailCoreTestkit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * {@link SqsIntakeEndToEnd} on PostgreSQL: {@code MAILCORE_TEST_JDBC_URL}, else the local
 * server at 127.0.0.1:5432 (user postgres); skipped when neither answers. Schema
 * {@code mc_sqs_intake}, dropped before each test.
 */
class SqsIntakePostgresTest extends SqsIntakeEndToEnd {
  private static final String SCHEMA = "mc_sqs_intake";

  @Override
  MailCoreTestkit newKit() {
    String url = Optional.ofNullable(System.getenv("MAILCORE_TEST_JDBC_URL"))
        .orElse("jdbc:postgresql://127.0.0.1:5432/test");
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    } catch (SQLException e) {
      assumeTrue(false, "no PostgreSQL at " + url + ": " + e.getMessage());
    }
    PostgresMailStore store = PostgresMailStore.builder().jdbcUrl(url).username("postgres")
        .schema(SCHEMA).schemaMode(PostgresMailStore.SchemaMode.MIGRATE).maximumPoolSize(6)
        .build();
    return MailCoreTestkit.builder().store(store).build();
  }
}
