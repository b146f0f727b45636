package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Test;

/** The block decoders agree with the JDK and with mime4j's own decoders. */
class TransferDecodingTest {

  /** Hands out at most {@code chunk} bytes per read, as a network stream might. */
  private static InputStream trickle(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static byte[] readAll(InputStream in, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[readSize];
    for (int n; (n = in.read(buf, 0, readSize)) >= 0; ) {
      assertThat(n).as("read returns data or -1, never 0").isPositive();
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Test
  void base64_whenRandomDataAndOddChunking_matchesJdk() throws IOException {
    Random random = new Random(1);
    for (int round = 0; round < 300; round++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      String lineSep = random.nextBoolean() ? "\r\n" : "\n";
      byte[] encoded = Base64.getMimeEncoder(4 * (1 + random.nextInt(19)),
          lineSep.getBytes(StandardCharsets.US_ASCII)).encode(data);
      int chunk = 1 + random.nextInt(700);
      int readSize = 1 + random.nextInt(100);
      InputStream in = TransferDecoding.decoder("base64", trickle(encoded, chunk));
      assertThat(readAll(in, readSize)).as("round %d", round).isEqualTo(data);
    }
  }

  @Test
  void base64_whenGarbageAndMissingPadding_decodesWhatItCan() throws IOException {
    byte[] in = "SGVs\r\n bG8*gd29y#bGQ".getBytes(StandardCharsets.US_ASCII);
    assertThat(readAll(TransferDecoding.decoder("base64", new ByteArrayInputStream(in)), 64))
        .isEqualTo("Hello world".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void quotedPrintable_whenRandomText_matchesMime4j() throws IOException {
    Random random = new Random(2);
    String alphabet = "abc XYZ=\t09";
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(3000);
      for (int i = 0; i < len; i++) {
        int k = random.nextInt(10);
        if (k == 0) {
          sb.append('=').append(String.format("%02X", random.nextInt(256)));
        } else if (k == 1) {
          sb.append("=\r\n");
        } else if (k == 2) {
          sb.append("\r\n");
        } else if (k == 3) {
          sb.append("=\n"); // soft break with a bare LF
        } else {
          char c = alphabet.charAt(random.nextInt(alphabet.length()));
          sb.append(c == '=' ? "=3D" : String.valueOf(c));
        }
      }
      // mime4j strips trailing whitespace at line and input ends (transport padding); we keep
      // it, so the generated text has none there
      String text = sb.toString().replaceAll("[ \t]+(?=\r?\n|=\r?\n|$)", "");
      byte[] encoded = text.getBytes(StandardCharsets.US_ASCII);
      byte[] expected = readAll(new QuotedPrintableInputStream(
          new ByteArrayInputStream(encoded), DecodeMonitor.SILENT), 4096);
      int chunk = 1 + random.nextInt(50);
      byte[] actual = readAll(TransferDecoding.decoder("quoted-printable",
          trickle(encoded, chunk)), 1 + random.nextInt(64));
      assertThat(actual).as("round %d: %s", round, text).isEqualTo(expected);
    }
  }

  @Test
  void quotedPrintable_whenBareLineFeeds_keepsThemAsWritten() throws IOException {
    // mime4j rewrites hard LF breaks to CRLF; we keep line ends as sent, like 8bit parts.
    byte[] in = "a\nb=\nc".getBytes(StandardCharsets.US_ASCII);
    assertThat(readAll(TransferDecoding.decoder("quoted-printable",
        new ByteArrayInputStream(in)), 8)).isEqualTo("a\nbc".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void quotedPrintable_whenBrokenEscapes_keepsThemLiterally() throws IOException {
    byte[] in = "a=ZZb=4 c= \r\nd=".getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(readAll(TransferDecoding.decoder("quoted-printable",
        new ByteArrayInputStream(in)), 3), StandardCharsets.US_ASCII))
        .isEqualTo("a=ZZb=4 cd");
  }

  @Test
  void decoder_whenIdentityEncoding_returnsStreamItself() {
    InputStream in = new ByteArrayInputStream(new byte[0]);
    assertThat(TransferDecoding.decoder("7bit", in)).isSameAs(in);
    assertThat(TransferDecoding.decoder("binary", in)).isSameAs(in);
  }
}
