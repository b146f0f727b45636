package dev.mailcore.internal.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import com.beetstra.jutf7.CharsetProvider;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Charset handling for text bodies. Declared charsets are honoured when Java knows them; an
 * unknown, invalid or missing charset (and the often-wrong "us-ascii"), and a declared UTF-8 that
 * is not valid throughout, are decoded per run: valid UTF-8 sequences as UTF-8, other 8-bit
 * bytes as windows-1252 ({@link HeaderValues#decode}); ISO-8859-1 is read as windows-1252,
 * its superset that senders actually mean (as browsers do). Never throws. Thread-safe.
 */
final class TextDecoding {
  private static final int CACHE_LIMIT = 256;
  /** Empty for names Java does not know, so failed lookups are cached too. */
  private static final ConcurrentHashMap<String, Optional<Charset>> CACHE =
      new ConcurrentHashMap<>();
  /** UTF-7 (RFC 2152), which the JDK lacks, from the jutf7 library (ADR 0013). */
  private static final Charset UTF_7 = new CharsetProvider().charsetForName("UTF-7");

  private TextDecoding() {}

  /** The Java charset for a MIME charset name, or null when unknown or invalid. */
  static Charset lookup(String name) {
    if (name == null) {
      return null;
    }
    // The names nearly every message declares, without hashing a new String per part.
    if (name.equalsIgnoreCase("utf-8")) {
      return StandardCharsets.UTF_8;
    }
    if (name.equalsIgnoreCase("us-ascii")) {
      return StandardCharsets.US_ASCII;
    }
    Optional<Charset> c = CACHE.get(name);
    if (c == null) {
      c = Optional.ofNullable(resolve(name));
      if (CACHE.size() < CACHE_LIMIT) {
        CACHE.put(name, c);
      }
    }
    return c.orElse(null);
  }

  private static Charset resolve(String name) {
    String n = name.strip();
    if (n.length() >= 2 && (n.charAt(0) == '"' || n.charAt(0) == '\'')) {
      n = n.substring(1, n.length() - 1).strip();
    }
    int star = n.indexOf('*'); // RFC 2231 language suffix in encoded words: utf-8*en
    if (star > 0) {
      n = n.substring(0, star);
    }
    if (n.isEmpty()) {
      return null;
    }
    String lower = n.toLowerCase(Locale.ROOT);
    if (lower.equals("utf8") || lower.equals("utf-8")) {
      return StandardCharsets.UTF_8;
    }
    if (lower.equals("utf-7") || lower.equals("utf7") || lower.equals("unicode-1-1-utf-7")) {
      return UTF_7;
    }
    try {
      return Charset.forName(n);
    } catch (IllegalArgumentException e) { // IllegalCharsetName / UnsupportedCharset
      return null;
    }
  }

  /**
   * Decodes a text body with its declared charset (see the class comment for fallbacks). NUL
   * characters become U+FFFD: they carry no text, and PostgreSQL cannot store them in a text
   * column, so a body with one would otherwise be storable in one store and not another.
   */
  static String decode(byte[] b, int len, String declared) {
    Charset cs = lookup(declared);
    String text;
    if (cs == StandardCharsets.UTF_8) {
      text = new String(b, 0, len, cs);
      if (text.indexOf('\uFFFD') >= 0) {
        text = HeaderValues.decode(b, 0, len); // a bad byte: decode per run instead
      }
    } else if (cs == null || cs == StandardCharsets.US_ASCII) {
      text = HeaderValues.decode(b, 0, len);
    } else if (cs == StandardCharsets.ISO_8859_1) {
      text = new String(b, 0, len, HeaderValues.WINDOWS_1252);
    } else {
      text = new String(b, 0, len, cs);
    }
    return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
