package dev.mailcore;

import java.util.Objects;
import java.util.UUID;

/** Parsing of the UUID-based identifiers the API accepts as strings. */
final class Ids {
  private Ids() {}

  static UUID parseUuid(String field, String text) {
    Objects.requireNonNull(text, field);
    try {
      return UUID.fromString(text.strip());
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field, "not a UUID: '" + text + "'");
    }
  }
}
