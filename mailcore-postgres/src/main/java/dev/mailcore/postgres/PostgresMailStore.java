package dev.mailcore.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        tx.commit(); // with the writes it deferred (ADR 0008)
      } catch (SQLException e) {
        rollbackQuietly(connection, e);
        throw tx.failCommit(e);
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

  /** Rolls back, recording a failure to do so on {@code cause}; shared with the blob store. */
  static void rollbackQuietly(Connection connection, Throwable cause) {
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
  public static final class Builder extends ConnectionSettings<Builder> {

    private Builder() {}

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
      Connected c = connect("mailcore");
      PostgresMailStore store = new PostgresMailStore(c.dataSource(), c.ownedPool(), schema);
      prepareSchema(store.migrations, store);
      return store;
    }
  }
}
