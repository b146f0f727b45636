package dev.mailcore.internal.mime;

/** Strict UTF-8 validation without allocating a decoder. Stateless. */
final class Utf8 {
  private Utf8() {}

  /** Whether {@code b[from..to)} is well-formed UTF-8 (no overlongs, no surrogates). */
  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int len = sequenceLength(b, i, to);
      if (len == 0) {
        return false;
      }
      i += len;
    }
    return true;
  }

  /** The length of the well-formed UTF-8 sequence starting at {@code i}, or 0 if there is none. */
  static int sequenceLength(byte[] b, int i, int to) {
    int c = b[i] & 0xff;
    if (c < 0x80) {
      return 1;
    }
    int need;
    int min;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + need >= to) {
      return 0;
    }
    int cp = c & (0x3f >> need);
    for (int k = 1; k <= need; k++) {
      int cc = b[i + k] & 0xff;
      if ((cc & 0xc0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return 0;
    }
    return need + 1;
  }
}
