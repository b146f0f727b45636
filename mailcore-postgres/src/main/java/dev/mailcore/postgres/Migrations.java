package dev.mailcore.postgres;

import dev.mailcore.StorageException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * Runs and checks mailcore's Flyway migrations. The scripts ship in the jar under a
 * package-qualified location so they never mix with the host's own {@code db/migration}, and
 * the history lives in its own table, so a host that uses Flyway itself keeps its history
 * separate from mailcore's.
 */
final class Migrations {

  /** Flyway history table mailcore owns. */
  static final String HISTORY_TABLE = "mailcore_schema_history";
  /** Classpath location of the migration scripts. */
  static final String LOCATION = "classpath:dev/mailcore/postgres/migration";

  private final Flyway flyway;
  private final String schemaLabel;

  Migrations(DataSource dataSource, String schema) {
    var config = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        // With the default baseline version 1 on a schema that already holds tables (the
        // host's), Flyway would record a baseline at 1 and silently skip mailcore's V1.
        .baselineOnMigrate(true)
        .baselineVersion("0");
    if (schema != null) {
      config = config.schemas(schema).createSchemas(true);
    }
    this.flyway = config.load();
    this.schemaLabel = schema == null ? "the connection's default schema" : "schema '" + schema + "'";
  }

  /**
   * Applies pending migrations. Running it again when nothing is pending changes nothing.
   *
   * @return how many migrations were applied
   * @throws StorageException if the database holds a newer mailcore schema, or a migration fails
   */
  int migrate() {
    refuseNewer(info());
    try {
      return flyway.migrate().migrationsExecuted;
    } catch (FlywayException e) {
      throw wrap("migrate the mailcore schema in " + schemaLabel, e);
    }
  }

  /**
   * Checks that the database is exactly at the schema this version of mailcore-postgres ships.
   *
   * @throws StorageException naming what is wrong and what to do
   */
  void validate() {
    MigrationInfoService info = info();
    refuseNewer(info);
    List<String> pending = new ArrayList<>();
    for (MigrationInfo m : info.pending()) {
      pending.add("V" + m.getVersion() + " " + m.getDescription());
    }
    for (MigrationInfo m : info.all()) {
      if (m.getState().isFailed()) {
        throw new StorageException("the mailcore schema in " + schemaLabel + " has a failed"
            + " migration V" + m.getVersion() + " (" + m.getDescription() + ") in "
            + HISTORY_TABLE + "; fix the database and remove the failed row before starting"
            + " mailcore", false, null);
      }
    }
    if (!pending.isEmpty()) {
      throw new StorageException("the mailcore schema in " + schemaLabel + " is not up to date:"
          + " pending migrations " + pending + "; call PostgresMailStore.migrate() or build the"
          + " store with schemaMode(SchemaMode.MIGRATE)", false, null);
    }
  }

  private MigrationInfoService info() {
    try {
      return flyway.info();
    } catch (FlywayException e) {
      throw wrap("read " + HISTORY_TABLE + " in " + schemaLabel, e);
    }
  }

  private void refuseNewer(MigrationInfoService info) {
    String latestKnown = "none";
    for (MigrationInfo m : info.all()) {
      if (m.getState().isResolved() && m.getVersion() != null) {
        latestKnown = m.getVersion().toString();
      }
    }
    for (MigrationInfo m : info.all()) {
      if (m.getState() == MigrationState.FUTURE_SUCCESS
          || m.getState() == MigrationState.FUTURE_FAILED) {
        throw new StorageException("the mailcore schema in " + schemaLabel + " is at version "
            + m.getVersion() + " (" + m.getDescription() + "), newer than this mailcore-postgres"
            + " supports (up to version " + latestKnown + "); upgrade mailcore-postgres to the"
            + " version that wrote it, or point it at another schema", false, null);
      }
    }
  }

  private static StorageException wrap(String purpose, FlywayException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        StorageException translated = SqlErrors.translate(purpose, (SQLException) t);
        return new StorageException(translated.getMessage() + " [" + e.getMessage() + "]",
            translated.retryable(), e);
      }
    }
    return new StorageException("could not " + purpose + ": " + e.getMessage(), false, e);
  }
}
