package dev.mailcore;

import java.util.Objects;

/**
 * Argument rules shared by the public value types and, through {@link MailCore}, by the engine:
 * one copy of each rule (ADR 0010). Package-private: the value types in this package call it
 * directly; the engine, which lives in an unexported package and may not reach package-private
 * code, gets the rules it needs as a {@code dev.mailcore.internal.engine.ValueRules} that
 * {@code MailCore} hands it when it wires the engine.
 */
final class Checks {
  private Checks() {}

  /**
   * Checks and strips an organization id (the JWT {@code iss} of the organization's API keys).
   *
   * @param organizationId the id
   * @return the id without surrounding whitespace
   * @throws NullPointerException if the id is null
   * @throws ValidationException if it is blank, longer than 255 characters or not one line
   */
  static String organization(String organizationId) {
    Objects.requireNonNull(organizationId, "organizationId");
    String s = organizationId.strip();
    if (s.isEmpty() || s.length() > 255) {
      throw new ValidationException("organizationId",
          "must be 1-255 characters (the JWT iss of the organization), got '" + organizationId + "'");
    }
    singleLine("organizationId", s);
    return s;
  }

  /**
   * Checks a value that ends up in a header or a one-line database column: no CR or LF (header
   * injection) and no other control character but tab (NUL cannot even be stored).
   *
   * @param field the field to name in the error
   * @param value the value
   * @throws ValidationException naming the field and the offending character
   */
  static void singleLine(String field, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new ValidationException(field,
          "must not contain CR or LF (header injection); give a single line");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new ValidationException(field, "must not contain control characters (code "
            + (int) c + " at position " + i + "); remove it");
      }
    }
  }
}
