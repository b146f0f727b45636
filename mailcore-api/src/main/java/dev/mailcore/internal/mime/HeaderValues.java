package dev.mailcore.internal.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Turns header field bodies into values, leniently: nothing here throws on bad input; a value
 * that cannot be understood is skipped or comes back empty. Stateless and thread-safe.
 */
final class HeaderValues {
  static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private HeaderValues() {}

  /**
   * The field body as text: raw 8-bit bytes are decoded as UTF-8 when they are valid UTF-8 and
   * as windows-1252 (a superset of ISO-8859-1's printable range) otherwise; line folding is
   * removed and surrounding whitespace stripped. Encoded words are left alone.
   */
  static String fieldBody(Field field) {
    ByteSequence raw = field.getRaw();
    if (raw == null || !(field instanceof RawField)) {
      String body = field.getBody();
      return body == null ? "" : unfold(body);
    }
    int off = ((RawField) field).getDelimiterIdx() + 1;
    int len = raw.length();
    if (off >= len) {
      return "";
    }
    byte[] bytes;
    if (raw instanceof ByteArrayBuffer) {
      bytes = ((ByteArrayBuffer) raw).buffer();
    } else {
      bytes = raw.toByteArray();
    }
    return unfold(decode(bytes, off, len - off));
  }

  /** Whether the field's body bytes are all 7-bit. */
  static boolean isAsciiBody(RawField field) {
    ByteSequence raw = field.getRaw();
    for (int i = field.getDelimiterIdx() + 1, n = raw.length(); i < n; i++) {
      if (raw.byteAt(i) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes header or text bytes: ASCII fast path, then UTF-8 if valid throughout; otherwise
   * per run, each well-formed UTF-8 sequence as UTF-8 and each other 8-bit byte as
   * windows-1252, so one stray byte does not turn a whole UTF-8 header into mojibake.
   */
  static String decode(byte[] b, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] < 0) {
        return Utf8.isValid(b, i, end)
            ? new String(b, off, len, StandardCharsets.UTF_8)
            : mixed(b, off, end);
      }
    }
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }

  private static String mixed(byte[] b, int off, int end) {
    StringBuilder sb = new StringBuilder(end - off);
    int i = off;
    while (i < end) {
      int n = Utf8.sequenceLength(b, i, end);
      if (n == 1) {
        sb.append((char) b[i]);
      } else if (n > 1) {
        sb.append(new String(b, i, n, StandardCharsets.UTF_8));
      } else {
        sb.append(new String(b, i, 1, WINDOWS_1252));
        n = 1;
      }
      i += n;
    }
    return sb.toString();
  }

  /** Removes CR and LF (RFC 5322 unfolding keeps the following whitespace) and strips. */
  static String unfold(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
      i++;
    }
    if (i == n) {
      return s.strip();
    }
    StringBuilder sb = new StringBuilder(n);
    sb.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c != '\r' && c != '\n') {
        sb.append(c);
      }
    }
    return sb.toString().strip();
  }

  /** Decodes RFC 2047 encoded words leniently; unknown charsets fall back to UTF-8. */
  static String decodeWords(String s) {
    if (s.indexOf("=?") < 0) {
      return s;
    }
    return EncodedWords.decode(s);
  }

  /** Removes surrounding whitespace and one pair of angle brackets. */
  static String stripBrackets(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.charAt(0) == '<' && t.charAt(t.length() - 1) == '>') {
      t = t.substring(1, t.length() - 1).strip();
    }
    return t;
  }

  /** {@code s} with each ISO control character replaced by a space. */
  static String stripControls(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
          char c = s.charAt(j);
          sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
      }
    }
    return s;
  }

  /**
   * Parses a Date header leniently (RFC 5322 and its obsolete forms, North American zone names);
   * empty when nothing sensible can be read.
   */
  static Optional<Instant> date(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Instant fast = FastDate.parse(text);
    if (fast != null) {
      return plausible(fast);
    }
    String s = normalizeDate(text);
    if (impossibleFields(s)) {
      return Optional.empty(); // the lenient formatter would roll "59:10" into the next days
    }
    try {
      return plausible(Instant.from(
          DateTimeFieldLenientImpl.RFC_5322.parse(s, new ParsePosition(0))));
    } catch (RuntimeException e) {
      try {
        return plausible(Instant.parse(s));
      } catch (RuntimeException e2) {
        return Optional.empty();
      }
    }
  }

  /** RFC 5322 dates start in 1900; a year past 9999 is beyond what databases store. */
  private static final Instant EARLIEST_DATE = Instant.parse("1900-01-01T00:00:00Z");
  private static final Instant LATEST_DATE = Instant.parse("9999-12-31T23:59:59Z");

  /** A date outside that range is as good as none: the caller falls back to the receipt time. */
  private static Optional<Instant> plausible(Instant t) {
    return t.isBefore(EARLIEST_DATE) || t.isAfter(LATEST_DATE) ? Optional.empty() : Optional.of(t);
  }

  private static final Pattern TIME =
      Pattern.compile("(\\d{1,2})\\s*:\\s*(\\d{1,2})(?:\\s*:\\s*(\\d{1,2}))?");
  private static final Pattern DAY_MONTH =
      Pattern.compile("(\\d{1,2})\\s*-?\\s*[A-Za-z]{3}");

  /**
   * Whether the date names a time of day or day of month that cannot exist (hour 59, minute
   * 60, day 32): such a date is treated as missing rather than rolled over, as RFC 5322 gives it
   * no meaning.
   */
  static boolean impossibleFields(String s) {
    Matcher t = TIME.matcher(s);
    if (t.find() && (Integer.parseInt(t.group(1)) > 23 || Integer.parseInt(t.group(2)) > 59
        || (t.group(3) != null && Integer.parseInt(t.group(3)) > 60))) {
      return true;
    }
    Matcher d = DAY_MONTH.matcher(s);
    return d.find() && (Integer.parseInt(d.group(1)) < 1 || Integer.parseInt(d.group(1)) > 31);
  }

  /** Collapses whitespace runs and replaces obsolete zone names by numeric offsets. */
  private static String normalizeDate(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    String[] tokens = text.strip().split("\\s+");
    for (String t : tokens) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(zoneOffset(t));
    }
    return sb.toString();
  }

  private static String zoneOffset(String token) {
    if (token.length() < 1 || token.length() > 3 || !Character.isLetter(token.charAt(0))) {
      return token;
    }
    switch (token.toUpperCase(java.util.Locale.ROOT)) {
      case "UT":
      case "UTC":
      case "Z":
        return "+0000";
      case "EST":
        return "-0500";
      case "EDT":
        return "-0400";
      case "CST":
        return "-0600";
      case "CDT":
        return "-0500";
      case "MST":
        return "-0700";
      case "MDT":
        return "-0600";
      case "PST":
        return "-0800";
      case "PDT":
        return "-0700";
      default:
        return token;
    }
  }
}
