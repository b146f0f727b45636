package dev.mailcore;

/** Whether a message was received by an inbox or sent from it. */
public enum Direction {
  /** Received from outside. */
  INBOUND,
  /** Sent from an inbox through a transport. */
  OUTBOUND;

  /**
   * The lower-case name used in storage and JSON ({@code inbound}, {@code outbound}).
   *
   * @return the code
   */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Parses the storage code.
   *
   * @param code {@code inbound} or {@code outbound}
   * @return the direction
   * @throws ValidationException for any other value
   */
  public static Direction fromCode(String code) {
    for (Direction d : values()) {
      if (d.code().equals(code)) {
        return d;
      }
    }
    throw new ValidationException("direction", "expected inbound or outbound, got '" + code + "'");
  }
}
