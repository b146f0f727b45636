package dev.mailcore.internal.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.james.mime4j.stream.NameValuePair;

/**
 * Attachment filenames: RFC 2231 parameters (extended values, continuations, charsets),
 * RFC 2047 encoded words in plain {@code name=}/{@code filename=} (illegal but common), and
 * sanitizing so a name can never address a path. Stateless and thread-safe.
 */
final class PartNames {
  /** Longest filename kept; longer names are shortened, keeping the extension. */
  static final int MAX_FILENAME_LENGTH = 255;

  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("text/plain", "txt"),
      Map.entry("text/html", "html"),
      Map.entry("text/calendar", "ics"),
      Map.entry("text/csv", "csv"),
      Map.entry("text/xml", "xml"),
      Map.entry("text/markdown", "md"),
      Map.entry("text/enriched", "txt"),
      Map.entry("text/rfc822-headers", "txt"),
      Map.entry("text/x-vcard", "vcf"),
      Map.entry("text/vcard", "vcf"),
      Map.entry("message/rfc822", "eml"),
      Map.entry("message/global", "eml"),
      Map.entry("message/delivery-status", "txt"),
      Map.entry("message/disposition-notification", "txt"),
      Map.entry("image/jpeg", "jpg"),
      Map.entry("image/jpg", "jpg"),
      Map.entry("image/pjpeg", "jpg"),
      Map.entry("image/png", "png"),
      Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"),
      Map.entry("image/svg+xml", "svg"),
      Map.entry("image/tiff", "tif"),
      Map.entry("image/bmp", "bmp"),
      Map.entry("image/heic", "heic"),
      Map.entry("audio/mpeg", "mp3"),
      Map.entry("video/mp4", "mp4"),
      Map.entry("application/pdf", "pdf"),
      Map.entry("application/zip", "zip"),
      Map.entry("application/gzip", "gz"),
      Map.entry("application/json", "json"),
      Map.entry("application/xml", "xml"),
      Map.entry("application/ics", "ics"),
      Map.entry("application/msword", "doc"),
      Map.entry("application/vnd.ms-excel", "xls"),
      Map.entry("application/vnd.ms-powerpoint", "ppt"),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "docx"),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
      Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation",
          "pptx"),
      Map.entry("application/ms-tnef", "dat"),
      Map.entry("application/vnd.ms-tnef", "dat"),
      Map.entry("application/pgp-signature", "asc"),
      Map.entry("application/pgp-encrypted", "asc"),
      Map.entry("application/pkcs7-signature", "p7s"),
      Map.entry("application/x-pkcs7-signature", "p7s"),
      Map.entry("application/pkcs7-mime", "p7m"),
      Map.entry("application/x-pkcs7-mime", "p7m"),
      Map.entry("application/octet-stream", "bin"));

  private PartNames() {}

  /**
   * The part's filename from Content-Disposition {@code filename} (preferred) or Content-Type
   * {@code name}, decoded and sanitized; null when neither yields a usable name.
   */
  static String filename(PartDescriptor d) {
    String name = param2231(d.dispositionParams(), "filename");
    if (name == null) {
      name = param2231(d.typeParams(), "name");
    }
    return name == null ? null : sanitize(name);
  }

  /**
   * Reads parameter {@code base} honouring RFC 2231: {@code base*} (charset'lang'%xx),
   * {@code base*0}, {@code base*1*}, ... continuations; falls back to plain {@code base} with
   * RFC 2047 decoding.
   */
  static String param2231(List<NameValuePair> params, String base) {
    if (params.isEmpty()) {
      return null;
    }
    String plain = null;
    String extended = null;
    TreeMap<Integer, NameValuePair> pieces = null;
    int baseLen = base.length();
    for (NameValuePair p : params) {
      String n = p.getName();
      if (n.length() < baseLen || !n.regionMatches(true, 0, base, 0, baseLen)) {
        continue;
      }
      String rest = n.substring(baseLen).strip();
      if (rest.isEmpty()) {
        if (plain == null) {
          plain = p.getValue();
        }
      } else if (rest.equals("*")) {
        if (extended == null) {
          extended = p.getValue();
        }
      } else if (rest.charAt(0) == '*') {
        String idx = rest.endsWith("*") ? rest.substring(1, rest.length() - 1)
            : rest.substring(1);
        int index = parseIndex(idx);
        if (index >= 0) {
          if (pieces == null) {
            pieces = new TreeMap<>();
          }
          pieces.putIfAbsent(index, p);
        }
      }
    }
    if (extended != null) {
      String v = decodeExtended(extended);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    if (pieces != null) {
      String v = joinContinuations(pieces);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    if (plain != null) {
      String v = HeaderValues.decodeWords(plain.strip());
      if (!v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static int parseIndex(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String joinContinuations(TreeMap<Integer, NameValuePair> pieces) {
    // Encoded pieces share the charset named in piece 0; plain pieces are taken literally.
    Charset charset = null;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean first = true;
    for (NameValuePair p : pieces.values()) {
      String value = p.getValue() == null ? "" : p.getValue();
      boolean encoded = p.getName().strip().endsWith("*");
      if (encoded) {
        if (first) {
          int q1 = value.indexOf('\'');
          int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
          if (q2 > 0) {
            charset = TextDecoding.lookup(value.substring(0, q1));
            value = value.substring(q2 + 1);
          }
        }
        percentDecode(value, bytes);
      } else {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
      first = false;
    }
    byte[] all = bytes.toByteArray();
    return decodeBytes(all, charset);
  }

  private static String decodeExtended(String value) {
    Charset charset = null;
    String text = value;
    int q1 = value.indexOf('\'');
    int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
    if (q2 > 0) {
      charset = TextDecoding.lookup(value.substring(0, q1));
      text = value.substring(q2 + 1);
    } // else: not RFC 2231 syntax after all; read as percent-encoded UTF-8
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    percentDecode(text, bytes);
    return decodeBytes(bytes.toByteArray(), charset);
  }

  private static String decodeBytes(byte[] b, Charset charset) {
    if (charset == null || charset == StandardCharsets.US_ASCII) {
      return HeaderValues.decode(b, 0, b.length);
    }
    return new String(b, charset);
  }

  private static void percentDecode(String s, ByteArrayOutputStream out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      if (c < 0x80) {
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
  }

  /**
   * Makes a filename safe: only the last path component, no control or bidi-override
   * characters, no surrounding whitespace, at most {@link #MAX_FILENAME_LENGTH} characters.
   *
   * @return the safe name, or null when nothing usable is left
   */
  static String sanitize(String name) {
    String s = name;
    int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    if (slash >= 0) {
      s = s.substring(slash + 1);
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || isBidiControl(c)) {
        continue;
      }
      sb.append(c);
    }
    s = sb.toString().strip();
    if (s.isEmpty() || s.equals(".") || s.equals("..")) {
      return null;
    }
    if (s.length() > MAX_FILENAME_LENGTH) {
      int dot = s.lastIndexOf('.');
      String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
      s = s.substring(0, MAX_FILENAME_LENGTH - ext.length()) + ext;
    }
    return s;
  }

  private static boolean isBidiControl(char c) {
    return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e' || c == '\u200f' || c == '\u061c' || c == '\ufeff';
  }

  /** The name used when a part has none: {@code attachment-<index+1>.<ext>}. */
  static String generated(int index, String contentType) {
    return "attachment-" + (index + 1) + "." + extension(contentType);
  }

  /** A file extension for a content type; {@code bin} when nothing better is known. */
  static String extension(String contentType) {
    String ext = EXTENSIONS.get(contentType);
    if (ext != null) {
      return ext;
    }
    int slash = contentType.indexOf('/');
    String sub = slash < 0 ? "" : contentType.substring(slash + 1);
    if (sub.startsWith("x-")) {
      sub = sub.substring(2);
    }
    int plus = sub.indexOf('+');
    if (plus >= 0) {
      sub = sub.substring(plus + 1);
    }
    if (!sub.isEmpty() && sub.length() <= 8 && sub.chars().allMatch(Character::isLetterOrDigit)) {
      return sub.toLowerCase(Locale.ROOT);
    }
    return "bin";
  }
}
