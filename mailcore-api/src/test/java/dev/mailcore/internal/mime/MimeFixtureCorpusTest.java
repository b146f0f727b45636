package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the parser over the shared third-party corpus ({@code ../shared/fixtures/mime}): every
 * file parses, and selected files give the known right answers. Skipped, with the path that
 * was searched, in a checkout without the shared fixtures.
 */
class MimeFixtureCorpusTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);
  private Path dir;

  @BeforeEach
  void locateFixtures() {
    dir = MimeFixtures.mimeDir().orElse(null);
    Assumptions.assumeTrue(dir != null,
        "shared fixtures not present: " + MimeFixtures.whereLooked());
  }

  private ParsedMessage parse(String name, RecordingSink sink) throws Exception {
    try (InputStream in = Files.newInputStream(dir.resolve(name))) {
      return parser.parse(in, sink);
    }
  }

  private ParsedMessage parse(String name) throws Exception {
    return parse(name, new RecordingSink());
  }

  @Test
  void parse_whenAnyCorpusFile_succeeds() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    for (Path f : files) {
      assertThatCode(() -> parse(f.getFileName().toString()))
          .as(f.getFileName().toString()).doesNotThrowAnyException();
    }
  }

  @Test
  void parse_whenRfc2231Utf8Filename_decodesIt() throws Exception {
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse("mime4j-mimetools-attachment-filename-encoding-UTF8.msg", sink);
    assertThat(m.bodyText()).contains("Attachment Test\n");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("attachment.\u00e4\u00f6\u00fc"));
    assertThat(sink.text(0)).isEqualTo("Test\n");
  }

  @Test
  void parse_whenRfc2231Latin1Filename_decodesIt() throws Exception {
    ParsedMessage m = parse("mime4j-mimetools-attachment-filename-encoding-Latin1.msg");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("attachment.\u00e4\u00f6\u00fc"));
  }

  @Test
  void parse_whenEncodedWordsInIso8859AndAscii_decodesSubjectAndNames() throws Exception {
    ParsedMessage m = parse("mime4j-mimetools-intl.msg");
    assertThat(m.subject())
        .contains("If you can read this you understand the example... so, cool!");
    assertThat(m.from()).contains(EmailAddress.of("Keith Moore", "moore@cs.utk.edu"));
    assertThat(m.to()).containsExactly(EmailAddress.of("Keld J\u00f8rn Simonsen", "keld@dkuug.dk"));
    assertThat(m.bcc()).containsExactly(
        EmailAddress.of("Patrik F\u00e4ltstr\u00f6m", "paf@nada.kth.se"));
  }

  @Test
  void parse_whenKoi8rEncodedWordInsideParameter_decodesFilename() throws Exception {
    ParsedMessage m = parse("mime4j-russian-headers.msg");
    assertThat(m.subject()).contains("A simple subject");
    assertThat(m.attachments()).singleElement().satisfies(
        a -> assertThat(a.info().filename()).isEqualTo("\u0421\u043f\u0438\u0441\u043e\u043a.doc"));
  }

  @Test
  void parse_whenEvilPathFilename_keepsOnlyTheLastComponent() throws Exception {
    ParsedMessage m = parse("mime4j-mimetools-multi-2evil.msg");
    assertThat(m.attachments()).hasSize(2);
    assertThat(m.attachments().get(0).info().filename()).isEqualTo("3d-compress.gif");
    assertThat(m.attachments()).allSatisfy(a -> assertThat(a.info().filename())
        .doesNotContain("/").doesNotContain("\\"));
  }

  @Test
  void parse_whenObsoleteHeaderSyntax_readsSubjectAndIgnoresBadDate() throws Exception {
    ParsedMessage m = parse("mime4j-obsolete.msg");
    assertThat(m.subject()).hasValueSatisfying(s -> assertThat(s)
        .startsWith("The obsolete syntax allow spaces before the colon")
        .endsWith("and also empty lines in folding."));
    assertThat(m.date()).isEmpty();
  }

  @Test
  void parse_whenSimpleAttachment_storesItWithItsSize() throws Exception {
    ParsedMessage m = parse("mime4j-simple-attachment.msg");
    assertThat(m.date()).contains(Instant.parse("2007-04-27T14:08:23Z"));
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).startsWith("Body."));
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.info().filename()).isEqualTo("data.bin");
      assertThat(a.stored().sizeBytes()).isEqualTo(1024);
    });
  }

  @Test
  void parse_whenBase64EncodedNestedMessage_storesDecodedEml() throws Exception {
    RecordingSink sink = new RecordingSink();
    ParsedMessage m = parse("mime4j-base64encoded-rfc822message-nested.msg", sink);
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("attachment-1.eml"));
    assertThat(sink.text(0)).contains("Content-Type: message/rfc822");
  }

  @Test
  void parse_whenDigest_storesEachMessageAsEml() throws Exception {
    ParsedMessage m = parse("python-msg_02.txt");
    assertThat(m.subject()).contains("Ppp digest, Vol 1 #2 - 5 msgs");
    assertThat(m.attachments()).filteredOn(a -> a.info().contentType().equals("message/rfc822"))
        .hasSize(5);
  }

  @Test
  void parse_whenSignedWithFoldedInReplyTo_keepsSignatureAndId() throws Exception {
    ParsedMessage m = parse("python-msg_48.txt");
    assertThat(m.inReplyTo()).contains(new MessageId(
        "somelonglonglonglonglongunwrappablemessageidtoreplyto@mail.foo.bar"));
    assertThat(m.bodyText()).contains("This is the signed contents.\n");
    assertThat(m.attachments()).singleElement()
        .satisfies(a -> assertThat(a.info().filename()).isEqualTo("signature.asc"));
  }

  @Test
  void parse_whenNoBlankLineAfterHeaders_keepsBody() throws Exception {
    ParsedMessage m = parse("python-msg_35.txt");
    assertThat(m.subject()).contains("here's something interesting");
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("counter to RFC 5322"));
  }

  @Test
  void parse_whenMalformedHeaderStartsBody_keepsItInTheBody() throws Exception {
    ParsedMessage m = parse("mime4j-malformedHeader-nocrlfcrlf.msg");
    assertThat(m.subject()).contains("this is a subject");
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("Body text"));
  }

  @Test
  void parse_whenGermanQuotedPrintable_decodesUmlauts() throws Exception {
    ParsedMessage m = parse("mime4j-mimetools-german-qp.msg");
    assertThat(m.from()).contains(EmailAddress.of("J\u00f6rn Reder", "joern@zyn.de"));
    assertThat(m.bodyText()).hasValueSatisfying(
        t -> assertThat(t).contains("S\u00f6nderz\u00e4ichen"));
  }

  @Test
  void parse_whenOnlyEmptyTextParts_hasNoBodiesAndNoAttachments() throws Exception {
    ParsedMessage m = parse("python-msg_12a.txt");
    assertThat(m.bodyText()).isEmpty();
    assertThat(m.bodyHtml()).isEmpty();
    assertThat(m.attachments()).isEmpty();
  }
}
