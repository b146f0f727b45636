package dev.mailcore.testkit.hostile;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A MIME message with one large base64 attachment of pseudo-random bytes, generated while it is
 * read: nothing of the attachment is ever held in memory. Records the SHA-256 of the decoded
 * attachment bytes and the total raw length. Not thread-safe.
 */
final class GeneratedAttachmentMessage extends InputStream {
  private static final int RAW_PER_LINE = 57;  // 76 base64 characters

  private final long attachmentBytes;
  private final SplittableRandom random;
  private final MessageDigest attachmentDigest;
  private final Base64.Encoder encoder = Base64.getEncoder();
  private final ByteArrayInputStream head;
  private final byte[] tail;
  private long generated;
  private byte[] line = new byte[0];
  private int linePos;
  private int tailPos;
  private long total;

  GeneratedAttachmentMessage(String messageId, long attachmentBytes, long seed) {
    this.attachmentBytes = attachmentBytes;
    this.random = new SplittableRandom(seed);
    try {
      this.attachmentDigest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String h = "From: Big Sender <big@example.com>\r\n"
        + "To: support@acme.test\r\n"
        + "Subject: The full dataset\r\n"
        + "Date: Mon, 5 Jan 2026 09:00:00 +0000\r\n"
        + "Message-ID: " + messageId + "\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"big-boundary\"\r\n\r\n"
        + "--big-boundary\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
        + "Dataset attached.\r\n"
        + "--big-boundary\r\n"
        + "Content-Type: application/octet-stream; name=\"dataset.bin\"\r\n"
        + "Content-Disposition: attachment; filename=\"dataset.bin\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n";
    this.head = new ByteArrayInputStream(h.getBytes(StandardCharsets.US_ASCII));
    this.tail = "--big-boundary--\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int n = head.read(b, off, len);
    if (n > 0) {
      total += n;
      return n;
    }
    int written = 0;
    while (written < len) {
      if (linePos == line.length) {
        if (!nextLine()) {
          break;
        }
      }
      int k = Math.min(len - written, line.length - linePos);
      System.arraycopy(line, linePos, b, off + written, k);
      linePos += k;
      written += k;
    }
    if (written < len && tailPos < tail.length) {
      int k = Math.min(len - written, tail.length - tailPos);
      System.arraycopy(tail, tailPos, b, off + written, k);
      tailPos += k;
      written += k;
    }
    if (written == 0) {
      return -1;
    }
    total += written;
    return written;
  }

  private boolean nextLine() {
    if (generated >= attachmentBytes) {
      return false;
    }
    int k = (int) Math.min(RAW_PER_LINE, attachmentBytes - generated);
    byte[] raw = new byte[k];
    for (int i = 0; i < k; i++) {
      raw[i] = (byte) random.nextInt(256);
    }
    attachmentDigest.update(raw);
    generated += k;
    byte[] enc = encoder.encode(raw);
    line = new byte[enc.length + 2];
    System.arraycopy(enc, 0, line, 0, enc.length);
    line[enc.length] = '\r';
    line[enc.length + 1] = '\n';
    linePos = 0;
    return true;
  }

  /** @return hex SHA-256 of the decoded attachment; call after the stream was read */
  String attachmentSha256() {
    return HexFormat.of().formatHex(attachmentDigest.digest());
  }

  /** @return how many raw message bytes were produced */
  long totalBytes() {
    return total;
  }
}
