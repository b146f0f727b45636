/**
 * The PostgreSQL adapter: {@link dev.mailcore.postgres.PostgresMailStore}, a
 * {@link dev.mailcore.spi.MailStore} on plain JDBC with its own Flyway-managed schema.
 *
 * <p>Nothing in this package is null unless it says so ({@code @NullMarked}).
 */
@NullMarked
package dev.mailcore.postgres;

import org.jspecify.annotations.NullMarked;
