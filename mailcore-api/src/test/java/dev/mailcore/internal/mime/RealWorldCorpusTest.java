package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the parser over the shared real-world corpus ({@code ../shared/fixtures/mime-corpus},
 * 252 messages from other parsers' test suites): every message parses (or fails only on a
 * documented limit), and the engine's quick header read agrees with the full parse on the
 * Message-ID and the To/Cc recipients. Field-by-field agreement with an independent parser is
 * measured by {@code benchmarks/.../fidelity/DifferentialCheck}, not here. Skipped, with the
 * path that was searched, in a checkout without the shared fixtures.
 */
class RealWorldCorpusTest {
  private final MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);
  private List<Path> files;

  @BeforeEach
  void locateFixtures() throws IOException {
    Path dir = MimeFixtures.dir("mime-corpus").orElse(null);
    Assumptions.assumeTrue(dir != null,
        "shared fixtures not present: " + MimeFixtures.whereLooked("mime-corpus"));
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
  }

  @Test
  void parse_whenAnyCorpusMessage_succeedsOrNamesALimit() throws IOException {
    assertThat(files).hasSizeGreaterThanOrEqualTo(250);
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      try {
        parser.parse(new ByteArrayInputStream(Files.readAllBytes(f)), new RecordingSink());
      } catch (MimeParseException e) {
        if (!e.getMessage().contains("(limit Limits.")) {
          failures.add(f + ": " + e.getMessage());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void topHeader_whenAnyCorpusMessage_isToldOnceBeforeAnyPartAndAgreesWithTheResult()
      throws IOException {
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      List<HeaderSummary> told = new ArrayList<>();
      RecordingSink sink = new RecordingSink();
      ParsedMessage m;
      try {
        m = parser.parse(new ByteArrayInputStream(raw), h -> {
          assertThat(sink.infos).as(f + ": parts read before the header was told").isEmpty();
          told.add(h);
        }, sink);
      } catch (MimeParseException e) {
        continue; // a limit; the test above checks that nothing else fails
      }
      assertThat(told).as(f.toString()).hasSize(1);
      HeaderSummary h = told.get(0);
      List<EmailAddress> toAndCc = new ArrayList<>(m.to());
      toAndCc.addAll(m.cc());
      assertThat(h.messageId()).as(f.toString()).isEqualTo(m.messageId());
      assertThat(h.recipients()).as(f.toString()).isEqualTo(toAndCc);
    }
  }
}
