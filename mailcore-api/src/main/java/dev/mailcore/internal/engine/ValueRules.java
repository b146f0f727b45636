package dev.mailcore.internal.engine;

/**
 * The argument rules of {@code dev.mailcore} that the engine applies to arguments no value type
 * carries (an organization id is a plain string). The rules live once, package-private, next to
 * the value types that use them; {@code MailCore} hands them to the engine through
 * {@link EngineConfig}, so the API package does not depend on this one (ADR 0010). Public only
 * because {@code MailCore} is in another package; this package is not exported.
 */
public interface ValueRules {
  /**
   * Checks and strips an organization id.
   *
   * @param organizationId the id
   * @return the id without surrounding whitespace
   * @throws NullPointerException if the id is null
   * @throws dev.mailcore.ValidationException if it is blank, longer than 255 characters or not
   *     one line
   */
  String organization(String organizationId);

  /**
   * Checks a value that ends up in a header or a one-line column: no CR, LF or other control
   * character but tab.
   *
   * @param field the field to name in the error
   * @param value the value
   * @throws dev.mailcore.ValidationException naming the field and the offending character
   */
  void singleLine(String field, String value);
}
