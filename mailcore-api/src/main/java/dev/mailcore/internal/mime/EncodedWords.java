package dev.mailcore.internal.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * RFC 2047 encoded-word decoding without streams (mime4j's decoder wraps each word in a
 * QuotedPrintableInputStream over a TextInputStream, which dominated header cost). Lenient:
 * whitespace between adjacent encoded words is dropped, adjacent words in the same charset are
 * decoded together (senders split multi-byte characters across words), malformed words are left
 * as written, unknown charsets decode as UTF-8/windows-1252. Never throws. Stateless.
 */
final class EncodedWords {
  private EncodedWords() {}

  static String decode(String s) {
    int start = s.indexOf("=?");
    if (start < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    Bytes pending = new Bytes(s.length());
    String pendingCharset = null;
    int pos = 0;
    boolean lastWasWord = false;
    while (start >= 0) {
      int charsetEnd = s.indexOf('?', start + 2);
      int encEnd = charsetEnd < 0 ? -1 : s.indexOf('?', charsetEnd + 1);
      int textEnd = encEnd < 0 ? -1 : s.indexOf("?=", encEnd + 1);
      if (charsetEnd < 0 || encEnd != charsetEnd + 2 || textEnd < 0) {
        // not an encoded word; copy "=?" literally and look further
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        out.append(s, pos, start + 2);
        pos = start + 2;
        lastWasWord = false;
        start = s.indexOf("=?", pos);
        continue;
      }
      String between = s.substring(pos, start);
      boolean onlySpace = between.isBlank();
      String charset = s.substring(start + 2, charsetEnd);
      char enc = s.charAt(charsetEnd + 1);
      if (!(lastWasWord && onlySpace)) {
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        out.append(between);
      }
      if (pendingCharset != null && !pendingCharset.equalsIgnoreCase(charset)) {
        flush(out, pending, pendingCharset);
      }
      int before = pending.size();
      boolean ok;
      if (enc == 'B' || enc == 'b') {
        ok = base64(s, encEnd + 1, textEnd, pending);
      } else if (enc == 'Q' || enc == 'q') {
        ok = quoted(s, encEnd + 1, textEnd, pending, out, charset);
      } else {
        ok = false;
      }
      if (!ok) {
        truncate(pending, before);
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        out.append(s, start, textEnd + 2);
        lastWasWord = false;
      } else {
        pendingCharset = charset;
        lastWasWord = true;
      }
      pos = textEnd + 2;
      start = s.indexOf("=?", pos);
    }
    flush(out, pending, pendingCharset);
    out.append(s, pos, s.length());
    return out.toString();
  }

  private static void truncate(Bytes buf, int size) {
    buf.size = Math.min(buf.size, size);
  }

  /**
   * The decoded bytes of adjacent words: a ByteArrayOutputStream without its per-byte lock.
   * An encoded word never decodes to more bytes than it has characters, so the capacity of the
   * whole header value is never exceeded.
   */
  private static final class Bytes {
    final byte[] b;
    int size;

    Bytes(int capacity) {
      b = new byte[capacity];
    }

    void write(int v) {
      b[size++] = (byte) v;
    }

    int size() {
      return size;
    }
  }

  private static void flush(StringBuilder out, Bytes pending, String charset) {
    if (pending.size == 0) {
      return;
    }
    int n = pending.size;
    pending.size = 0;
    Charset cs = TextDecoding.lookup(charset);
    // unknown charsets, and UTF-8 words with a bad byte, decode per run (HeaderValues.decode)
    out.append(cs == null || cs == StandardCharsets.UTF_8 ? HeaderValues.decode(pending.b, 0, n)
        : new String(pending.b, 0, n, cs));
  }

  /**
   * Decodes Q text into {@code out}. A raw non-ASCII character inside the word (Eudora sends
   * 8-bit bytes there) was already decoded with the header's 8-bit rule, so it is text, not a
   * byte of the word's charset: the bytes before it are decoded, then it is appended as is.
   */
  private static boolean quoted(String s, int from, int to, Bytes out,
      StringBuilder text, String charset) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '_') {
        out.write(' ');
      } else if (c == '=') {
        int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          out.write('=');
        } else {
          out.write((hi << 4) | lo);
          i += 2;
        }
      } else if (c < 0x80) {
        out.write(c);
      } else {
        flush(text, out, charset);
        text.append(c);
      }
    }
    return true;
  }

  private static boolean base64(String s, int from, int to, Bytes out) {
    int bits = 0;
    int count = 0;
    boolean any = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int v;
      if (c >= 'A' && c <= 'Z') {
        v = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        v = c - 'a' + 26;
      } else if (c >= '0' && c <= '9') {
        v = c - '0' + 52;
      } else if (c == '+' || c == '-') {
        v = 62;
      } else if (c == '/' || c == '_') {
        v = 63;
      } else if (c == '=') {
        break;
      } else if (c == ' ' || c == '\t') {
        continue;
      } else {
        return false;
      }
      bits = (bits << 6) | v;
      count += 6;
      if (count >= 8) {
        count -= 8;
        out.write((bits >> count) & 0xff);
        any = true;
      }
    }
    return any || from == to;
  }
}
