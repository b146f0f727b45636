package dev.mailcore;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox address with an optional display name, as used in From, To, Cc and Bcc.
 *
 * <p>The domain part is lower-cased on construction (domains are case-insensitive); the local
 * part is kept as given, because RFC 5321 lets a receiving system treat it as case-sensitive.
 * {@link #normalized()} gives the fully lower-cased form mailcore uses for routing,
 * suppression and participant matching. Immutable and thread-safe.
 *
 * @param name the display name, if any (never blank when present)
 * @param address the addr-spec, {@code local@domain}
 */
public record EmailAddress(Optional<String> name, String address) {

  /** Longest accepted address (RFC 5321 path limit). */
  public static final int MAX_ADDRESS_LENGTH = 254;

  /**
   * Validates and normalizes.
   *
   * @throws ValidationException if {@code address} is not a valid addr-spec (among others: it
   *     holds whitespace, a control character or an angle bracket)
   */
  public EmailAddress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    address = checkAddress(address);
    name = name.map(String::strip).filter(n -> !n.isEmpty());
    name.ifPresent(n -> Checks.singleLine("name", n));
  }

  /**
   * An address without a display name.
   *
   * @param address {@code local@domain}
   * @return the address
   * @throws ValidationException if the address is invalid
   */
  public static EmailAddress of(String address) {
    return new EmailAddress(Optional.empty(), address);
  }

  /**
   * An address with a display name.
   *
   * @param name the display name; blank means none
   * @param address {@code local@domain}
   * @return the address
   * @throws ValidationException if the address is invalid
   */
  public static EmailAddress of(String name, String address) {
    return new EmailAddress(Optional.ofNullable(name), address);
  }

  /**
   * Parses one address in header syntax, for example {@code "Ann Lee <ann@example.com>"} or
   * {@code "ann@example.com"}. Encoded words in the name are not decoded here.
   *
   * @param text the header value holding exactly one address
   * @return the address
   * @throws ValidationException if the text is not exactly one valid address
   */
  public static EmailAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      InternetAddress[] parsed = InternetAddress.parseHeader(text, true);
      if (parsed.length != 1) {
        throw new ValidationException("address", "expected exactly one address, got "
            + parsed.length + " in '" + text + "'");
      }
      return of(parsed[0].getPersonal(), parsed[0].getAddress());
    } catch (AddressException e) {
      throw new ValidationException("address", "not a valid email address: '" + text + "' ("
          + e.getMessage() + ")");
    }
  }

  /**
   * The lower-cased address, used to compare addresses.
   *
   * @return for example {@code "ann@example.com"}
   */
  public String normalized() {
    return address.toLowerCase(Locale.ROOT);
  }

  /**
   * The local part (before the last {@code @}).
   *
   * @return the local part as given
   */
  public String localPart() {
    return address.substring(0, address.lastIndexOf('@'));
  }

  /**
   * The domain (after the last {@code @}), lower-cased.
   *
   * @return the domain
   */
  public String domain() {
    return address.substring(address.lastIndexOf('@') + 1);
  }

  @Override
  public String toString() {
    return name.map(n -> "\"" + n.replace("\"", "\\\"") + "\" <" + address + ">").orElse(address);
  }

  private static String checkAddress(String raw) {
    String a = raw.strip();
    int at = a.lastIndexOf('@');
    if (a.isEmpty() || a.length() > MAX_ADDRESS_LENGTH || at <= 0 || at == a.length() - 1) {
      throw new ValidationException("address",
          "not a valid email address: '" + raw + "' (expected local@domain, at most "
              + MAX_ADDRESS_LENGTH + " characters)");
    }
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      // InternetAddress lets some of these through; none belongs in an address, and NUL cannot
      // even be stored.
      if (c <= 0x20 || c == 0x7f) {
        throw new ValidationException("address", "not a valid email address: '" + raw
            + "' (control character or space, code " + (int) c + ", at position " + i + ")");
      }
      if (c == '<' || c == '>') {
        // "Name@Host<real@address>" is a display name glued to an address, never an address
        throw new ValidationException("address", "not a valid email address: '" + raw
            + "' (angle bracket at position " + i + "; pass the address without its display"
            + " name, or use EmailAddress.parse for header syntax)");
      }
    }
    String domain = a.substring(at + 1);
    String lowerDomain = domain.toLowerCase(Locale.ROOT);
    String normalized = lowerDomain.equals(domain) ? a : a.substring(0, at) + "@" + lowerDomain;
    if (plainDotAtoms(normalized, at)) {
      return normalized; // what nearly every address looks like, and InternetAddress accepts
    }
    try {
      new InternetAddress(normalized, true).validate();
    } catch (AddressException e) {
      throw new ValidationException("address",
          "not a valid email address: '" + raw + "' (" + e.getMessage() + ")");
    }
    return normalized;
  }

  /**
   * Whether {@code a} is {@code local@domain} in the plainest form: a local part of RFC 5322
   * atext characters in dot-separated non-empty atoms, and a lower-case ASCII domain of
   * non-empty labels of letters, digits and inner hyphens. Every such address passes
   * InternetAddress's strict check (ValuesTest compares the two), which costs several
   * times more; anything else is left to that check.
   */
  private static boolean plainDotAtoms(String a, int at) {
    char prev = '.';
    for (int i = 0; i < at; i++) {
      char c = a.charAt(i);
      if (c == '.' ? prev == '.' : !atext(c)) {
        return false;
      }
      prev = c;
    }
    if (prev == '.') {
      return false;
    }
    prev = '.'; // a domain starts like a label after a dot: no dot or hyphen first
    for (int i = at + 1; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c == '.') {
        if (prev == '.' || prev == '-') {
          return false;
        }
      } else if (c == '-') {
        if (prev == '.') {
          return false;
        }
      } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
        return false;
      }
      prev = c;
    }
    return prev != '.' && prev != '-';
  }

  private static boolean atext(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c < 128 && "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }
}
