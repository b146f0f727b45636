package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inbound fidelity on the breakage real mail has (issue 11), with messages written here: the
 * header block and its reader, mbox lines, addresses, dates and legacy encodings.
 */
class MimeParserFidelityTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);
  private final RecordingSink sink = new RecordingSink();

  private ParsedMessage parse(byte[] raw) throws MimeParseException {
    return parser.parse(new ByteArrayInputStream(raw), sink);
  }

  private ParsedMessage parse(String raw) throws MimeParseException {
    return parse(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The top-level header as the parser tells it to its listener. */
  private HeaderSummary header(String raw) throws MimeParseException {
    List<HeaderSummary> told = new ArrayList<>();
    parser.parse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), told::add, sink);
    assertThat(told).hasSize(1);
    return told.get(0);
  }

  private static byte[] bytes(String ascii, byte[] middle, String rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(middle);
    out.writeBytes(rest.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  // --- one header reader: RFC 6532 names, groups, comments, unusable entries

  @Test
  void topHeader_whenRawUtf8NamesAndGroup_routesEveryAddressUncut() throws Exception {
    String raw = "To: Jörg Müller-Lüdenscheidt <joerg@acme.test>, Team: \"Ünal Çelik\""
        + " <team@acme.test>, ops@acme.test (Öps);\r\n"
        + "Cc: =?UTF-8?Q?Z=C3=BCrich?= <zurich@acme.test>\r\n"
        + "Message-ID: <utf8@example.com>\r\n\r\nbody\r\n";
    HeaderSummary h = header(raw);
    assertThat(h.recipients()).extracting(EmailAddress::address).containsExactly(
        "joerg@acme.test", "team@acme.test", "ops@acme.test", "zurich@acme.test");
    assertThat(h.unusableRecipients()).isEmpty();
    assertThat(h.messageId()).contains(new MessageId("utf8@example.com"));
    ParsedMessage m = parse(raw);
    assertThat(m.to()).containsExactly(EmailAddress.of("Jörg Müller-Lüdenscheidt",
        "joerg@acme.test"), EmailAddress.of("Ünal Çelik", "team@acme.test"),
        EmailAddress.of("Öps", "ops@acme.test"));
    assertThat(m.cc()).containsExactly(EmailAddress.of("Zürich", "zurich@acme.test"));
  }

  @Test
  void topHeader_whenEntryIsNoAddress_reportsItInsteadOfDroppingIt() throws Exception {
    HeaderSummary h = header("To: ann@acme.test, bob, \"Carl\" <carl@>, undisclosed:;"
        + " (no one)\r\n\r\nx\r\n");
    assertThat(h.recipients()).extracting(EmailAddress::address).containsExactly(
        "ann@acme.test");
    assertThat(h.unusableRecipients()).containsExactly("bob", "\"Carl\" <carl@>");
  }

  // --- the header block

  @Test
  void parse_whenHeaderEndsWithNonFieldLine_keepsFieldsBeforeAndEveryLineAfter()
      throws Exception {
    String raw = "Subject: kept\r\nTo: ann@acme.test\r\nnot a header line\r\n"
        + "Cc: bob@acme.test\r\nMessage-ID: <in-body@example.com>\r\n\r\nbody\r\n";
    ParsedMessage m = parse(raw);
    assertThat(m.subject()).contains("kept");
    assertThat(m.to()).containsExactly(EmailAddress.of("ann@acme.test"));
    assertThat(m.cc()).isEmpty();
    assertThat(m.bodyText()).contains("not a header line\r\nCc: bob@acme.test\r\n"
        + "Message-ID: <in-body@example.com>\r\n\r\nbody\r\n");
    // the quick read uses the same header block: no Message-ID taken from the body
    assertThat(m.messageId()).isEmpty();
    assertThat(header(raw).messageId()).isEmpty();
    assertThat(header(raw).recipients()).containsExactly(EmailAddress.of("ann@acme.test"));
  }

  @Test
  void parse_whenBoundaryFollowsHeaderWithoutBlankLine_parsesInsteadOfFailing()
      throws Exception {
    // mime4j's own "malformed header starts body" path threw IllegalStateException here
    String raw = "Content-Type: multipart/mixed; boundary=\"ab\"\r\nX-Note: 1\r\n--ab\r\n"
        + "Content-Type: text/plain\r\n\r\nhello\r\n--ab--\r\n";
    assertThat(parse(raw).bodyText()).hasValueSatisfying(t -> assertThat(t).contains("hello"));
  }

  @Test
  void parse_whenBrokenFoldInsideNestedPartHeader_parsesInsteadOfFailing() throws Exception {
    String raw = "Subject: nested\r\nContent-Type: multipart/mixed; boundary=\"a\"\r\n\r\n"
        + "--a\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\nMIME-Version: 1.0\r\n--b\r\n"
        + "Content-Type: text/plain\r\n\r\ninner\r\n--b--\r\n--a--\r\n";
    assertThat(parse(raw).subject()).contains("nested");
  }

  @Test
  void parse_whenPartHeaderRunsIntoItsBase64Body_keepsTheContent() throws Exception {
    String raw = "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        + "Content-Type: text/plain\r\n\r\ntext\r\n--b\r\n"
        + "Content-Type: application/zip; name=\"a.zip\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"a.zip\"\r\nAAECAwQ=\r\n--b--\r\n";
    ParsedMessage m = parse(raw);
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("a.zip");
      assertThat(a.stored().sizeBytes()).isEqualTo(5);
    });
  }

  @Test
  void parse_whenPartHasNoHeaderAndNoBlankLine_keepsItsFirstLine() throws Exception {
    String raw = "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        + "first line\r\nsecond: line\r\n--b--\r\n";
    assertThat(parse(raw).bodyText()).contains("first line\r\nsecond: line");
  }

  @Test
  void parse_whenMboxFromLineFirst_skipsItAndLeavesQuotedFromInBody() throws Exception {
    String raw = "From ann@acme.test Mon Jan  1 00:00:00 2024\n"
        + "From: Ann <ann@acme.test>\nTo: bob@acme.test\nSubject: saved mail\n\n"
        + ">From the start\nline\n";
    ParsedMessage m = parse(raw);
    assertThat(m.subject()).contains("saved mail");
    assertThat(m.from()).contains(EmailAddress.of("Ann", "ann@acme.test"));
    assertThat(m.bodyText()).contains(">From the start\nline\n");
    assertThat(header(raw).recipients()).containsExactly(EmailAddress.of("bob@acme.test"));
  }

  @Test
  void parse_whenObsoleteFromFieldWithSpaceBeforeColon_readsItAsAField() throws Exception {
    assertThat(parse("From : ann@acme.test\r\nSubject: s\r\n\r\nb\r\n").from())
        .contains(EmailAddress.of("ann@acme.test"));
  }

  // --- addresses

  @Test
  void parse_whenAtSignInUnquotedDisplayName_takesTheBracketedAddress() throws Exception {
    ParsedMessage m = parse("From: ann.lee@acme <ann@acme.test>\r\n"
        + "To: bob@acme.test <bob@acme.test>\r\n\r\nx\r\n");
    assertThat(m.from()).contains(EmailAddress.of("ann.lee@acme", "ann@acme.test"));
    assertThat(m.to()).extracting(EmailAddress::address).containsExactly("bob@acme.test");
  }

  @Test
  void parse_whenCommaMissingBetweenAddresses_keepsBoth() throws Exception {
    ParsedMessage m = parse("From: Ann <ann@acme.test> Bob <bob@acme.test>\r\n"
        + "To: carl@acme.test dora@acme.test\r\n\r\nx\r\n");
    assertThat(m.from()).contains(EmailAddress.of("Ann", "ann@acme.test"));
    assertThat(m.to()).extracting(EmailAddress::address)
        .containsExactly("carl@acme.test", "dora@acme.test");
  }

  @Test
  void parse_whenAddressesAreAmbiguous_keepsWhatIsThereWithoutInventing() throws Exception {
    ParsedMessage m = parse("To: ann@acme.test words bob@acme.test, eve . lee @ acme.test,"
        + " Carl Doe carl@acme.test\r\n\r\nx\r\n");
    assertThat(m.to()).containsExactly(EmailAddress.of("eve.lee@acme.test"),
        EmailAddress.of("Carl Doe", "carl@acme.test"));
  }

  @Test
  void emailAddressOf_whenAngleBracketOrSpace_refuses() {
    assertThatThrownBy(() -> EmailAddress.of("Name@Host<real@acme.test>"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("angle bracket");
    assertThatThrownBy(() -> EmailAddress.of("a b@acme.test"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> EmailAddress.of("ab@acme.test\u0007"))
        .isInstanceOf(ValidationException.class);
  }

  // --- dates

  @Test
  void parse_whenTimeOfDayImpossible_treatsDateAsMissing() throws Exception {
    assertThat(parse("Date: Wed, 15 Dec 2010 59:10 -0500\r\n\r\nx\r\n").date()).isEmpty();
    assertThat(parse("Date: Tue, 06 Jun 2017 27:39:33 +0600\r\n\r\nx\r\n").date()).isEmpty();
    assertThat(parse("Date: 32 Dec 2010 10:10 -0500\r\n\r\nx\r\n").date()).isEmpty();
    assertThat(parse("Date: Wed, 15 Dec 2010 9:10 EST\r\n\r\nx\r\n").date())
        .contains(Instant.parse("2010-12-15T14:10:00Z"));
  }

  // --- legacy encodings

  @Test
  void parse_whenRaw8BitInsideEncodedWord_decodesItLikeOther8BitHeaders() throws Exception {
    byte[] raw = bytes("Subject: =?iso-8859-1?Q?Die_Fr", new byte[] {(byte) 0xf6},
        "sche_=FCber?=\r\n\r\nx\r\n");
    assertThat(parse(raw).subject()).contains("Die Frösche über");
  }

  @Test
  void parse_whenUtf8HeaderHasOneBadByte_decodesTheRestAsUtf8() throws Exception {
    byte[] raw = bytes("Subject: ", concat("Grüße ".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xe9}, " 日本".getBytes(StandardCharsets.UTF_8)), "\r\n\r\nx\r\n");
    assertThat(parse(raw).subject()).contains("Grüße é 日本");
  }

  @Test
  void parse_whenUtf7HeaderAndBody_decodesThem() throws Exception {
    ParsedMessage m = parse("Subject: =?utf-7?Q?Die_Fr+APY-sche?=\r\n"
        + "Content-Type: text/plain; charset=utf-7\r\n\r\nklagten einst +APw-ber ihre Lage+ADs-\r\n");
    assertThat(m.subject()).contains("Die Frösche");
    assertThat(m.bodyText()).contains("klagten einst über ihre Lage;\r\n");
  }

  @Test
  void parse_whenUtf16Declared_honoursIt() throws Exception {
    String body = "Grüße aus Zürich";
    for (String cs : List.of("utf-16le", "utf-16be", "utf-16")) {
      byte[] encoded = body.getBytes(Charset.forName(cs));
      ParsedMessage m = parse("Content-Type: text/plain; charset=" + cs
          + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
          + Base64.getMimeEncoder().encodeToString(encoded) + "\r\n");
      assertThat(m.bodyText()).as(cs).contains(body);
    }
  }

  @Test
  void parse_whenUuencodedAttachmentPart_storesItDecodedWithItsName() throws Exception {
    String raw = "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        + "Content-Type: text/plain\r\n\r\nsee file\r\n--b\r\n"
        + "Content-Type: application/octet-stream; name=\"cat.txt\"\r\n"
        + "Content-Transfer-Encoding: x-uuencode\r\n\r\n"
        + uuencoded("cat.txt", "meow meow\n") + "--b--\r\n";
    ParsedMessage m = parse(raw);
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("cat.txt"));
    assertThat(sink.text(0)).isEqualTo("meow meow\n");
  }

  @Test
  void parse_whenUuencodedBlockInTextBody_movesItToANamedAttachment() throws Exception {
    String raw = "Subject: old style\r\n\r\nHere it is:\r\n\r\n"
        + uuencoded("notes.txt", "hello from 1995\n") + "\r\nbye\r\n";
    ParsedMessage m = parse(raw);
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("notes.txt");
      assertThat(a.info().contentType()).isEqualTo("text/plain");
    });
    assertThat(sink.text(0)).isEqualTo("hello from 1995\n");
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t)
        .contains("Here it is:").contains("bye").doesNotContain("begin 644"));
  }

  /** Uuencodes {@code text} (RFC-less but fixed format: 45 bytes per line, +32 offsets). */
  private static String uuencoded(String name, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    StringBuilder sb = new StringBuilder("begin 644 " + name + "\r\n");
    for (int off = 0; off < b.length; off += 45) {
      int n = Math.min(45, b.length - off);
      sb.append((char) (32 + n));
      for (int i = off; i < off + n; i += 3) {
        int c1 = b[i] & 0xff;
        int c2 = i + 1 < off + n ? b[i + 1] & 0xff : 0;
        int c3 = i + 2 < off + n ? b[i + 2] & 0xff : 0;
        sb.append(uu(c1 >> 2)).append(uu(((c1 << 4) | (c2 >> 4)) & 0x3f))
            .append(uu(((c2 << 2) | (c3 >> 6)) & 0x3f)).append(uu(c3 & 0x3f));
      }
      sb.append("\r\n");
    }
    return sb.append("`\r\nend\r\n").toString();
  }

  private static char uu(int v) {
    return v == 0 ? '`' : (char) (v + 32);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
