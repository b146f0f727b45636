package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Realistic messages written for these tests: what the parser extracts from each. */
class MimeParserTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);

  static byte[] crlf(String text) {
    return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static String b64(byte[] bytes) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(bytes);
  }

  static String b64(String text, Charset cs) {
    return b64(text.getBytes(cs));
  }

  ParsedMessage parse(byte[] raw, RecordingSink sink) throws Exception {
    return parser.parse(new ByteArrayInputStream(raw), sink);
  }

  @Test
  void parse_whenGmailAlternative_extractsHeadersAndBothBodies() throws Exception {
    String msg = """
        MIME-Version: 1.0
        Date: Tue, 14 May 2024 09:31:07 +0200
        Message-ID: <CAF1x7Q2c+9mZ=abc@mail.gmail.com>
        Subject: =?UTF-8?Q?Caf=C3=A9_tomorrow=3F_=E2=98=95?=
        From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen.mueller@gmail.com>
        To: Ann Lee <ann@Example.COM>, "Lee, Bob" <bob@example.com>
        Cc: not an address, carol@example.org
        Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"

        --000000000000a1b2c3d4e5f6
        Content-Type: text/plain; charset="UTF-8"
        Content-Transfer-Encoding: quoted-printable

        Hi Ann,=20
        caf=C3=A9 at 10? Long line that is soft-=
        broken.
        --000000000000a1b2c3d4e5f6
        Content-Type: text/html; charset="UTF-8"
        Content-Transfer-Encoding: quoted-printable

        <div dir=3D"ltr">Hi Ann,<div>caf=C3=A9 at 10?</div></div>
        --000000000000a1b2c3d4e5f6--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);

    assertThat(m.messageId()).contains(new MessageId("CAF1x7Q2c+9mZ=abc@mail.gmail.com"));
    assertThat(m.subject()).contains("Café tomorrow? ☕");
    assertThat(m.from()).contains(EmailAddress.of("Jürgen Müller", "juergen.mueller@gmail.com"));
    assertThat(m.to()).containsExactly(EmailAddress.of("Ann Lee", "ann@example.com"),
        EmailAddress.of("Lee, Bob", "bob@example.com"));
    assertThat(m.cc()).containsExactly(EmailAddress.of("carol@example.org"));
    assertThat(m.date()).contains(Instant.parse("2024-05-14T07:31:07Z"));
    assertThat(m.bodyText()).contains("Hi Ann, \r\ncafé at 10? Long line that is soft-broken.");
    assertThat(m.bodyHtml()).contains("<div dir=\"ltr\">Hi Ann,<div>café at 10?</div></div>");
    assertThat(m.attachments()).isEmpty();
    assertThat(sink.infos).isEmpty();
  }

  @Test
  void parse_whenOutlookMixedWithAlternativeAndTnef_storesAttachmentsInOrder() throws Exception {
    byte[] pdf = "%PDF-1.4\n% fake but binary: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] tnef = {0x78, (byte) 0x9f, 0x3e, 0x22, 0x01, 0x00};
    String msg = """
        Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208::1)
         by AM0PR01MB5678.eurprd01.prod.exchangelabs.com with HTTPS; Mon, 3 Jun 2024 14:02:11 +0000
        From: "Smith, John" <John.Smith@contoso.com>
        To: "'Ann Lee'" <ann@example.com>
        Subject: RE: Q2 figures
        Thread-Topic: Q2 figures
        Thread-Index: AdqzYl2hJ3mPqVb5QxK1AbCdEfGhIj==
        Date: Mon, 3 Jun 2024 14:02:09 +0000
        Message-ID: <AM0PR01MB1234ABCD5678EF90@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
        In-Reply-To: <CAF1x7Q2c+9mZ=abc@mail.gmail.com>
        References: <first@mail.gmail.com> <CAF1x7Q2c+9mZ=abc@mail.gmail.com>
        Accept-Language: en-GB, en-US
        Content-Language: en-GB
        X-MS-Has-Attach: yes
        X-MS-TNEF-Correlator: <AM0PR01MB1234ABCD5678EF90@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
        Content-Type: multipart/mixed;
        \tboundary="_004_AM0PR01MB1234ABCD_"
        MIME-Version: 1.0

        --_004_AM0PR01MB1234ABCD_
        Content-Type: multipart/alternative;
        \tboundary="_000_AM0PR01MB1234ABCD_"

        --_000_AM0PR01MB1234ABCD_
        Content-Type: text/plain; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        Hi Ann =96 figures attached. =80 100k.
        --_000_AM0PR01MB1234ABCD_
        Content-Type: text/html; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Hi Ann =96 figures attached. =80 100k.</p></body></html>
        --_000_AM0PR01MB1234ABCD_--

        --_004_AM0PR01MB1234ABCD_
        Content-Type: application/pdf; name="Q2 figures.pdf"
        Content-Description: Q2 figures.pdf
        Content-Disposition: attachment; filename="Q2 figures.pdf"; size=38;
        \tcreation-date="Mon, 03 Jun 2024 14:01:50 GMT"
        Content-Transfer-Encoding: base64

        %s
        --_004_AM0PR01MB1234ABCD_
        Content-Type: application/ms-tnef; name="winmail.dat"
        Content-Transfer-Encoding: base64
        Content-Disposition: attachment; filename="winmail.dat"

        %s
        --_004_AM0PR01MB1234ABCD_--
        """.formatted(b64(pdf), b64(tnef));
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);

    assertThat(m.from()).contains(EmailAddress.of("Smith, John", "John.Smith@contoso.com"));
    assertThat(m.to()).containsExactly(EmailAddress.of("'Ann Lee'", "ann@example.com"));
    assertThat(m.inReplyTo()).contains(new MessageId("CAF1x7Q2c+9mZ=abc@mail.gmail.com"));
    assertThat(m.references()).containsExactly(new MessageId("first@mail.gmail.com"),
        new MessageId("CAF1x7Q2c+9mZ=abc@mail.gmail.com"));
    // iso-8859-1 is read as windows-1252: 0x96 is an en dash, 0x80 the euro sign.
    assertThat(m.bodyText()).contains("Hi Ann \u2013 figures attached. \u20ac 100k.");
    assertThat(m.bodyHtml()).hasValueSatisfying(h -> assertThat(h).contains("\u2013"));
    assertThat(m.attachments()).extracting(a -> a.info().filename())
        .containsExactly("Q2 figures.pdf", "winmail.dat");
    assertThat(m.attachments()).extracting(a -> a.info().contentType())
        .containsExactly("application/pdf", "application/ms-tnef");
    assertThat(m.attachments()).extracting(a -> a.info().index()).containsExactly(0, 1);
    assertThat(m.attachments()).allSatisfy(a -> assertThat(a.info().inline()).isFalse());
    assertThat(sink.contents.get(0)).isEqualTo(pdf);
    assertThat(sink.contents.get(1)).isEqualTo(tnef);
    assertThat(m.attachments().get(0).stored()).isEqualTo(new StoredPart("key-0", pdf.length));
  }

  @Test
  void parse_whenAppleMailRelatedInlineImage_marksInlineWithContentId() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    String msg = """
        From: Ann Lee <ann@example.com>
        Content-Type: multipart/alternative;
        \tboundary="Apple-Mail=_5F1D2E3C-1111-2222-3333-444455556666"
        Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
        Subject: Photo
        Date: Sat, 1 Jun 2024 18:20:00 -0700
        Message-Id: <3D2A1B0C-AAAA-BBBB-CCCC-DDDDEEEEFFFF@example.com>
        To: bob@example.com

        --Apple-Mail=_5F1D2E3C-1111-2222-3333-444455556666
        Content-Transfer-Encoding: 7bit
        Content-Type: text/plain;
        \tcharset=us-ascii

        Look at this:

        --Apple-Mail=_5F1D2E3C-1111-2222-3333-444455556666
        Content-Type: multipart/related;
        \ttype="text/html";
        \tboundary="Apple-Mail=_77777777-8888-9999-AAAA-BBBBCCCCDDDD"

        --Apple-Mail=_77777777-8888-9999-AAAA-BBBBCCCCDDDD
        Content-Transfer-Encoding: 7bit
        Content-Type: text/html;
        \tcharset=us-ascii

        <html><body>Look at this:<img src="cid:F0E1D2C3-B4A5@home"></body></html>
        --Apple-Mail=_77777777-8888-9999-AAAA-BBBBCCCCDDDD
        Content-Transfer-Encoding: base64
        Content-Disposition: inline;
        \tfilename=IMG_0042.png
        Content-Type: image/png;
        \tx-unix-mode=0644;
        \tname="IMG_0042.png"
        Content-Id: <F0E1D2C3-B4A5@home>

        %s
        --Apple-Mail=_77777777-8888-9999-AAAA-BBBBCCCCDDDD--

        --Apple-Mail=_5F1D2E3C-1111-2222-3333-444455556666--
        """.formatted(b64(png));
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);

    assertThat(m.date()).contains(Instant.parse("2024-06-02T01:20:00Z"));
    assertThat(m.bodyText()).contains("Look at this:\r\n");
    assertThat(m.bodyHtml()).hasValueSatisfying(h -> assertThat(h).contains("cid:F0E1D2C3"));
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("IMG_0042.png");
      assertThat(a.info().contentType()).isEqualTo("image/png");
      assertThat(a.info().contentId()).contains("F0E1D2C3-B4A5@home");
      assertThat(a.info().inline()).isTrue();
    });
    assertThat(sink.contents.get(0)).isEqualTo(png);
  }

  @Test
  void parse_whenContentIdWithoutDisposition_isInlineWithGeneratedName() throws Exception {
    String msg = """
        From: a@example.com
        Content-Type: multipart/related; boundary=rel

        --rel
        Content-Type: text/html

        <img src="cid:logo">
        --rel
        Content-Type: image/gif
        Content-ID: <logo>
        Content-Transfer-Encoding: base64

        R0lGODlhAQABAAAAACw=
        --rel--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("attachment-1.gif");
      assertThat(a.info().contentId()).contains("logo");
      assertThat(a.info().inline()).isTrue();
    });
  }

  @Test
  void parse_whenMailingListMessage_keepsListPrefixAndCleansReferences() throws Exception {
    String msg = """
        Return-Path: <dev-bounces+bob=example.com@lists.example.org>
        From: Carol <carol@example.org>
        To: dev@lists.example.org
        Subject: [dev] Re: Build broken on
         main again
        List-Id: Developer discussion <dev.lists.example.org>
        List-Unsubscribe: <mailto:dev-leave@lists.example.org>
        Precedence: list
        Message-ID: <87h6q0fixed.fsf@example.org>
        In-Reply-To: Your message of "Mon, 03 Jun 2024 10:00:00 +0000"
         <20240603100000.GA1234@host.example.net>
        References: <a1@example.net> garbage here (comment <x@y>)
         <20240603100000.GA1234@host.example.net>  <a1@example.net> <> <bad id@x>
        Reply-To: dev@lists.example.org
        Sender: dev-bounces@lists.example.org
        Date: Mon, 3 Jun 2024 12:00:00 EDT
        Content-Type: text/plain; charset=ISO-8859-1
        Content-Transfer-Encoding: 8bit

        """;
    byte[] head = crlf(msg);
    byte[] body = "Gr\u00fc\u00dfe aus K\u00f6ln\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] raw = new byte[head.length + body.length];
    System.arraycopy(head, 0, raw, 0, head.length);
    System.arraycopy(body, 0, raw, head.length, body.length);

    ParsedMessage m = parse(raw, new RecordingSink());

    assertThat(m.subject()).contains("[dev] Re: Build broken on main again");
    assertThat(m.inReplyTo())
        .contains(new MessageId("20240603100000.GA1234@host.example.net"));
    assertThat(m.references()).containsExactly(new MessageId("a1@example.net"),
        new MessageId("20240603100000.GA1234@host.example.net"));
    assertThat(m.replyTo()).containsExactly(EmailAddress.of("dev@lists.example.org"));
    assertThat(m.date()).contains(Instant.parse("2024-06-03T16:00:00Z"));
    assertThat(m.bodyText()).contains("Gr\u00fc\u00dfe aus K\u00f6ln\r\n");
  }

  @Test
  void parse_whenStrayOpeningBracketPrecedesId_keepsTheId() throws Exception {
    String msg = """
        From: a@example.com
        Message-ID: <m@example.com>
        References: <> <<broken <second@example.com> (phone) ,,, <
        In-Reply-To: <truncated@exa <parent@example.com>

        x
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.references()).containsExactly(new MessageId("second@example.com"));
    assertThat(m.inReplyTo()).contains(new MessageId("parent@example.com"));
  }

  @Test
  void parse_whenReferencesLackBrackets_acceptsBareIds() throws Exception {
    String msg = """
        From: a@example.com
        Message-ID: bare-id@example.com
        References: one@example.com,two@example.com one@example.com
        In-Reply-To: two@example.com

        x
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.messageId()).contains(new MessageId("bare-id@example.com"));
    assertThat(m.references()).containsExactly(new MessageId("one@example.com"),
        new MessageId("two@example.com"));
    assertThat(m.inReplyTo()).contains(new MessageId("two@example.com"));
  }

  @Test
  void parse_whenShiftJisSubjectAndBody_decodesBoth() throws Exception {
    Charset sjis = Charset.forName("Shift_JIS");
    String subject = "\u4f1a\u8b70\u306e\u4ef6"; // 会議の件
    String body = "\u660e\u65e5\u306e\u4f1a\u8b70\u306f10\u6642\u304b\u3089\u3067\u3059\u3002";
    String msg = """
        From: =?Shift_JIS?B?%s?= <tanaka@example.jp>
        Subject: =?Shift_JIS?B?%s?=
        Content-Type: text/plain; charset=Shift_JIS
        Content-Transfer-Encoding: base64

        %s
        """.formatted(b64("\u7530\u4e2d", sjis), b64(subject, sjis), b64(body, sjis));
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.subject()).contains(subject);
    assertThat(m.from()).contains(EmailAddress.of("\u7530\u4e2d", "tanaka@example.jp"));
    assertThat(m.bodyText()).contains(body);
  }

  @Test
  void parse_whenIso88591AndUtf8EncodedWordsMixed_decodesAndJoinsAdjacentWords()
      throws Exception {
    String msg = """
        From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>
        Subject: =?ISO-8859-1?Q?R=E9sum=E9?= =?UTF-8?B?IOKAlCBmaW5hbA==?=
         and plain
        """ + "\n" + "body\n";
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.subject()).contains("Résumé — final and plain");
    assertThat(m.from()).contains(EmailAddress.of("André Pirard", "pirard@example.be"));
  }

  @Test
  void parse_whenEncodedWordsAreBroken_keepsReadableText() throws Exception {
    String msg = """
        From: =?x-unknown?Q?Bob?= <bob@example.com>
        Subject: =?UTF-8?Q?unterminated word and =?UTF-8?X?bad_encoding?= and=?utf-8?q?_glued?=

        body
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.subject()).hasValueSatisfying(s -> {
      // mime4j pairs the first "=?" with the next "?=": the text stays readable, nothing throws
      assertThat(s).startsWith("unterminated word and").contains("bad").endsWith("and glued");
    });
    assertThat(m.from()).hasValueSatisfying(
        f -> assertThat(f.address()).isEqualTo("bob@example.com"));
  }

  @Test
  void parse_whenRawUtf8AndLatin1Headers_decodesEachCorrectly() throws Exception {
    byte[] utf8 = crlf("""
        From: Jürgen Müller <jm@example.de>
        Subject: Grüße – 你好

        body
        """);
    ParsedMessage m = parse(utf8, new RecordingSink());
    assertThat(m.subject()).contains("Grüße – 你好");
    assertThat(m.from()).contains(EmailAddress.of("Jürgen Müller", "jm@example.de"));

    byte[] latin1 = "From: J\u00fcrgen <jm@example.de>\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nx\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    ParsedMessage m2 = parse(latin1, new RecordingSink());
    assertThat(m2.subject()).contains("Grüße");
    assertThat(m2.from()).contains(EmailAddress.of("Jürgen", "jm@example.de"));
  }

  @Test
  void parse_whenRfc2231ContinuationFilename_joinsAndDecodesPieces() throws Exception {
    String msg = """
        From: a@example.com
        Content-Type: multipart/mixed; boundary=b1

        --b1
        Content-Type: text/plain

        see attached
        --b1
        Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
         name*=UTF-8''Angebot%20M%C3%BCller.docx
        Content-Disposition: attachment;
         filename*0*=UTF-8''Angebot%20f%C3%BCr%20;
         filename*1*=M%C3%BCller%20GmbH;
         filename*2=".docx"
        Content-Transfer-Encoding: base64

        UEsDBA==
        --b1
        Content-Type: application/octet-stream; name="=?UTF-8?B?w6RiYy50eHQ=?="
        Content-Disposition: attachment; filename="..\\\\..\\\\evil/..\\\\\u0007report.txt"

        payload
        --b1--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.bodyText()).contains("see attached");
    assertThat(m.attachments()).extracting(a -> a.info().filename())
        .containsExactly("Angebot für Müller GmbH.docx", "report.txt");
    assertThat(sink.contents.get(0)).containsExactly('P', 'K', 3, 4);
  }

  @Test
  void parse_whenNameOnlyEncodedWord_usesDecodedName() throws Exception {
    String msg = """
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: application/pdf; name="=?UTF-8?B?w6RiYy5wZGY=?="

        x
        --b--
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("äbc.pdf"));
  }

  @Test
  void parse_whenForwardedMessageRfc822_storesItWholeAsEml() throws Exception {
    String inner = """
        From: Dave <dave@example.net>
        Subject: Original
        Content-Type: multipart/mixed; boundary=inner

        --inner
        Content-Type: text/plain

        inner text
        --inner
        Content-Type: application/pdf; name=inner.pdf

        pdf
        --inner--
        """;
    String msg = """
        From: Ann <ann@example.com>
        Subject: Fwd: Original
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: text/plain

        see below
        --outer
        Content-Type: message/rfc822
        Content-Disposition: inline

        %s
        --outer--
        """.formatted(inner);
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.bodyText()).contains("see below");
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("attachment-1.eml");
      assertThat(a.info().contentType()).isEqualTo("message/rfc822");
    });
    assertThat(sink.text(0)).startsWith("From: Dave <dave@example.net>\r\n")
        .contains("inner text").contains("name=inner.pdf");
  }

  @Test
  void parse_whenSecondTextAndHtmlParts_storesThemAsAttachments() throws Exception {
    String msg = """
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: multipart/alternative; boundary=a

        --a
        Content-Type: text/plain

        first text
        --a
        Content-Type: text/html

        <p>first html</p>
        --a
        Content-Type: text/html

        <p>second html</p>
        --a--
        --m
        Content-Type: text/plain

        text after image
        --m
        Content-Type: text/plain

        --m--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.bodyText()).contains("first text");
    assertThat(m.bodyHtml()).contains("<p>first html</p>");
    assertThat(m.attachments()).extracting(a -> a.info().filename())
        .containsExactly("attachment-1.html", "attachment-2.txt");
    assertThat(sink.text(0)).isEqualTo("<p>second html</p>");
    assertThat(sink.text(1)).isEqualTo("text after image");
  }

  @Test
  void parse_whenTextPartIsAttachment_doesNotUseItAsBody() throws Exception {
    String msg = """
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: text/plain; name=notes.txt
        Content-Disposition: attachment

        attached notes
        --m
        Content-Type: text/plain

        real body
        --m--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.bodyText()).contains("real body");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("notes.txt"));
  }

  @Test
  void parse_whenCharsetUnknownOrInvalid_fallsBackWithoutThrowing() throws Exception {
    byte[] utf8 = crlf("""
        Content-Type: text/plain; charset="x-no-such-charset"

        caf\u00e9
        """);
    assertThat(parse(utf8, new RecordingSink()).bodyText()).contains("caf\u00e9\r\n");

    byte[] cp1252 = "Content-Type: text/html; charset=\"%%%\"\r\n\r\ncaf\u00e9 \u201cq\u201d"
        .getBytes(Charset.forName("windows-1252"));
    assertThat(parse(cp1252, new RecordingSink()).bodyHtml())
        .contains("caf\u00e9 \u201cq\u201d");
  }

  @Test
  void parse_whenTextBodyLargerThanLimit_storesItAsAttachment() throws Exception {
    MimeParser small = new MimeParser(new ParseLimits(1 << 20, 8, 100, 4096, 100, 16));
    String msg = """
        Content-Type: multipart/alternative; boundary=a

        --a
        Content-Type: text/plain; charset=utf-8

        this text is longer than sixteen bytes
        --a
        Content-Type: text/html

        <p>short</p>
        --a--
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = small.parse(new ByteArrayInputStream(crlf(msg)), sink);
    assertThat(m.bodyText()).isEmpty();
    assertThat(m.bodyHtml()).contains("<p>short</p>");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("attachment-1.txt"));
    assertThat(sink.text(0)).isEqualTo("this text is longer than sixteen bytes");
  }

  @Test
  void parse_whenTopLevelBodyIsNotText_storesItAsAttachment() throws Exception {
    String msg = """
        Subject: scan
        Content-Type: application/pdf; name="scan.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0=
        """;
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse(crlf(msg), sink);
    assertThat(m.bodyText()).isEmpty();
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("scan.pdf"));
    assertThat(sink.text(0)).isEqualTo("%PDF-");
  }

  @Test
  void parse_whenFromMissing_fallsBackToSender() throws Exception {
    String msg = """
        Sender: Robot <robot@example.com>
        Subject:  \t
        Date: not a date

        x
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.from()).contains(EmailAddress.of("Robot", "robot@example.com"));
    assertThat(m.subject()).isEmpty();
    assertThat(m.date()).isEmpty();
    assertThat(m.messageId()).isEmpty();
  }

  @Test
  void parse_whenGroupAndUndisclosedRecipients_expandsGroups() throws Exception {
    String msg = """
        To: undisclosed-recipients:;
        Cc: Team: ann@example.com, Bob <bob@example.com>;, eve@example.com
        Bcc: <>, @@, x@

        x
        """;
    ParsedMessage m = parse(crlf(msg), new RecordingSink());
    assertThat(m.to()).isEmpty();
    assertThat(m.cc()).extracting(EmailAddress::address)
        .containsExactly("ann@example.com", "bob@example.com", "eve@example.com");
    assertThat(m.bcc()).isEmpty();
  }

  @Test
  void parse_whenSinkThrows_propagatesSinksException() {
    String msg = """
        Content-Type: application/pdf

        x
        """;
    IllegalStateException boom = new IllegalStateException("bucket unavailable");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(
            new ByteArrayInputStream(crlf(msg)), (info, in) -> {
              throw boom;
            }))
        .isSameAs(boom);
  }

  // --- the header listener: one pass tells the top-level header before any part is read

  private static final byte[] WITH_ATTACHMENT = crlf("""
      Message-ID: <listen@example.com>
      To: ann@example.com
      Cc: bob@example.com
      Content-Type: multipart/mixed; boundary="b"

      --b
      Content-Type: text/plain

      hi
      --b
      Content-Type: application/pdf; name="a.pdf"
      Content-Transfer-Encoding: base64

      JVBERi0=
      --b--
      """);

  @Test
  void parse_whenListening_isToldTheHeaderOnceBeforeTheFirstPart() throws Exception {
    RecordingSink sink = new RecordingSink();
    List<HeaderSummary> told = new ArrayList<>();
    List<Integer> partsWhenTold = new ArrayList<>();

    ParsedMessage m = parser.parse(new ByteArrayInputStream(WITH_ATTACHMENT), h -> {
      told.add(h);
      partsWhenTold.add(sink.infos.size());
    }, sink);

    assertThat(told).hasSize(1);
    assertThat(partsWhenTold).containsExactly(0);
    assertThat(told.get(0).messageId()).contains(new MessageId("listen@example.com"));
    assertThat(told.get(0).recipients()).extracting(EmailAddress::address)
        .containsExactly("ann@example.com", "bob@example.com");
    assertThat(m.attachments()).hasSize(1);
  }

  @Test
  void parse_whenListenerThrows_stopsBeforeAnyPartWithTheListenersException() {
    RecordingSink sink = new RecordingSink();
    IllegalStateException failure = new IllegalStateException("blob store down");

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(WITH_ATTACHMENT), h -> {
      throw failure;
    }, sink)).isSameAs(failure);
    assertThat(sink.infos).isEmpty();
  }

  @Test
  void parse_whenHeaderNeverEnds_isToldAtTheEndOfTheInput() throws Exception {
    List<HeaderSummary> told = new ArrayList<>();

    parser.parse(new ByteArrayInputStream(crlf("Message-ID: <cut@example.com>\nTo: ann@example.com")),
        told::add, new RecordingSink());

    assertThat(told).singleElement().satisfies(h -> {
      assertThat(h.messageId()).contains(new MessageId("cut@example.com"));
      assertThat(h.recipients()).extracting(EmailAddress::address)
          .containsExactly("ann@example.com");
    });
  }

  @Test
  void parse_whenHeaderBreaksALimit_failsWithoutTellingTheListener() {
    List<HeaderSummary> told = new ArrayList<>();
    MimeParser small = new MimeParser(new ParseLimits(1 << 20, 10, 10, 100, 10, 1 << 20));

    assertThatThrownBy(() -> small.parse(new ByteArrayInputStream(crlf("X-Long: "
        + "a".repeat(200) + "\nMessage-ID: <x@example.com>\n\nbody\n")), told::add,
        new RecordingSink()))
        .isInstanceOf(MimeParseException.class)
        .hasMessageContaining("maxHeaderBytes");
    assertThat(told).isEmpty();
  }
}
