package dev.mailcore.internal.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;

/**
 * Finds where the top-level header block ends before mime4j reads it, so that the parse and the
 * engine's quick header read agree on one block, and mime4j never takes its "malformed header
 * starts the body" path (which drops the line after the bad one, and on some input throws
 * {@code IllegalStateException}; see ADR 0013). Also skips what precedes the header in saved
 * mail: a leading mbox {@code From } envelope line and a UTF-8 byte-order mark. Only the stream
 * given to mime4j changes; the caller's raw bytes stay as received. Stateless.
 *
 * <p>The header block ends at the first empty line, or at the first line that is neither a
 * header field ({@code name:} with a printable-ASCII name, optionally followed by whitespace
 * before the colon) nor a folded continuation; such a line starts the body, as in Python's
 * {@code email} package. An empty line is inserted before it for mime4j.
 */
final class HeaderBlock {
  /** Header bytes examined at most; a longer header is passed through for mime4j's limits. */
  private static final int MAX_SCAN = 1 << 20;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LF = {'\n'};

  private HeaderBlock() {}

  /**
   * The message as mime4j should read it: {@code in}'s bytes, with a leading mbox line or
   * byte-order mark skipped and an empty line before a header line that is no header field.
   *
   * @param in the raw message, positioned at its start; read further only as mime4j reads on
   * @return the stream to parse
   * @throws IOException if reading {@code in} fails
   */
  static InputStream normalized(InputStream in) throws IOException {
    byte[] data = new byte[4096];
    int n = 0;
    int start = -1;
    int lineStart = -1;
    boolean eof = false;
    for (;;) {
      if (!eof && n == data.length) {
        if (data.length >= MAX_SCAN) {
          return concat(List.of(new ByteArrayInputStream(data, Math.max(start, 0),
              n - Math.max(start, 0)), in));
        }
        data = Arrays.copyOf(data, data.length * 2);
      }
      if (!eof) {
        int r = in.read(data, n, data.length - n);
        if (r < 0) {
          eof = true;
        } else {
          n += r;
        }
      }
      if (start < 0) {
        if (n < 5 && !eof) {
          continue;
        }
        start = preambleEnd(data, n, eof);
        if (start < 0) {
          continue; // the mbox line is not complete yet
        }
        lineStart = start;
      }
      // Examine complete lines (and, at the end of input, the last incomplete one).
      for (;;) {
        int lf = indexOf(data, (byte) '\n', lineStart, n);
        if (lf < 0 && !eof) {
          break;
        }
        int lineEnd = lf < 0 ? n : lf + 1;
        if (lineEnd == lineStart) {
          return rest(data, start, n, n, null, in); // end of input
        }
        int contentEnd = lf < 0 ? n : (lf > lineStart && data[lf - 1] == '\r' ? lf - 1 : lf);
        if (contentEnd == lineStart) {
          return rest(data, start, n, n, null, in); // the empty line ending the header
        }
        byte first = data[lineStart];
        boolean continuation = lineStart > start && (first == ' ' || first == '\t');
        if (!continuation && !isField(data, lineStart, contentEnd)) {
          byte[] blank = lf > lineStart && data[lf - 1] == '\r' || lf < 0 ? CRLF : LF;
          return rest(data, start, lineStart, n, blank, in);
        }
        lineStart = lineEnd;
        if (lineStart >= n) {
          if (eof) {
            return rest(data, start, n, n, null, in);
          }
          break;
        }
      }
      if (eof) {
        return rest(data, start, n, n, null, in);
      }
    }
  }

  /**
   * Where the header starts: after a UTF-8 byte-order mark and a leading mbox {@code From }
   * line; -1 when the mbox line's end has not been read yet.
   */
  private static int preambleEnd(byte[] b, int n, boolean eof) {
    int i = 0;
    if (n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      i = 3;
    }
    if (isMboxLine(b, i, n)) {
      int lf = indexOf(b, (byte) '\n', i, n);
      if (lf < 0) {
        return eof ? n : -1;
      }
      return lf + 1;
    }
    return i;
  }

  /**
   * An mbox separator line, {@code From sender date}, as opposed to a From header field (even
   * in the obsolete form with whitespace before the colon).
   */
  static boolean isMboxLine(byte[] b, int from, int n) {
    if (n - from < 5 || b[from] != 'F' || b[from + 1] != 'r' || b[from + 2] != 'o'
        || b[from + 3] != 'm' || b[from + 4] != ' ') {
      return false;
    }
    int i = from + 5;
    while (i < n && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i < n && b[i] != ':';
  }

  /** A header field line: a non-empty printable-ASCII name, optional whitespace, a colon. */
  private static boolean isField(byte[] b, int from, int to) {
    int i = from;
    while (i < to && b[i] > 32 && b[i] < 127 && b[i] != ':') {
      i++;
    }
    if (i == from) {
      return false;
    }
    while (i < to && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i < to && b[i] == ':';
  }

  private static int indexOf(byte[] b, byte v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static InputStream rest(byte[] data, int start, int split, int n, byte[] insert,
      InputStream in) {
    if (insert == null) {
      return concat(List.of(new ByteArrayInputStream(data, start, n - start), in));
    }
    return concat(List.of(new ByteArrayInputStream(data, start, split - start),
        new ByteArrayInputStream(insert), new ByteArrayInputStream(data, split, n - split), in));
  }

  private static InputStream concat(List<InputStream> parts) {
    return new SequenceInputStream(new Vector<>(parts).elements());
  }
}
