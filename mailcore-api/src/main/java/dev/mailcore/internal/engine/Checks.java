package dev.mailcore.internal.engine;

import dev.mailcore.ValidationException;
import java.util.Objects;

/**
 * Argument checks shared by the facades and the public value types. Public only so the value
 * types in {@code dev.mailcore} can use it; not API.
 */
public final class Checks {
  private Checks() {}

  /**
   * Checks and strips an organization id.
   *
   * @param organizationId the id
   * @return the stripped id
   * @throws ValidationException if blank, too long or not one line
   */
  public static String organization(String organizationId) {
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
  public static void singleLine(String field, String value) {
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
