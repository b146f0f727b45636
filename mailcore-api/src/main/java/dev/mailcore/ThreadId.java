package dev.mailcore;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies a conversation thread within one inbox. Immutable and thread-safe.
 *
 * @param value the thread's UUID
 */
public record ThreadId(UUID value) {

  /**
   * Checks the value.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public ThreadId {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses a thread id from its string form.
   *
   * @param text a UUID string
   * @return the id
   * @throws ValidationException if {@code text} is not a UUID
   */
  public static ThreadId parse(String text) {
    return new ThreadId(Ids.parseUuid("threadId", text));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
