package dev.mailcore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.postgres.PostgresMailStore.SchemaMode;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The connection and schema settings every PostgreSQL adapter's builder shares
 * ({@link PostgresMailStore.Builder}, {@link PostgresBlobStore.Builder}): the host's
 * {@link DataSource} or a JDBC URL for a pool of the adapter's own, the schema, and what to do
 * about migrations. Setters check their argument at once; {@link #connect(String)} checks
 * combinations. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class ConnectionSettings<B extends ConnectionSettings<B>> {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  private DataSource dataSource;
  private String jdbcUrl;
  private String username;
  private String password;
  private Integer maximumPoolSize;
  /** The configured schema, or null for the connection's search_path. */
  String schema;
  /** What build() does about the schema. */
  SchemaMode schemaMode = SchemaMode.VALIDATE;

  ConnectionSettings() {}

  private B self() {
    @SuppressWarnings("unchecked")
    B b = (B) this;
    return b;
  }

  /**
   * Uses the host's connection pool. mailcore never closes it.
   *
   * @param dataSource the pool
   * @return this builder
   */
  public B dataSource(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    return self();
  }

  /**
   * Makes mailcore create (and close) its own HikariCP pool for this URL.
   *
   * @param jdbcUrl for example {@code jdbc:postgresql://db:5432/app}
   * @return this builder
   * @throws ValidationException if the URL is not a PostgreSQL JDBC URL
   */
  public B jdbcUrl(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new ValidationException("jdbcUrl", "expected a PostgreSQL JDBC URL starting with"
          + " 'jdbc:postgresql:', got '" + redact(jdbcUrl) + "'");
    }
    this.jdbcUrl = jdbcUrl;
    return self();
  }

  /**
   * The user for {@link #jdbcUrl}.
   *
   * @param username the database user
   * @return this builder
   */
  public B username(String username) {
    this.username = Objects.requireNonNull(username, "username");
    return self();
  }

  /**
   * The password for {@link #jdbcUrl}.
   *
   * @param password the password
   * @return this builder
   */
  public B password(String password) {
    this.password = Objects.requireNonNull(password, "password");
    return self();
  }

  /**
   * The size of the pool built from {@link #jdbcUrl} (default 10).
   *
   * @param size 1 or more
   * @return this builder
   * @throws ValidationException if {@code size} is below 1
   */
  public B maximumPoolSize(int size) {
    if (size < 1) {
      throw new ValidationException("maximumPoolSize", "must be at least 1, got " + size);
    }
    this.maximumPoolSize = size;
    return self();
  }

  /**
   * The schema holding mailcore's tables (default: the connection's current schema, usually
   * {@code public}). Created by {@link SchemaMode#MIGRATE} if missing.
   *
   * @param schema a lower-case SQL identifier, at most 63 characters
   * @return this builder
   * @throws ValidationException if the name is not a plain lower-case identifier
   */
  public B schema(String schema) {
    Objects.requireNonNull(schema, "schema");
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new ValidationException("schema", "expected a lower-case SQL identifier"
          + " ([a-z_][a-z0-9_$]*, at most 63 characters), got '" + schema + "'");
    }
    this.schema = schema;
    return self();
  }

  /**
   * What {@code build()} does about the schema (default {@link SchemaMode#VALIDATE}).
   *
   * @param mode the mode
   * @return this builder
   */
  public B schemaMode(SchemaMode mode) {
    this.schemaMode = Objects.requireNonNull(mode, "mode");
    return self();
  }

  /**
   * Shorthand: {@code true} for {@link SchemaMode#MIGRATE}, {@code false} for
   * {@link SchemaMode#VALIDATE}.
   *
   * @param migrate whether to migrate at build time
   * @return this builder
   */
  public B migrate(boolean migrate) {
    return schemaMode(migrate ? SchemaMode.MIGRATE : SchemaMode.VALIDATE);
  }

  /** Where connections come from: the pool to use, and the one to close (null if the host's). */
  record Connected(DataSource dataSource, HikariDataSource ownedPool) {}

  /**
   * Checks the combination of settings and opens the pool when configured by URL.
   *
   * @param poolName the HikariCP pool name, for the host's logs and metrics
   * @return the connections
   * @throws ValidationException if the settings are missing or contradict each other
   * @throws StorageException if the database cannot be reached
   */
  Connected connect(String poolName) {
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
      return new Connected(dataSource, null);
    }
    HikariDataSource pool = createPool(poolName);
    return new Connected(pool, pool);
  }

  /**
   * Migrates or validates the schema as configured, closing {@code adapter} if that fails.
   *
   * @param migrations the adapter's migrations
   * @param adapter what to close on failure
   * @throws StorageException if the schema is out of date (VALIDATE), newer than this library,
   *     or fails to migrate
   */
  void prepareSchema(Migrations migrations, AutoCloseable adapter) {
    try {
      switch (schemaMode) {
        case MIGRATE:
          migrations.migrate();
          break;
        case VALIDATE:
          migrations.validate();
          break;
        default:
          break;
      }
    } catch (RuntimeException e) {
      try {
        adapter.close();
      } catch (Exception closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private HikariDataSource createPool(String poolName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (username != null) {
      config.setUsername(username);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maximumPoolSize == null ? 10 : maximumPoolSize);
    config.setPoolName(poolName);
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

  /** Hides a password given as a URL parameter. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
