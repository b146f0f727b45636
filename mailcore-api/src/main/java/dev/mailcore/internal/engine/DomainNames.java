package dev.mailcore.internal.engine;

import dev.mailcore.ValidationException;
import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Validation and normalization of domain names (IDNs become their ASCII form). */
final class DomainNames {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private DomainNames() {}

  static String normalize(String name) {
    Objects.requireNonNull(name, "name");
    String ascii;
    try {
      ascii = IDN.toASCII(name.strip(), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw invalid(name);
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    String[] labels = ascii.split("\\.", -1);
    if (ascii.length() > 253 || labels.length < 2) {
      throw invalid(name);
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw invalid(name);
      }
    }
    return ascii;
  }

  private static ValidationException invalid(String name) {
    return new ValidationException("name", "'" + name + "' is not a valid domain name; use a"
        + " fully qualified name such as mail.example.com");
  }
}
