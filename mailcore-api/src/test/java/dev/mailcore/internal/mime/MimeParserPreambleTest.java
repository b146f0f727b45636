package dev.mailcore.internal.mime;

import static dev.mailcore.internal.mime.MimeParserTest.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class MimeParserPreambleTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);

  private ParsedMessage parse(String text) throws MimeParseException {
    return parser.parse(new ByteArrayInputStream(crlf(text)), new RecordingSink());
  }

  @Test
  void parse_whenBoundaryNeverAppears_keepsTheContentAsTextBody() throws MimeParseException {
    ParsedMessage m = parse("""
        From: a@example.com
        Subject: lost boundary
        Content-Type: multipart/alternative; boundary="never-used"

        Please call me back about the contract.
        Thanks, Ann
        """);

    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t)
        .contains("Please call me back about the contract.").contains("Thanks, Ann"));
    assertThat(m.attachments()).isEmpty();
  }

  @Test
  void parse_whenPartsExist_ignoresTheBoilerplatePreamble() throws MimeParseException {
    ParsedMessage m = parse("""
        From: a@example.com
        Subject: normal
        Content-Type: multipart/mixed; boundary="b1"

        This is a multi-part message in MIME format.
        --b1
        Content-Type: text/plain

        real body
        --b1--
        """);

    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t.strip()).isEqualTo("real body"));
  }
}
