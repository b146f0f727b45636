package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flyway migrations: history table, idempotence, version checks. */
class MigrationsTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Test
  void build_whenValidateOnEmptySchema_failsNamingWhatToDo() {
    String empty = DB.schema() + "_empty";
    DB.execute("CREATE SCHEMA " + empty);
    try {
      assertThatThrownBy(() -> PostgresMailStore.builder().dataSource(DB.dataSource())
          .schema(empty).build())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("not up to date")
          .hasMessageContaining("migrate()");
    } finally {
      DB.execute("DROP SCHEMA " + empty + " CASCADE");
    }
  }

  @Test
  void migrate_whenRunAgain_isNoOpAndHistoryIsMailcoresOwn() throws SQLException {
    try (PostgresMailStore store = PostgresMailStore.builder().dataSource(DB.dataSource())
        .schema(DB.schema()).schemaMode(PostgresMailStore.SchemaMode.NONE).build()) {
      int first = store.migrate();
      assertThat(store.migrate()).isZero();
      store.validateSchema();
      assertThat(first).isIn(0, 3); // 0 when another test in this class migrated first
    }
    assertThat(count("SELECT count(*) FROM " + DB.schema() + ".mailcore_schema_history"
        + " WHERE success AND version IN ('1', '2')")).isEqualTo(2);
    // every seed table exists in the configured schema
    assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
        + DB.schema() + "' AND table_name IN ('threads', 'messages', 'message_recipients',"
        + " 'message_references', 'attachments', 'delivery_events', 'webhook_endpoints',"
        + " 'webhook_deliveries', 'suppressed_addresses', 'domains', 'inboxes', 'auth_keys')"))
        .isEqualTo(12);
  }

  @Test
  void migrate_whenDatabaseHasNewerMailcoreSchema_refusesWithClearError() {
    try (PostgresMailStore store = DB.newStore()) {
      store.migrate();
    }
    DB.execute("INSERT INTO mailcore_schema_history (installed_rank, version, description, type,"
        + " script, checksum, installed_by, execution_time, success)"
        + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 0,"
        + " true)");
    try {
      assertThatThrownBy(() -> DB.newStore())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("version 99")
          .hasMessageContaining("newer than this mailcore-postgres supports (up to version 6)")
          .hasMessageContaining("upgrade mailcore-postgres");
      assertThatThrownBy(() -> PostgresMailStore.builder().dataSource(DB.dataSource())
          .schema(DB.schema()).build())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("version 99");
    } finally {
      DB.execute("DELETE FROM mailcore_schema_history WHERE version = '99'");
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
