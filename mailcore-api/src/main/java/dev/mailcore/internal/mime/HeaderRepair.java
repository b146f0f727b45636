package dev.mailcore.internal.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw message as mime4j should read it. Finds where each header block ends (the message's
 * own, and each body part's after a boundary line) and, when a block is ended by a line that is
 * neither a header field nor a folded continuation instead of by an empty line, hands mime4j an
 * empty line before it. That line then starts the body, as in Python's {@code email} package,
 * and mime4j never takes its own "malformed header starts body" path, which drops the line after
 * the bad one and on some input throws {@code IllegalStateException} (ADR 0013). Also skips what
 * precedes the header in saved mail: a UTF-8 byte-order mark and a leading mbox {@code From }
 * line. The caller's raw bytes are not changed (only this stream's view of them). Not
 * thread-safe: one per parse.
 *
 * <p>Boundaries are learnt from the Content-Type fields of the header blocks as they pass; a
 * line is a boundary line when it is {@code --boundary}, optionally followed by {@code --} or
 * whitespace. Lines are examined as they pass through a buffer (at most 16 KB); a longer line
 * is passed on in pieces (only its start matters).
 */
final class HeaderRepair extends InputStream {
  private static final int BUFFER = 16 << 10;
  /** Most messages are a few KB: the buffer starts small and grows to {@link #BUFFER}. */
  private static final int INITIAL_BUFFER = 4 << 10;
  private static final int MAX_CONTENT_TYPE = 16 << 10;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LF = {'\n'};
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] CONTENT_TYPE = "content-type".getBytes(StandardCharsets.US_ASCII);

  private final InputStream in;
  private byte[] buf;
  private final byte[] one = new byte[1];
  private int pos;
  private int safe;
  private int lim;
  private boolean eof;
  /** An empty line to hand out before {@code buf[insertAt]}, or null. */
  private byte[] insert;
  private int insertAt;
  private int insertPos;
  private boolean started;
  private boolean header = true;
  private boolean firstHeaderLine = true;
  private boolean lineStart = true;
  /** The Content-Type field body being collected, or null outside that field. */
  private StringBuilder contentType;
  /** One builder for every Content-Type field of the message. */
  private final StringBuilder contentTypeText = new StringBuilder(128);
  private final List<byte[]> boundaries = new ArrayList<>(2);

  HeaderRepair(InputStream in) {
    this(in, null);
  }

  /**
   * @param in the raw message
   * @param buffer a buffer to start with (its contents do not matter; at most 16 KB of it is
   *     used), or null for a new one
   */
  HeaderRepair(InputStream in, byte[] buffer) {
    this.in = in;
    this.buf = buffer != null && buffer.length >= INITIAL_BUFFER && buffer.length <= BUFFER
        ? buffer : new byte[INITIAL_BUFFER];
  }

  /** @return the buffer now in use (it may have grown), for the next parse */
  byte[] buffer() {
    return buf;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    for (;;) {
      if (insert != null && pos == insertAt) {
        int n = Math.min(len, insert.length - insertPos);
        System.arraycopy(insert, insertPos, b, off, n);
        insertPos += n;
        if (insertPos == insert.length) {
          insert = null;
        }
        return n;
      }
      int limit = insert != null ? insertAt : safe;
      if (pos < limit) {
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        // Hand out as many examined lines per call as fit: mime4j's reader compacts and refills
        // its buffer on every call, so one header line per call costs more than the repair.
        while (n < len && insert == null && advance(false) > 0) {
          int more = Math.min(len - n, safe - pos);
          if (insert != null) {
            more = Math.min(more, insertAt - pos);
          }
          System.arraycopy(buf, pos, b, off + n, more);
          pos += more;
          n += more;
        }
        return n;
      }
      if (advance(true) < 0) {
        return -1;
      }
    }
  }

  /**
   * Examines what follows: in a body, everything up to the next line that starts with
   * {@code -} (only a boundary line matters there); otherwise one line. False at the end of
   * input. Called only when everything examined has been handed out (pos == safe, no empty
   * line pending).
   *
   * @param mayRead whether the underlying stream may be read for more bytes
   * @return 1 when more was examined, -1 at the end of input, 0 when {@code mayRead} is false
   *     and nothing more can be examined without reading
   */
  private int advance(boolean mayRead) throws IOException {
    for (;;) {
      if (started && !header) {
        int before = safe;
        skipBody();
        if (safe > before) {
          return 1;
        }
      }
      int lf = indexOfLf(safe, lim);
      if (lf < 0 && !eof && !(pos == 0 && lim == BUFFER)) {
        if (!mayRead) {
          return 0;
        }
        if (pos == 0 && lim == buf.length) {
          buf = Arrays.copyOf(buf, Math.min(BUFFER, buf.length * 2));
        } else if (pos > 0) {
          System.arraycopy(buf, pos, buf, 0, lim - pos);
          lim -= pos;
          safe -= pos;
          pos = 0;
        }
        int r = in.read(buf, lim, buf.length - lim);
        if (r < 0) {
          eof = true;
        } else {
          lim += r;
        }
        continue;
      }
      if (safe == lim) {
        return mayRead ? -1 : 0;
      }
      int end = lf < 0 ? lim : lf + 1; // a line longer than the buffer: its first piece
      if (!started) {
        started = true;
        if (lim - safe >= 3 && (buf[safe] & 0xff) == 0xef && (buf[safe + 1] & 0xff) == 0xbb
            && (buf[safe + 2] & 0xff) == 0xbf) {
          safe += 3;
          pos = safe;
        }
        if (isMboxLine(buf, safe, end)) {
          safe = end;
          pos = safe;
          lineStart = lf >= 0;
          return 1;
        }
      }
      if (lineStart) {
        line(safe, end); // may set an empty line to go before this one
      }
      lineStart = lf >= 0;
      safe = end;
      return 1;
    }
  }

  /** In a body: moves {@code safe} to the next line start with a {@code -}, or to the end. */
  private void skipBody() {
    int from = safe;
    if (from == lim || (lineStart && buf[from] == '-')) {
      return;
    }
    for (int p = indexOf((byte) '-', from + 1, lim); p >= 0;
        p = indexOf((byte) '-', p + 1, lim)) {
      if (buf[p - 1] == '\n') {
        safe = p;
        lineStart = true;
        return;
      }
    }
    safe = lim;
    lineStart = buf[lim - 1] == '\n';
  }

  /**
   * Looks at one line; true (and the empty line set to go before it) when the line is no header
   * field although a header block is open. The line then counts as the first line of the body.
   */
  private boolean line(int from, int end) {
    int contentEnd = end;
    if (contentEnd > from && buf[contentEnd - 1] == '\n') {
      contentEnd--;
    }
    boolean crlf = contentEnd > from && buf[contentEnd - 1] == '\r' || contentEnd == end;
    if (contentEnd > from && buf[contentEnd - 1] == '\r') {
      contentEnd--;
    }
    if (header) {
      if (contentEnd == from) {
        endHeader();
        return false;
      }
      byte first = buf[from];
      if (!firstHeaderLine && (first == ' ' || first == '\t')) {
        appendContentType(from, contentEnd);
        return false;
      }
      int colon = fieldColon(buf, from, contentEnd);
      if (colon > 0) {
        finishField();
        firstHeaderLine = false;
        if (isContentType(from, colon)) {
          contentType = contentTypeText;
          contentType.setLength(0);
          appendContentType(colon + 1, contentEnd);
        }
        return false;
      }
      endHeader();
      boundaryLine(from, contentEnd);
      insert = crlf ? CRLF : LF;
      insertAt = from;
      insertPos = 0;
      return true;
    }
    boundaryLine(from, contentEnd);
    return false;
  }

  /** Opens a header block when the line is a (non-closing) delimiter of a known boundary. */
  private void boundaryLine(int from, int contentEnd) {
    if (contentEnd - from < 3 || buf[from] != '-' || buf[from + 1] != '-') {
      return;
    }
    for (byte[] b : boundaries) {
      int i = from + 2;
      if (contentEnd - i < b.length) {
        continue;
      }
      boolean same = true;
      for (int k = 0; k < b.length && same; k++) {
        same = buf[i + k] == b[k];
      }
      if (!same) {
        continue;
      }
      i += b.length;
      if (i + 1 < contentEnd && buf[i] == '-' && buf[i + 1] == '-') {
        return; // the closing delimiter: the epilogue follows, no header
      }
      while (i < contentEnd && (buf[i] == ' ' || buf[i] == '\t')) {
        i++;
      }
      if (i == contentEnd) {
        header = true;
        firstHeaderLine = true;
        return;
      }
    }
  }

  private void endHeader() {
    finishField();
    header = false;
  }

  private void appendContentType(int from, int to) {
    if (contentType != null && contentType.length() + (to - from) <= MAX_CONTENT_TYPE) {
      for (int i = from; i < to; i++) {
        contentType.append((char) (buf[i] & 0xff)); // ISO-8859-1, without a String per line
      }
    }
  }

  private void finishField() {
    if (contentType == null) {
      return;
    }
    String b = boundaryParam(contentType);
    contentType = null;
    if (b != null) {
      byte[] bytes = b.getBytes(StandardCharsets.ISO_8859_1);
      if (bytes.length > 0 && boundaries.stream().noneMatch(x -> Arrays.equals(x, bytes))) {
        boundaries.add(bytes);
      }
    }
  }

  /**
   * The first {@code boundary} parameter of a Content-Type field body: at its start or after a
   * {@code ;}, optional whitespace, {@code boundary} in any case, optional whitespace around
   * {@code =}, then a quoted string (without its quotes) or a run of characters other than
   * {@code ;} and whitespace (an unclosed quote included). Null when there is none. The same
   * reading as the regex
   * {@code (?i)(?:^|;)\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))}, without one per field.
   */
  static String boundaryParam(CharSequence s) {
    int start = 0; // just after the start or a ';'
    for (;;) {
      String value = boundaryAt(s, start);
      if (value != null) {
        return value;
      }
      int semi = indexOf(s, ';', start);
      if (semi < 0) {
        return null;
      }
      start = semi + 1;
    }
  }

  private static String boundaryAt(CharSequence s, int start) {
    int n = s.length();
    int i = skipSpace(s, start);
    if (i + 8 > n || !regionMatchesBoundary(s, i)) {
      return null;
    }
    i = skipSpace(s, i + 8);
    if (i >= n || s.charAt(i) != '=') {
      return null;
    }
    i = skipSpace(s, i + 1);
    if (i < n && s.charAt(i) == '"') {
      int close = indexOf(s, '"', i + 1);
      if (close >= 0) {
        return s.subSequence(i + 1, close).toString();
      }
    }
    int end = i;
    while (end < n && s.charAt(end) != ';' && !isRegexSpace(s.charAt(end))) {
      end++;
    }
    return end > i ? s.subSequence(i, end).toString() : null;
  }

  private static int indexOf(CharSequence s, char c, int from) {
    for (int i = from, n = s.length(); i < n; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static int skipSpace(CharSequence s, int from) {
    int i = from;
    while (i < s.length() && isRegexSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The characters of regex {@code \s}: space, tab, LF, VT, FF, CR. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  private static boolean regionMatchesBoundary(CharSequence s, int at) {
    String word = "boundary";
    for (int k = 0; k < 8; k++) {
      char c = s.charAt(at + k);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private boolean isContentType(int from, int colon) {
    int end = colon;
    while (end > from && (buf[end - 1] == ' ' || buf[end - 1] == '\t')) {
      end--;
    }
    if (end - from != CONTENT_TYPE.length) {
      return false;
    }
    for (int k = 0; k < CONTENT_TYPE.length; k++) {
      int c = buf[from + k];
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != CONTENT_TYPE[k]) {
        return false;
      }
    }
    return true;
  }

  private int indexOfLf(int from, int to) {
    return indexOf((byte) '\n', from, to);
  }

  /** The next {@code v} in {@code buf[from..to)}, eight bytes at a time (every byte passes). */
  private int indexOf(byte v, int from, int to) {
    long pattern = (v & 0xffL) * 0x0101010101010101L;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(buf, i) ^ pattern;
      long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == v) {
        return i;
      }
    }
    return -1;
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

  /**
   * The colon's index when the line is a header field (a non-empty printable-ASCII name,
   * optional whitespace, a colon), else -1.
   */
  private static int fieldColon(byte[] b, int from, int to) {
    int i = from;
    while (i < to && b[i] > 32 && b[i] < 127 && b[i] != ':') {
      i++;
    }
    if (i == from) {
      return -1;
    }
    while (i < to && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i < to && b[i] == ':' ? i : -1;
  }

  @Override
  public void close() {
    // The caller owns the raw stream.
  }
}
