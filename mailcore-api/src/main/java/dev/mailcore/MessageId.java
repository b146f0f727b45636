package dev.mailcore;

import java.util.Objects;

/**
 * An RFC 5322 Message-ID, stored without the angle brackets ({@code abc@example.com} for the
 * header value {@code <abc@example.com>}).
 *
 * <p>Comparison is exact (case-sensitive), because RFC 5322 makes the local part case-sensitive
 * and mail systems do issue ids that differ only in case. Immutable and thread-safe.
 *
 * @param value the id without angle brackets; not blank, no whitespace or angle brackets
 */
public record MessageId(String value) {

  /** Longest accepted id; RFC 5322 lines are limited to 998 characters. */
  public static final int MAX_LENGTH = 998;

  /**
   * Validates the value.
   *
   * @throws ValidationException if the value is blank, too long, or contains whitespace or
   *     angle brackets
   */
  public MessageId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new ValidationException("messageId", "must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new ValidationException("messageId", "longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '<' || c == '>' || c == 0x7f) {
        throw new ValidationException("messageId",
            "must not contain whitespace, control characters or angle brackets: '" + value + "'");
      }
    }
  }

  /**
   * Parses a Message-ID as it appears in a header: surrounding whitespace and one pair of angle
   * brackets are removed.
   *
   * @param text for example {@code "<abc@example.com>"} or {@code "abc@example.com"}
   * @return the id
   * @throws ValidationException if nothing usable remains
   */
  public static MessageId of(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    if (s.startsWith("<") && s.endsWith(">") && s.length() >= 2) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return new MessageId(s);
  }

  /**
   * The header form, with angle brackets.
   *
   * @return for example {@code "<abc@example.com>"}
   */
  public String bracketed() {
    return "<" + value + ">";
  }

  @Override
  public String toString() {
    return bracketed();
  }
}
