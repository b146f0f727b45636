package dev.mailcore.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * Builds an HTTP {@code Content-Disposition} value for a download (RFC 6266): {@code attachment}
 * (never {@code inline}, so an HTML or SVG attachment opened from a link is saved, not rendered
 * on the storage origin), a plain {@code filename} that every client understands with anything
 * outside printable ASCII replaced by {@code _}, and, when the name is not plain ASCII, an
 * RFC 5987 {@code filename*=UTF-8''...} that modern browsers prefer.
 *
 * <p>Hand-written rather than taken from jakarta.mail: its {@code ParameterList} encodes for
 * MIME (RFC 2231), which folds long values into {@code filename*0*}/{@code filename*1*}
 * continuations that RFC 6266 forbids in HTTP, and percent-encodes a different character set.
 */
public final class ContentDisposition {
  private static final String ATTR_CHAR = "!#$&+-.^_`|~";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ContentDisposition() {}

  /**
   * The header value for downloading a file under its original name.
   *
   * @param filename the name as the sender gave it (may be empty or contain any character)
   * @return for example {@code attachment; filename="a.pdf"} or
   *     {@code attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf}
   */
  public static String attachment(String filename) {
    String name = filename.strip().isEmpty() ? "attachment" : filename.strip();
    StringBuilder fallback = new StringBuilder(name.length());
    boolean plain = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean printable = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
      fallback.append(printable ? c : '_');
      plain &= printable;
    }
    StringBuilder out = new StringBuilder("attachment; filename=\"").append(fallback).append('"');
    if (!plain) {
      out.append("; filename*=UTF-8''");
      for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || (c < 0x80 && ATTR_CHAR.indexOf(c) >= 0)) {
          out.append((char) c);
        } else {
          out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      }
    }
    return out.toString();
  }
}
