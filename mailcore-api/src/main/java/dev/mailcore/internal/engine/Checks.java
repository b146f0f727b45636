package dev.mailcore.internal.engine;

import dev.mailcore.ValidationException;
import java.util.Objects;

/** Argument checks shared by the facades. */
final class Checks {
  private Checks() {}

  static String organization(String organizationId) {
    Objects.requireNonNull(organizationId, "organizationId");
    String s = organizationId.strip();
    if (s.isEmpty() || s.length() > 255) {
      throw new ValidationException("organizationId",
          "must be 1-255 characters (the JWT iss of the organization), got '" + organizationId + "'");
    }
    return s;
  }
}
