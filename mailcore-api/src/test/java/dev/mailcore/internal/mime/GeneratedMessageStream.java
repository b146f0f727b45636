package dev.mailcore.internal.mime;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message with one large base64 attachment, generated while it is read: the attachment's
 * bytes come from a fixed pseudo-random sequence, so no array of the attachment's size ever
 * exists. Not thread-safe.
 */
final class GeneratedMessageStream extends InputStream {
  private static final int RAW_PER_LINE = 57; // 76 base64 characters

  private final byte[] head;
  private final byte[] tail;
  private final long attachmentBytes;
  private long produced;
  private long seed = 0x9E3779B97F4A7C15L;
  private byte[] current;
  private int pos;
  private int phase; // 0 head, 1 body lines, 2 tail, 3 done
  private final byte[] rawLine = new byte[RAW_PER_LINE];
  private final Base64.Encoder encoder = Base64.getEncoder();

  GeneratedMessageStream(long attachmentBytes) {
    this.attachmentBytes = attachmentBytes;
    this.head = MimeParserTest.crlf("""
        From: Big Sender <big@example.com>
        To: ann@example.com
        Subject: the big one
        Content-Type: multipart/mixed; boundary=BIG

        --BIG
        Content-Type: text/plain

        see attachment
        --BIG
        Content-Type: application/octet-stream; name=big.bin
        Content-Disposition: attachment; filename=big.bin
        Content-Transfer-Encoding: base64

        """);
    this.tail = "\r\n--BIG--\r\n".getBytes(StandardCharsets.US_ASCII);
    this.current = head;
  }

  /** The i-th attachment byte, for checking what the sink received. */
  static final class Expected {
    private long seed = 0x9E3779B97F4A7C15L;

    int next() {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      return (int) (seed >>> 56) & 0xff;
    }
  }

  private int nextByte() {
    seed = seed * 6364136223846793005L + 1442695040888963407L;
    return (int) (seed >>> 56) & 0xff;
  }

  private boolean advance() {
    while (pos >= current.length) {
      if (phase == 0) {
        phase = 1;
      }
      if (phase == 1) {
        if (produced >= attachmentBytes) {
          phase = 2;
          current = tail;
          pos = 0;
          continue;
        }
        int n = (int) Math.min(RAW_PER_LINE, attachmentBytes - produced);
        for (int i = 0; i < n; i++) {
          rawLine[i] = (byte) nextByte();
        }
        produced += n;
        byte[] enc = encoder.encode(n == RAW_PER_LINE ? rawLine
            : java.util.Arrays.copyOf(rawLine, n));
        byte[] line = new byte[enc.length + 2];
        System.arraycopy(enc, 0, line, 0, enc.length);
        line[enc.length] = '\r';
        line[enc.length + 1] = '\n';
        current = line;
        pos = 0;
      } else if (phase == 2) {
        phase = 3;
        return false;
      } else {
        return false;
      }
    }
    return true;
  }

  @Override
  public int read() {
    if (!advance()) {
      return -1;
    }
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int total = 0;
    while (total < len && advance()) {
      int n = Math.min(len - total, current.length - pos);
      System.arraycopy(current, pos, b, off + total, n);
      pos += n;
      total += n;
    }
    return total == 0 ? -1 : total;
  }
}
