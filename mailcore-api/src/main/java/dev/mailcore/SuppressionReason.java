package dev.mailcore;

import java.util.Locale;

/** Why an address is on the suppression list. */
public enum SuppressionReason {
  /** A permanent (hard) bounce. */
  BOUNCE,
  /** The recipient reported a message as spam. */
  COMPLAINT,
  /** Added by the application through {@code suppressions().add(...)}. */
  MANUAL;

  /**
   * The lower-case code used in storage ({@code bounce}, {@code complaint}, {@code manual}).
   *
   * @return the code
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the storage code.
   *
   * @param code a value {@link #code()} returns
   * @return the reason
   * @throws ValidationException for an unknown code
   */
  public static SuppressionReason fromCode(String code) {
    for (SuppressionReason r : values()) {
      if (r.code().equals(code)) {
        return r;
      }
    }
    throw new ValidationException("reason", "expected bounce, complaint or manual, got '" + code + "'");
  }
}
