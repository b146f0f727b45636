/**
 * mailcore's PostgreSQL store ({@code dev.mailcore.postgres.PostgresMailStore}): plain JDBC, a
 * HikariCP pool when it builds its own, and Flyway migrations it ships in
 * {@code dev/mailcore/postgres/migration} (opened so Flyway can read them on the module path).
 */
module dev.mailcore.postgres {
  exports dev.mailcore.postgres;
  opens dev.mailcore.postgres.migration;

  requires transitive dev.mailcore;
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  requires com.fasterxml.jackson.databind;
  // Flyway 13 ships neither a module descriptor nor an Automatic-Module-Name: the name is derived
  // from the jar file name (ADR 0010).
  requires flyway.core;
  requires static transitive org.jspecify;
}
