package dev.mailcore.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Qualifies mailcore's table names with the configured schema. Statements are written with a
 * {@code {s}} token before each table name; the schema is a validated identifier fixed at
 * construction, never user data, and is substituted once per statement text. Values always go
 * through bind parameters. Thread-safe.
 */
final class SqlText {
  private final String prefix;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  /**
   * Creates the qualifier.
   *
   * @param schema a validated schema name, or null to use the connection's search_path
   */
  SqlText(String schema) {
    this.prefix = schema == null ? "" : "\"" + schema + "\".";
  }

  /**
   * The statement with {@code {s}} replaced by the schema prefix.
   *
   * @param template the statement text
   * @return the qualified text
   */
  String of(String template) {
    return cache.computeIfAbsent(template, t -> t.replace("{s}", prefix));
  }
}
