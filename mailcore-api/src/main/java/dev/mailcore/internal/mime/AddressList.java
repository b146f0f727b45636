package dev.mailcore.internal.mime;

import dev.mailcore.EmailAddress;
import dev.mailcore.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of address-list header fields (From, To, Cc, Bcc, Reply-To, Sender) for both
 * the full parse and routing. Works on the decoded field text (raw 8-bit bytes already decoded,
 * so RFC 6532 UTF-8 names cannot cut an address short), expands groups, drops comments, decodes
 * RFC 2047 words in display names and recovers the common breakage where the intent is clear:
 * <ul>
 *   <li>{@code Name@Host <real@address>}: the bracketed address is the address, the rest the
 *       display name (RFC 5322 has no other reading of an angle-addr);
 *   <li>a missing comma: {@code A <a@x> B <b@y>} and {@code a@x b@y} are two addresses;
 *   <li>{@code a@x (Name)}: the comment becomes the display name, as old mailers meant it.
 * </ul>
 * Entries that yield no valid address are kept, as written, in {@link #unusable()}; nothing is
 * invented. Stateless and thread-safe.
 *
 * @param addresses the usable addresses, in order
 * @param unusable the entries that named no usable address, trimmed, in order
 */
record AddressList(List<EmailAddress> addresses, List<String> unusable) {
  private static final AddressList EMPTY = new AddressList(List.of(), List.of());

  /** Parses a field body (unfolded, 8-bit already decoded); never throws. */
  static AddressList parse(String text) {
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    List<EmailAddress> out = new ArrayList<>(2);
    List<String> bad = new ArrayList<>(0);
    int n = text.length();
    int entryStart = 0;
    boolean angle = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        i = skipQuoted(text, i);
      } else if (c == '(') {
        i = skipComment(text, i) - 1;
      } else if (c == '[' && !angle) {
        int close = text.indexOf(']', i);
        i = close < 0 ? n : close;
      } else if (c == '<') {
        angle = true;
      } else if (c == '>') {
        angle = false;
      } else if (!angle && (c == ',' || c == ';')) {
        entry(text.substring(entryStart, i), out, bad);
        entryStart = i + 1;
      } else if (!angle && c == ':') {
        // "group name: member, member;" - the name is no address; members follow
        entryStart = i + 1;
      }
    }
    entry(text.substring(Math.min(entryStart, n)), out, bad);
    return new AddressList(List.copyOf(out), List.copyOf(bad));
  }

  private static void entry(String raw, List<EmailAddress> out, List<String> bad) {
    String e = raw.strip();
    if (withoutComments(e).isBlank()) {
      return; // nothing, or only a comment ("To: undisclosed:; (none)")
    }
    List<int[]> angles = angles(e);
    int before = out.size();
    boolean ok;
    if (!angles.isEmpty()) {
      ok = true;
      int from = 0;
      for (int[] a : angles) {
        String phrase = e.substring(from, a[0]);
        String addr = e.substring(a[0] + 1, a[1]);
        ok &= add(out, displayName(phrase), addrSpec(addr));
        from = a[1] + 1;
      }
    } else {
      ok = bare(e, out);
    }
    if (!ok || out.size() == before) {
      bad.add(e);
    }
  }

  /** An entry without angle brackets: one address, several with a missing comma, or none. */
  private static boolean bare(String e, List<EmailAddress> out) {
    String comment = lastComment(e);
    String rest = withoutComments(e).strip();
    List<String> tokens = joinObsoleteSpacing(tokens(rest));
    List<String> withAt = new ArrayList<>(tokens.size());
    StringBuilder other = new StringBuilder();
    for (String t : tokens) {
      if (t.indexOf('@') > 0 && t.indexOf('@') < t.length() - 1) {
        withAt.add(t);
      } else {
        other.append(other.length() == 0 ? "" : " ").append(t);
      }
    }
    if (withAt.isEmpty()) {
      return false;
    }
    if (withAt.size() == 1) {
      String name = other.length() > 0 ? displayName(other.toString()) : comment;
      return add(out, name, withAt.get(0));
    }
    if (other.length() > 0) {
      return false; // several addresses and words between them: no clear reading
    }
    boolean ok = true;
    for (String a : withAt) {
      ok &= add(out, null, a);
    }
    return ok;
  }

  /**
   * Joins tokens separated only by the whitespace RFC 5322's obsolete syntax allows around
   * {@code @} and {@code .} ({@code ann . lee @ example . com} is one address).
   */
  private static List<String> joinObsoleteSpacing(List<String> tokens) {
    if (tokens.size() < 2) {
      return tokens;
    }
    List<String> out = new ArrayList<>(tokens.size());
    StringBuilder cur = new StringBuilder(tokens.get(0));
    for (int i = 1; i < tokens.size(); i++) {
      String t = tokens.get(i);
      char last = cur.charAt(cur.length() - 1);
      char first = t.charAt(0);
      if (last == '@' || last == '.' || first == '@' || first == '.') {
        cur.append(t);
      } else {
        out.add(cur.toString());
        cur.setLength(0);
        cur.append(t);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static boolean add(List<EmailAddress> out, String name, String address) {
    if (address.isEmpty()) {
      return false;
    }
    try {
      out.add(EmailAddress.of(name, address));
      return true;
    } catch (ValidationException e) {
      if (name == null) {
        return false;
      }
      try {
        out.add(EmailAddress.of(address));
        return true;
      } catch (ValidationException e2) {
        return false;
      }
    }
  }

  /** Top-level {@code <...>} pairs (outside quotes and comments) as [open, close] indexes. */
  private static List<int[]> angles(String e) {
    List<int[]> out = new ArrayList<>(1);
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      if (c == '"') {
        i = skipQuoted(e, i);
      } else if (c == '(') {
        i = skipComment(e, i) - 1;
      } else if (c == '<') {
        int close = closeAngle(e, i + 1);
        out.add(new int[] {i, close});
        i = close;
      }
    }
    return out;
  }

  private static int closeAngle(String e, int from) {
    for (int i = from; i < e.length(); i++) {
      char c = e.charAt(i);
      if (c == '"') {
        i = skipQuoted(e, i);
      } else if (c == '>') {
        return i;
      }
    }
    return e.length(); // unclosed: the rest is the address
  }

  /** The addr-spec inside angle brackets: comments, whitespace and an obsolete route removed. */
  private static String addrSpec(String inner) {
    String a = withoutComments(inner);
    int colon = a.indexOf(':');
    if (colon >= 0 && a.strip().startsWith("@")) {
      a = a.substring(colon + 1);
    }
    StringBuilder sb = new StringBuilder(a.length());
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c == '"') {
        int end = skipQuoted(a, i);
        sb.append(a, i, Math.min(end + 1, a.length()));
        i = end;
      } else if (!Character.isWhitespace(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A display name: quotes removed, comments dropped, encoded words decoded, spaces folded. */
  private static String displayName(String phrase) {
    String p = withoutComments(phrase).strip();
    if (p.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '"') {
        int end = skipQuoted(p, i);
        for (int k = i + 1; k < Math.min(end, p.length()); k++) {
          char q = p.charAt(k);
          if (q == '\\' && k + 1 < end) {
            q = p.charAt(++k);
          }
          sb.append(q);
        }
        i = end;
      } else {
        sb.append(c);
      }
    }
    String name = HeaderValues.stripControls(HeaderValues.decodeWords(sb.toString()));
    name = collapseSpaces(name.strip());
    return name.isEmpty() ? null : name;
  }

  /**
   * Each run of ASCII whitespace (the characters of regex {@code \s}) as one space; {@code s}
   * itself when it has none but single spaces (the usual display name, without a regex split).
   */
  private static String collapseSpaces(String s) {
    int n = s.length();
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (isAsciiSpace(c) && (c != ' ' || (i + 1 < n && isAsciiSpace(s.charAt(i + 1))))) {
        break;
      }
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    sb.append(s, 0, i);
    boolean space = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (isAsciiSpace(c)) {
        space = true;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  private static String lastComment(String e) {
    String found = null;
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      if (c == '"') {
        i = skipQuoted(e, i);
      } else if (c == '(') {
        int end = skipComment(e, i);
        String inner = e.substring(i + 1, Math.max(i + 1, end - 1)).strip();
        if (!inner.isEmpty()) {
          found = inner;
        }
        i = end - 1;
      }
    }
    return found == null ? null : displayName(found.replace("\"", ""));
  }

  private static String withoutComments(String s) {
    if (s.indexOf('(') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = skipQuoted(s, i);
        sb.append(s, i, Math.min(end + 1, s.length()));
        i = end;
      } else if (c == '(') {
        i = skipComment(s, i) - 1;
        sb.append(' ');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Whitespace-separated tokens, a quoted string staying inside its token. */
  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>(2);
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : ' ';
      if (c == '"') {
        if (start < 0) {
          start = i;
        }
        i = skipQuoted(s, i);
      } else if (Character.isWhitespace(c)) {
        if (start >= 0) {
          out.add(s.substring(start, Math.min(i, s.length())));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    return out;
  }

  /** Index of the closing quote of the quoted string opening at {@code open} (or the end). */
  private static int skipQuoted(String s, int open) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return s.length();
  }

  /** Index just after the comment opening at {@code open} (nested comments allowed). */
  static int skipComment(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return s.length();
  }
}
