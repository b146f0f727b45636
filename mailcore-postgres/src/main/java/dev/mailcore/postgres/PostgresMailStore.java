package dev.mailcore.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.StoreTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link MailStore} on PostgreSQL (12 or newer): plain JDBC, schema managed by Flyway
 * migrations shipped in this jar.
 *
 * <pre>{@code
 * MailStore store = PostgresMailStore.builder()
 *     .dataSource(hostDataSource)        // or .jdbcUrl(..).username(..).password(..)
 *     .schema("mailcore")                // optional; default: the connection's search_path
 *     .schemaMode(SchemaMode.MIGRATE)    // default VALIDATE: refuse an out-of-date schema
 *     .build();
 * }</pre>
 *
 * <p><b>Connections.</b> A {@link DataSource} the host passes in stays the host's: this store
 * never closes it, {@link #close()} leaves it open. When built from a JDBC URL, the store creates
 * its own HikariCP pool and {@link #close()} closes it.
 *
 * <p><b>Schema.</b> The tables, their history table {@code mailcore_schema_history}, and nothing
 * else, live in the configured schema (created on migration if missing). Give mailcore its own
 * schema when the host's schema already has tables named like mailcore's ({@code domains},
 * {@code messages}, ...). A database whose mailcore schema is newer than this library is refused.
 *
 * <p><b>Transactions.</b> Each {@link #inTransaction} call borrows one connection, runs at READ
 * COMMITTED (so a transaction that waited for an inbox lock sees what the holder committed), and
 * commits or rolls back. Failures surface as {@link StorageException}; {@code retryable()} is true
 * for serialization failures, deadlocks and lost connections, and the message names the
 * statement's purpose. Nested calls are not supported: each call is its own transaction.
 *
 * <p>Thread-safe: share one instance.
 */
public final class PostgresMailStore implements MailStore {

  /** What {@link Builder#build()} does about the database schema. */
  public enum SchemaMode {
    /** Apply pending migrations at build time (re-running on an up-to-date schema is a no-op). */
    MIGRATE,
    /** Check that the schema is up to date and fail the build otherwise (the default). */
    VALIDATE,
    /** Touch nothing: the host migrates (for example with {@link #migrate()}) and vouches. */
    NONE
  }

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Migrations migrations;
  private final SqlText sql;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean readCommittedByDefault;

  private PostgresMailStore(DataSource dataSource, HikariDataSource ownedPool, String schema) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.migrations = new Migrations(dataSource, schema);
    this.sql = new SqlText(schema);
    this.readCommittedByDefault = ownedPool != null;
  }

  /**
   * Starts configuring a store.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies mailcore's pending schema migrations. Safe to call on every start and from several
   * application instances at once (Flyway serializes them with a database lock); a no-op when the
   * schema is current.
   *
   * @return how many migrations were applied (0 when the schema was already current)
   * @throws StorageException if the database has a newer mailcore schema than this library
   *     knows, or a migration fails
   */
  public int migrate() {
    checkOpen();
    return migrations.migrate();
  }

  /**
   * Checks that the schema is exactly what this library expects.
   *
   * @throws StorageException naming the pending or newer migrations and what to do
   */
  public void validateSchema() {
    checkOpen();
    migrations.validate();
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if a connection cannot be obtained, a statement fails or the
   *     commit fails; exceptions thrown by {@code work} propagate unchanged after rollback
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public <T> T inTransaction(Function<StoreTransaction, T> work) {
    Objects.requireNonNull(work, "work");
    checkOpen();
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw SqlErrors.translate("obtain a connection", e);
    }
    boolean restoreAutoCommit = false;
    int restoreIsolation = -1;
    try {
      try {
        if (connection.getAutoCommit()) {
          connection.setAutoCommit(false);
          restoreAutoCommit = true;
        }
        // The driver asks the server for the isolation level (a round trip), so it is checked
        // once: mailcore's own pool is configured READ COMMITTED, and a host pool hands out
        // uniformly configured connections. Only a host pool at another level pays per call.
        if (!readCommittedByDefault) {
          int isolation = connection.getTransactionIsolation();
          if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            restoreIsolation = isolation;
          } else {
            readCommittedByDefault = true;
          }
        }
      } catch (SQLException e) {
        throw SqlErrors.translate("begin a transaction", e);
      }
      PgTransaction tx = new PgTransaction(connection, sql, json);
      T result;
      try {
        result = work.apply(tx);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        tx.end();
      }
      try {
        connection.commit();
      } catch (SQLException e) {
        rollbackQuietly(connection, e);
        throw SqlErrors.translate("commit the transaction (its outcome is unknown if the"
            + " connection was lost)", e);
      }
      return result;
    } finally {
      release(connection, restoreAutoCommit, restoreIsolation);
    }
  }

  /**
   * Closes the pool this store created from a JDBC URL; a host {@link DataSource} is left open.
   * Idempotent. Calls after close fail with {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresMailStore[" + (ownedPool != null ? "pool " + ownedPool.getJdbcUrl()
        : "host DataSource") + "]";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("PostgresMailStore is closed");
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      // A dead connection cannot roll back; the server discards its transaction anyway.
      cause.addSuppressed(e);
    }
  }

  private static void release(Connection connection, boolean restoreAutoCommit,
      int restoreIsolation) {
    try {
      if (restoreIsolation >= 0) {
        connection.setTransactionIsolation(restoreIsolation);
      }
      if (restoreAutoCommit) {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // Returning it to the pool below is still right: pools reset or evict broken connections.
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        // Nothing more to release.
      }
    }
  }

  /**
   * Configures a {@link PostgresMailStore}. Give exactly one of {@link #dataSource} or
   * {@link #jdbcUrl}. Setters check their argument at once; {@link #build()} checks combinations.
   * Not thread-safe.
   */
  public static final class Builder {
    private DataSource dataSource;
    private String jdbcUrl;
    private String username;
    private String password;
    private Integer maximumPoolSize;
    private String schema;
    private SchemaMode schemaMode = SchemaMode.VALIDATE;

    private Builder() {}

    /**
     * Uses the host's connection pool. mailcore never closes it.
     *
     * @param dataSource the pool
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Makes mailcore create (and close) its own HikariCP pool for this URL.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://db:5432/app}
     * @return this builder
     * @throws ValidationException if the URL is not a PostgreSQL JDBC URL
     */
    public Builder jdbcUrl(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new ValidationException("jdbcUrl", "expected a PostgreSQL JDBC URL starting with"
            + " 'jdbc:postgresql:', got '" + redact(jdbcUrl) + "'");
      }
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /**
     * The user for {@link #jdbcUrl}.
     *
     * @param username the database user
     * @return this builder
     */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /**
     * The password for {@link #jdbcUrl}.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * The size of the pool built from {@link #jdbcUrl} (default 10).
     *
     * @param size 1 or more
     * @return this builder
     * @throws ValidationException if {@code size} is below 1
     */
    public Builder maximumPoolSize(int size) {
      if (size < 1) {
        throw new ValidationException("maximumPoolSize", "must be at least 1, got " + size);
      }
      this.maximumPoolSize = size;
      return this;
    }

    /**
     * The schema holding mailcore's tables (default: the connection's current schema, usually
     * {@code public}). Created by {@link SchemaMode#MIGRATE} if missing.
     *
     * @param schema a lower-case SQL identifier, at most 63 characters
     * @return this builder
     * @throws ValidationException if the name is not a plain lower-case identifier
     */
    public Builder schema(String schema) {
      Objects.requireNonNull(schema, "schema");
      if (!SCHEMA_NAME.matcher(schema).matches()) {
        throw new ValidationException("schema", "expected a lower-case SQL identifier"
            + " ([a-z_][a-z0-9_$]*, at most 63 characters), got '" + schema + "'");
      }
      this.schema = schema;
      return this;
    }

    /**
     * What {@link #build()} does about the schema (default {@link SchemaMode#VALIDATE}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder schemaMode(SchemaMode mode) {
      this.schemaMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Shorthand: {@code true} for {@link SchemaMode#MIGRATE}, {@code false} for
     * {@link SchemaMode#VALIDATE}.
     *
     * @param migrate whether to migrate at build time
     * @return this builder
     */
    public Builder migrate(boolean migrate) {
      return schemaMode(migrate ? SchemaMode.MIGRATE : SchemaMode.VALIDATE);
    }

    /**
     * Creates the store: builds the pool (when configured by URL, failing fast if the database
     * cannot be reached), then migrates or validates the schema as configured.
     *
     * @return the store
     * @throws ValidationException if the settings are missing or contradict each other
     * @throws StorageException if the database cannot be reached, or the schema is out of date
     *     (VALIDATE), newer than this library, or fails to migrate
     */
    public PostgresMailStore build() {
      if (dataSource != null && jdbcUrl != null) {
        throw new ValidationException("jdbcUrl", "cannot be combined with dataSource(...):"
            + " give either the host's DataSource or a JDBC URL for mailcore's own pool");
      }
      if (dataSource == null && jdbcUrl == null) {
        throw new ValidationException("dataSource", "missing: call dataSource(...) with the"
            + " host's pool, or jdbcUrl(...) (with username/password) for mailcore's own pool");
      }
      if (dataSource != null) {
        for (String[] s : new String[][] {{"username", username}, {"password", password},
            {"maximumPoolSize", maximumPoolSize == null ? null : ""}}) {
          if (s[1] != null) {
            throw new ValidationException(s[0], "only applies with jdbcUrl(...); configure the"
                + " host DataSource itself instead");
          }
        }
        return prepare(new PostgresMailStore(dataSource, null, schema));
      }
      HikariDataSource pool = createPool();
      return prepare(new PostgresMailStore(pool, pool, schema));
    }

    private HikariDataSource createPool() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      if (username != null) {
        config.setUsername(username);
      }
      if (password != null) {
        config.setPassword(password);
      }
      config.setMaximumPoolSize(maximumPoolSize == null ? 10 : maximumPoolSize);
      config.setPoolName("mailcore");
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      config.addDataSourceProperty("ApplicationName", "mailcore");
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        boolean transientCause = cause instanceof SQLException
            && SqlErrors.retryable((SQLException) cause, SqlErrors.sqlState((SQLException) cause));
        throw new StorageException("could not connect with jdbcUrl '" + redact(jdbcUrl) + "'"
            + (username == null ? "" : " as username '" + username + "'") + ": "
            + cause.getMessage(), transientCause, e);
      }
    }

    private PostgresMailStore prepare(PostgresMailStore store) {
      try {
        switch (schemaMode) {
          case MIGRATE:
            store.migrate();
            break;
          case VALIDATE:
            store.validateSchema();
            break;
          default:
            break;
        }
        return store;
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }

    /** Hides a password given as a URL parameter. */
    private static String redact(String url) {
      return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
  }
}
