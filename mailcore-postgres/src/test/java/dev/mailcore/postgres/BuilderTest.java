package dev.mailcore.postgres;

import dev.mailcore.spi.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Builder validation and who owns the connection pool. */
class BuilderTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Test
  void build_withoutDataSourceOrUrl_namesTheMissingSetting() {
    assertThatThrownBy(() -> PostgresMailStore.builder().build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("dataSource"))
        .hasMessageContaining("jdbcUrl(...)");
  }

  @Test
  void build_withBothDataSourceAndUrl_isRefused() {
    assertThatThrownBy(() -> PostgresMailStore.builder().dataSource(DB.dataSource())
        .jdbcUrl("jdbc:postgresql://127.0.0.1/x").build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("jdbcUrl"));
  }

  @Test
  void build_withPoolSettingOnHostDataSource_namesTheSetting() {
    assertThatThrownBy(() -> PostgresMailStore.builder().dataSource(DB.dataSource())
        .maximumPoolSize(3).build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("maximumPoolSize"));
  }

  @Test
  void setters_rejectBadValuesAtOnce() {
    assertThatThrownBy(() -> PostgresMailStore.builder().jdbcUrl("jdbc:mysql://x/y?password=s3cret"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("jdbcUrl"))
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> PostgresMailStore.builder().maximumPoolSize(0))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("maximumPoolSize"));
    assertThatThrownBy(() -> PostgresMailStore.builder().schema("Robert'); DROP TABLE x;--"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("schema"));
    assertThatThrownBy(() -> PostgresMailStore.builder().dataSource(null))
        .isInstanceOf(NullPointerException.class).hasMessage("dataSource");
  }

  @Test
  void build_whenUrlUnreachable_failsFastNamingTheUrl() {
    assertThatThrownBy(() -> PostgresMailStore.builder()
        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2").username("nobody")
        .build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("jdbcUrl 'jdbc:postgresql://127.0.0.1:1/nothing")
        .hasMessageContaining("username 'nobody'");
  }

  @Test
  void close_whenHostDataSource_leavesItOpen() throws Exception {
    HikariDataSource host = (HikariDataSource) DB.dataSource();
    PostgresMailStore store = DB.newStore();
    store.close();
    store.close(); // idempotent
    assertThat(host.isClosed()).isFalse();
    try (Connection c = host.getConnection()) {
      assertThat(c.isValid(2)).isTrue();
    }
    assertThatThrownBy(() -> store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_whenOwnPool_closesIt() {
    PostgresTestDatabase.Server server = PostgresTestDatabase.server();
    // A name of this test's own (a URL parameter wins over the pool's default "mailcore"), so
    // connections of other builds sharing the server are not counted.
    String applicationName = "mailcore-buildertest-" + java.util.UUID.randomUUID();
    String url = server.jdbcUrl + (server.jdbcUrl.contains("?") ? "&" : "?")
        + "ApplicationName=" + applicationName;
    PostgresMailStore.Builder b = PostgresMailStore.builder().jdbcUrl(url)
        .username(server.user).maximumPoolSize(2).schema(DB.schema()).migrate(true);
    if (server.password != null) {
      b.password(server.password);
    }
    PostgresMailStore store = b.build();
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> tx.domains().findByName(Scope.all(), "nothing.test")))
        .isEqualTo(Optional.empty());
    assertThat(store.toString()).contains("pool");
    assertThat(countConnectionsNamed(applicationName)).isPositive();
    store.close();
    assertThatThrownBy(() -> store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> null))
        .isInstanceOf(IllegalStateException.class);
    // A closed connection's backend leaves pg_stat_activity a moment after the socket closes.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(countConnectionsNamed(applicationName)).isZero());
  }

  private static long countConnectionsNamed(String applicationName) {
    try (Connection c = DB.dataSource().getConnection();
        var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
            + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
      s.setString(1, applicationName);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
