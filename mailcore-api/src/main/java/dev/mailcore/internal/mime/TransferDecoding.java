package dev.mailcore.internal.mime;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.angus.mail.util.UUDecoderStream;

/**
 * Content-Transfer-Encoding decoders that work on blocks instead of bytes. They replace mime4j's
 * Base64InputStream / QuotedPrintableInputStream, which decode a byte at a time and were the
 * largest single cost of a parse. Both are lenient the way mime4j is in non-strict mode: bytes
 * that do not belong are skipped (base64) or kept literally (quoted-printable), and nothing
 * throws except the underlying stream. Not thread-safe.
 */
final class TransferDecoding {
  private TransferDecoding() {}

  /** Wraps {@code in} for the given (lower-case) transfer encoding. */
  static InputStream decoder(String transferEncoding, InputStream in) {
    return decoder(transferEncoding, in, new byte[INPUT_BUFFER]);
  }

  /**
   * As {@link #decoder(String, InputStream)}, decoding through {@code scratch} (at least
   * {@link #INPUT_BUFFER} bytes), which the caller may reuse once this decoder is finished.
   */
  static InputStream decoder(String transferEncoding, InputStream in, byte[] scratch) {
    if ("base64".equals(transferEncoding)) {
      return new Base64Decoder(in, scratch);
    }
    if ("quoted-printable".equals(transferEncoding)) {
      return new QuotedPrintableDecoder(in, scratch);
    }
    if (isUuencode(transferEncoding)) {
      return uudecoder(in);
    }
    return in;
  }

  /** Whether a Content-Transfer-Encoding names uuencode (not in RFC 2045, but sent). */
  static boolean isUuencode(String transferEncoding) {
    return "x-uuencode".equals(transferEncoding) || "uuencode".equals(transferEncoding)
        || "x-uue".equals(transferEncoding);
  }

  /**
   * A uudecoder (Angus Mail's): lenient about bad lines and a missing begin/end line, as the
   * other decoders are about their input.
   */
  static UUDecoderStream uudecoder(InputStream in) {
    return new UUDecoderStream(in, true, true);
  }

  /** Size of a decoder's input buffer. */
  static final int INPUT_BUFFER = 8192;

  private abstract static class BlockDecoder extends InputStream {
    final InputStream in;
    final byte[] input;
    int inPos;
    int inLen;
    boolean eof;

    BlockDecoder(InputStream in, byte[] input) {
      this.in = in;
      this.input = input;
    }

    /** Makes at least {@code need} unread input bytes available unless the input ends. */
    final void fill(int need) throws IOException {
      if (inLen - inPos >= need || eof) {
        return;
      }
      if (inPos > 0) {
        System.arraycopy(input, inPos, input, 0, inLen - inPos);
        inLen -= inPos;
        inPos = 0;
      }
      while (inLen < need && !eof) {
        int n = in.read(input, inLen, input.length - inLen);
        if (n < 0) {
          eof = true;
        } else {
          inLen += n;
        }
      }
    }

    @Override
    public final int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** Lenient streaming base64: skips non-alphabet bytes, stops at padding. */
  static final class Base64Decoder extends BlockDecoder {
    private static final byte[] TABLE = new byte[256];

    static {
      java.util.Arrays.fill(TABLE, (byte) -1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (int i = 0; i < alphabet.length(); i++) {
        TABLE[alphabet.charAt(i)] = (byte) i;
      }
      TABLE['='] = -2;
    }

    private int bits;
    private int sextets;
    private final byte[] pending = new byte[3];
    private int pendingPos;
    private int pendingLen;
    private boolean done;

    Base64Decoder(InputStream in, byte[] input) {
      super(in, input);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int o = off;
      int end = off + len;
      while (pendingPos < pendingLen && o < end) {
        b[o++] = pending[pendingPos++];
      }
      while (o < end && !done) {
        if (inPos >= inLen) {
          fill(1);
          if (inPos >= inLen) {
            finish();
            break;
          }
        }
        byte[] src = input;
        int i = inPos;
        int limit = inLen;
        int acc = bits;
        int n = sextets;
        // fast loop: whole output triples while there is room for them
        while (i < limit && o <= end - 3) {
          int v = TABLE[src[i++] & 0xff];
          if (v < 0) {
            if (v == -2) {
              done = true;
              break;
            }
            continue;
          }
          acc = (acc << 6) | v;
          if (++n == 4) {
            b[o++] = (byte) (acc >> 16);
            b[o++] = (byte) (acc >> 8);
            b[o++] = (byte) acc;
            acc = 0;
            n = 0;
          }
        }
        // slow path near the end of the caller's buffer
        while (i < limit && o < end && !done) {
          int v = TABLE[src[i++] & 0xff];
          if (v < 0) {
            if (v == -2) {
              done = true;
            }
            continue;
          }
          acc = (acc << 6) | v;
          if (++n == 4) {
            pending[0] = (byte) (acc >> 16);
            pending[1] = (byte) (acc >> 8);
            pending[2] = (byte) acc;
            pendingPos = 0;
            pendingLen = 3;
            acc = 0;
            n = 0;
            while (pendingPos < pendingLen && o < end) {
              b[o++] = pending[pendingPos++];
            }
          }
        }
        inPos = i;
        bits = acc;
        sextets = n;
        if (done) {
          finish();
        }
      }
      while (pendingPos < pendingLen && o < end) {
        b[o++] = pending[pendingPos++];
      }
      return o == off ? -1 : o - off;
    }

    /** Emits what a partial final quantum holds (2 sextets = 1 byte, 3 = 2 bytes). */
    private void finish() {
      done = true;
      int n = sextets;
      sextets = 0;
      if (n < 2) {
        return;
      }
      int acc = bits << (6 * (4 - n));
      int count = n - 1;
      byte[] extra = {(byte) (acc >> 16), (byte) (acc >> 8)};
      byte[] merged = new byte[pendingLen - pendingPos + count];
      System.arraycopy(pending, pendingPos, merged, 0, pendingLen - pendingPos);
      System.arraycopy(extra, 0, merged, pendingLen - pendingPos, count);
      System.arraycopy(merged, 0, pending, 0, merged.length);
      pendingPos = 0;
      pendingLen = merged.length;
      bits = 0;
    }
  }

  /** Lenient streaming quoted-printable: soft breaks removed, bad escapes kept literally. */
  static final class QuotedPrintableDecoder extends BlockDecoder {
    QuotedPrintableDecoder(InputStream in, byte[] input) {
      super(in, input);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int o = off;
      int end = off + len;
      while (o < end) {
        if (inLen - inPos < 3) {
          fill(3);
          if (inPos >= inLen) {
            break;
          }
        }
        byte[] src = input;
        int i = inPos;
        // Stop 2 bytes early so an escape's lookahead never crosses the buffer end.
        int safe = eof ? inLen : inLen - 2;
        while (i < safe && o < end) {
          // copy the run up to the next '=' in one go
          int stop = Math.min(safe, i + (end - o));
          int run = i;
          while (run < stop && src[run] != '=') {
            run++;
          }
          if (run > i) {
            System.arraycopy(src, i, b, o, run - i);
            o += run - i;
            i = run;
            continue;
          }
          if (i + 1 >= inLen) { // "=" at the very end of the input
            i++;
            break;
          }
          byte c1 = src[i + 1];
          if (c1 == '\n') {
            i += 2;
            continue;
          }
          if (c1 == '\r') {
            i += (i + 2 < inLen && src[i + 2] == '\n') ? 3 : 2;
            continue;
          }
          int hi = i + 2 < inLen ? hex(c1) : -1;
          int lo = hi >= 0 ? hex(src[i + 2]) : -1;
          if (lo >= 0) {
            b[o++] = (byte) ((hi << 4) | lo);
            i += 3;
          } else if (c1 == ' ' || c1 == '\t') {
            // "=" followed by trailing whitespace, then a line break: a soft break
            int j = i + 1;
            while (j < inLen && (src[j] == ' ' || src[j] == '\t')) {
              j++;
            }
            if (j < inLen && (src[j] == '\r' || src[j] == '\n')) {
              i = j + ((src[j] == '\r' && j + 1 < inLen && src[j + 1] == '\n') ? 2 : 1);
            } else {
              b[o++] = '=';
              i++;
            }
          } else {
            b[o++] = '=';
            i++;
          }
        }
        inPos = i;
        if (eof && inPos >= inLen) {
          break;
        }
      }
      // The loop only stops without output at the end of the input.
      return o == off ? -1 : o - off;
    }

    private static int hex(byte c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      return -1;
    }
  }
}
