package dev.mailcore.internal.mime;

import static dev.mailcore.internal.mime.MimeParserTest.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Broken, truncated, huge and hostile input: lenient where possible, clean limits otherwise. */
class MimeParserHostileInputTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);

  private ParsedMessage parse(byte[] raw) throws MimeParseException {
    return parser.parse(new ByteArrayInputStream(raw), new RecordingSink());
  }

  @Test
  void parse_whenTruncatedInsideAttachment_returnsWhatWasRead() throws Exception {
    String msg = """
        From: a@example.com
        Subject: cut off
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        body survives
        --b
        Content-Type: application/pdf; name=doc.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcfs
        """;
    byte[] raw = crlf(msg);
    byte[] cut = java.util.Arrays.copyOf(raw, raw.length - 5);
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parser.parse(new ByteArrayInputStream(cut), sink);
    assertThat(m.subject()).contains("cut off");
    assertThat(m.bodyText()).contains("body survives");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("doc.pdf"));
    assertThat(sink.text(0)).startsWith("%PDF-1.4");
  }

  @Test
  void parse_whenTruncatedInsideHeader_returnsHeadersRead() throws Exception {
    ParsedMessage m = parse("From: a@example.com\r\nSubject: hal".getBytes(StandardCharsets.UTF_8));
    assertThat(m.subject()).contains("hal");
    assertThat(m.from()).isPresent();
  }

  @Test
  void parse_whenBoundaryNeverCloses_keepsAllParts() throws Exception {
    String msg = """
        Content-Type: multipart/mixed; boundary=open

        --open
        Content-Type: text/plain

        first
        --open
        Content-Type: text/csv; name=data.csv

        a,b
        1,2
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parser.parse(new ByteArrayInputStream(crlf(msg)), sink);
    assertThat(m.bodyText()).contains("first");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("data.csv"));
    assertThat(sink.text(0)).startsWith("a,b\r\n1,2");
  }

  @Test
  void parse_whenBoundaryParameterMissing_treatsBodyAsText() throws Exception {
    String msg = """
        Content-Type: multipart/mixed

        --x
        Content-Type: text/plain

        hello
        --x--
        """;
    ParsedMessage m = parse(crlf(msg));
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("hello"));
  }

  @Test
  void parse_whenBoundaryNeverAppearsInBody_returnsNoBodyButNoError() throws Exception {
    ParsedMessage m = parse(crlf("""
        Content-Type: multipart/alternative; boundary="inner-boundary"

        AAA
        """));
    assertThat(m.attachments()).isEmpty();
  }

  @Test
  void parse_when1000NestedMultiparts_failsOnDepthLimit() {
    StringBuilder sb = new StringBuilder("Subject: deep\r\n");
    for (int i = 0; i < 1000; i++) {
      sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b")
          .append(i).append("\r\n");
    }
    sb.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
    for (int i = 999; i >= 0; i--) {
      sb.append("--b").append(i).append("--\r\n");
    }
    byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("nesting deeper than 32 levels")
        .hasMessageContaining("Limits.maxMimeDepth = 32");
  }

  @Test
  void parse_whenNestedMessagesExceedDepth_failsOnDepthLimit() {
    MimeParser shallow = new MimeParser(new ParseLimits(1 << 20, 1, 100, 4096, 100, 1 << 20));
    byte[] raw = crlf("""
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: message/rfc822

        Subject: inner

        x
        --b--
        """);
    assertThatThrownBy(() -> shallow.parse(new ByteArrayInputStream(raw), new RecordingSink()))
        .isInstanceOf(MimeParseException.class).hasMessageContaining("Limits.maxMimeDepth = 1");
  }

  @Test
  void parse_when8BitGarbageInHeaders_parsesTheRest() throws Exception {
    Random random = new Random(42);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes("From: Ann <ann@example.com>\r\nX-Garbage: ".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 300; i++) {
      int b = 0x80 + random.nextInt(0x80);
      out.write(b);
    }
    out.writeBytes("\r\nSubject: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 'o', 'k', (byte) 0xc3});
    out.writeBytes("\r\nTo: \u00ff\u00fe <\u00e9@\u00e9>, bob@example.com\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("\u00e9\u00e9\u00e9 no colon line\r\n\r\nbody\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    ParsedMessage m = parse(out.toByteArray());
    assertThat(m.from()).hasValueSatisfying(
        f -> assertThat(f.address()).isEqualTo("ann@example.com"));
    assertThat(m.subject()).hasValueSatisfying(s -> assertThat(s).contains("ok"));
    assertThat(m.to()).extracting(a -> a.address()).contains("bob@example.com");
  }

  @Test
  void parse_whenHeaderLineIsOneMegabyte_failsOnHeaderLimit() {
    byte[] raw = oneMegabyteSubject();
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("header field is longer than 65536 bytes")
        .hasMessageContaining("Limits.maxHeaderBytes = 65536");
  }

  @Test
  void parse_whenHeaderLimitRaised_acceptsOneMegabyteHeaderLine() throws Exception {
    MimeParser generous = new MimeParser(new ParseLimits(8 << 20, 8, 100, 2 << 20, 100, 1024));
    ParsedMessage m = generous.parse(new ByteArrayInputStream(oneMegabyteSubject()),
        new RecordingSink());
    assertThat(m.subject()).hasValueSatisfying(s -> assertThat(s).hasSize(1 << 20));
    assertThat(m.bodyText()).contains("body\r\n");
  }

  private static byte[] oneMegabyteSubject() {
    StringBuilder sb = new StringBuilder("From: a@example.com\r\nSubject: ");
    sb.append("x".repeat(1 << 20)).append("\r\n\r\nbody\r\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void parse_whenTooManyHeaderFields_failsOnHeaderCountLimit() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2001; i++) {
      sb.append("X-H").append(i).append(": v\r\n");
    }
    sb.append("\r\nbody\r\n");
    byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("more than 2000 header fields")
        .hasMessageContaining("maxHeaderCount = 2000");
  }

  @Test
  void parse_whenExactlyMaxHeaderFields_parses() throws Exception {
    StringBuilder sb = new StringBuilder("Subject: many\r\n");
    for (int i = 1; i < 2000; i++) {
      sb.append("X-H").append(i).append(": v\r\n");
    }
    sb.append("\r\nbody\r\n");
    assertThat(parse(sb.toString().getBytes(StandardCharsets.US_ASCII)).subject())
        .contains("many");
  }

  @Test
  void parse_when5000Parts_failsOnPartLimit() {
    byte[] raw = manyParts(5000);
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("more than 1000 MIME parts")
        .hasMessageContaining("maxParts = 1000");
  }

  @Test
  void parse_when5000PartsWithinRaisedLimit_storesEveryPart() throws Exception {
    MimeParser generous = new MimeParser(new ParseLimits(40 << 20, 8, 10_000, 4096, 100, 1024));
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = generous.parse(new ByteArrayInputStream(manyParts(5000)), sink);
    assertThat(m.bodyText()).contains("part 0");
    assertThat(m.attachments()).hasSize(4999);
    assertThat(m.attachments().get(4998).info().filename()).isEqualTo("attachment-4999.txt");
    assertThat(sink.text(4998)).isEqualTo("part 4999");
  }

  private static byte[] manyParts(int n) {
    StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=p\r\n\r\n");
    for (int i = 0; i < n; i++) {
      sb.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
    }
    sb.append("--p--\r\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void parse_whenMessageLargerThanLimit_failsOnSizeLimit() {
    MimeParser small = new MimeParser(new ParseLimits(100_000, 8, 100, 4096, 100, 1 << 20));
    InputStream big = new GeneratedMessageStream(200_000);
    assertThatThrownBy(() -> small.parse(big, new RecordingSink()))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("message larger than 100000 bytes")
        .hasMessageContaining("Limits.maxMessageBytes = 100000");
  }

  @Test
  void parse_whenSizeLimitHitInsideSinkThatWrapsErrors_stillReportsTheLimit() {
    MimeParser small = new MimeParser(new ParseLimits(100_000, 8, 100, 4096, 100, 1 << 20));
    AttachmentSink wrapping = (info, in) -> {
      try {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new IllegalStateException("storage failed", e);
      }
      return new StoredPart("k", 0);
    };
    assertThatThrownBy(() -> small.parse(new GeneratedMessageStream(200_000), wrapping))
        .isInstanceOf(MimeParseException.class).hasMessageContaining("maxMessageBytes");
  }

  @Test
  void parse_whenRawStreamFails_throwsUncheckedIoException() {
    InputStream failing = new SequenceInputStream(
        new ByteArrayInputStream("Subject: x\r\n".getBytes(StandardCharsets.US_ASCII)),
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        });
    assertThatThrownBy(() -> parser.parse(failing, new RecordingSink()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("connection reset");
  }

  @Test
  void parse_whenInputEmpty_returnsEmptyMessage() throws Exception {
    ParsedMessage m = parse(new byte[0]);
    assertThat(m.subject()).isEmpty();
    assertThat(m.attachments()).isEmpty();
  }

  @Test
  void parse_whenInputIsBinaryGarbage_parsesLeniently() throws Exception {
    byte[] garbage = new byte[20_000];
    new Random(7).nextBytes(garbage);
    ParsedMessage m = parse(garbage);
    assertThat(m.messageId()).isEmpty();
  }

  @Test
  void parse_when40MegabyteAttachment_streamsItWithFlatHeap() throws Exception {
    long size = 40_000_000L;
    MimeParser big = new MimeParser(new ParseLimits(100L << 20, 8, 100, 64 << 10, 100, 4 << 20));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    long[] growthDuringParse = new long[1];
    boolean[] sameBytes = {true};
    AttachmentSink counting = (info, in) -> {
      GeneratedMessageStream.Expected expected = new GeneratedMessageStream.Expected();
      byte[] buf = new byte[64 << 10];
      long n = 0;
      try {
        for (int r; (r = in.read(buf)) >= 0; ) {
          for (int i = 0; i < r; i++) {
            if ((buf[i] & 0xff) != expected.next()) {
              sameBytes[0] = false;
            }
          }
          n += r;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Measured while the parser is still inside the message: what it holds right now.
      System.gc();
      growthDuringParse[0] = memory.getHeapMemoryUsage().getUsed() - before;
      return new StoredPart("big", n);
    };
    ParsedMessage m = big.parse(new GeneratedMessageStream(size), counting);

    assertThat(m.bodyText()).contains("see attachment");
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("big.bin");
      assertThat(a.stored().sizeBytes()).isEqualTo(size);
    });
    assertThat(sameBytes[0]).as("decoded bytes equal the generated ones").isTrue();
    assertThat(growthDuringParse[0]).as("heap growth while parsing a 40 MB attachment")
        .isLessThan(16L << 20);
  }
}
