/**
 * The Flyway migrations of {@code PostgresMailStore} ({@code V<n>__<what>.sql} resources, no
 * classes). Not API; a package only so the module can open it to Flyway's resource scanner.
 */
package dev.mailcore.postgres.migration;
