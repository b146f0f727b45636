package dev.mailcore;

import java.util.Objects;

/**
 * An argument was invalid: a malformed address, a blank name, a value out of range. HTTP 400.
 *
 * <p>{@link #field()} names the input that was wrong (for example {@code "to[2]"} or
 * {@code "domain.name"}) and {@link #reason()} says why, so a host can point its own user at the
 * bad field. Immutable and thread-safe.
 */
public final class ValidationException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  /**
   * Creates a validation error.
   *
   * @param field the name of the offending input
   * @param reason why it is invalid and what a valid value looks like
   */
  public ValidationException(String field, String reason) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(reason, "reason"));
    this.field = field;
    this.reason = reason;
  }

  /**
   * The input that was wrong.
   *
   * @return the field name, never null
   */
  public String field() {
    return field;
  }

  /**
   * Why the input was rejected.
   *
   * @return the reason, never null
   */
  public String reason() {
    return reason;
  }

  @Override
  public int httpStatus() {
    return 400;
  }
}
