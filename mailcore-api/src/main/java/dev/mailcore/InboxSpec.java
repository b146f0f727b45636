package dev.mailcore;

import java.util.Locale;
import java.util.Objects;

/**
 * What an inbox should be: its local part, display name and whether it is the domain's
 * catch-all. Immutable and thread-safe.
 *
 * @param localPart the address prefix; lower-cased; letters, digits and {@code . _ -} only (a
 *     {@code +} is reserved for plus-addressing)
 * @param name the display name (not blank)
 * @param catchAll whether it also receives mail for addresses no other inbox on the domain has
 */
public record InboxSpec(String localPart, String name, boolean catchAll) {

  /** Longest accepted local part (RFC 5321). */
  public static final int MAX_LOCAL_PART = 64;

  /**
   * Validates and normalizes.
   *
   * @throws ValidationException if the local part or name is invalid
   */
  public InboxSpec {
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(name, "name");
    localPart = localPart.strip().toLowerCase(Locale.ROOT);
    if (localPart.isEmpty() || localPart.length() > MAX_LOCAL_PART
        || !localPart.matches("[a-z0-9._-]+") || localPart.startsWith(".")
        || localPart.endsWith(".") || localPart.contains("..")) {
      throw new ValidationException("localPart", "'" + localPart + "' is not a usable local part:"
          + " use 1-" + MAX_LOCAL_PART + " letters, digits, '.', '_' or '-' (no '+', which is"
          + " reserved for plus-addressing)");
    }
    name = name.strip();
    if (name.isEmpty()) {
      throw new ValidationException("name", "must not be blank");
    }
    Checks.singleLine("name", name);
  }

  /**
   * A regular inbox.
   *
   * @param localPart the address prefix, for example {@code support}
   * @param name the display name, for example {@code Acme Support}
   * @return the spec
   */
  public static InboxSpec of(String localPart, String name) {
    return new InboxSpec(localPart, name, false);
  }

  /**
   * A copy that is (or is not) the domain's catch-all.
   *
   * @param value whether it is the catch-all
   * @return the copy
   */
  public InboxSpec withCatchAll(boolean value) {
    return new InboxSpec(localPart, name, value);
  }
}
