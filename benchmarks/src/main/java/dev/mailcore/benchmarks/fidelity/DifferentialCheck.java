package dev.mailcore.benchmarks.fidelity;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.internal.mime.MimeParseException;
import dev.mailcore.internal.mime.MimeParser;
import dev.mailcore.internal.mime.ParseLimits;
import dev.mailcore.internal.mime.ParsedAttachment;
import dev.mailcore.internal.mime.ParsedMessage;
import dev.mailcore.internal.mime.StoredPart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Differential check of inbound parse fidelity (issue 11): parses every message of the
 * third-party corpora ({@code mime-corpus/}, {@code mime/}, {@code threads/} under
 * {@code -Dfixtures}, default {@code ../shared/fixtures}) with mailcore's {@link MimeParser},
 * writes one JSON line per message to {@code -Dout} (default
 * {@code benchmarks/target/fidelity-mailcore.jsonl}), then runs
 * {@code benchmarks/fidelity/compare.py}, which parses the same files with Python's
 * {@code email} package ({@code policy.default}) and writes the per-field agreement to
 * {@code -Dresults} (default {@code benchmarks/results/fidelity.txt}).
 *
 * <p>Run from the project root after {@code mvn -B -o -pl benchmarks -am package -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.mailcore.benchmarks.fidelity.DifferentialCheck}.
 * Not a test: the other side is a Python program, and disagreements are for a person to judge.
 */
public final class DifferentialCheck {
  private static final List<String> CORPORA = List.of("mime-corpus", "mime", "threads");

  private DifferentialCheck() {}

  /**
   * Runs the check.
   *
   * @param args {@code [label]}: a label written into the results (for example "before")
   * @throws Exception if a file cannot be read or the Python side fails
   */
  public static void main(String[] args) throws Exception {
    Path fixtures = Paths.get(System.getProperty("fixtures", "../shared/fixtures"));
    Path out = Paths.get(System.getProperty("out", "benchmarks/target/fidelity-mailcore.jsonl"));
    Path results = Paths.get(System.getProperty("results", "benchmarks/results/fidelity.txt"));
    String label = args.length > 0 ? args[0] : "current";
    List<Path> files = new ArrayList<>();
    for (String corpus : CORPORA) {
      Path dir = fixtures.resolve(corpus);
      if (!Files.isDirectory(dir)) {
        System.err.println("skipping " + dir + ": not a directory");
        continue;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().endsWith(".md"))
            .sorted().forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no fixture messages under " + fixtures.toAbsolutePath()
          + "; pass -Dfixtures=/path/to/shared/fixtures");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    MimeParser parser = new MimeParser(ParseLimits.DEFAULTS);
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Path f : files) {
        w.write(line(fixtures.relativize(f).toString(), Files.readAllBytes(f), parser));
        w.write('\n');
      }
    }
    System.out.println(files.size() + " messages parsed by mailcore into " + out);
    Process py = new ProcessBuilder("python3", "benchmarks/fidelity/compare.py",
        "--fixtures", fixtures.toString(), "--mailcore", out.toString(),
        "--results", results.toString(), "--label", label).inheritIO().start();
    int rc = py.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("compare.py exited with " + rc);
    }
  }

  private static String line(String file, byte[] raw, MimeParser parser) {
    Json j = new Json();
    j.field("file", file);
    ParsedMessage m;
    try {
      m = parser.parse(new ByteArrayInputStream(raw), DifferentialCheck::drain);
    } catch (MimeParseException | RuntimeException e) {
      j.field("error", e.toString());
      return j.end();
    }
    j.field("subject", m.subject().orElse(null));
    j.address("from", m.from());
    j.addresses("to", m.to());
    j.addresses("cc", m.cc());
    j.field("date", m.date().map(d -> String.valueOf(d.getEpochSecond())).orElse(null));
    j.field("message-id", m.messageId().map(MessageId::value).orElse(null));
    j.field("in-reply-to", m.inReplyTo().map(MessageId::value).orElse(null));
    j.strings("references", m.references().stream().map(MessageId::value).toList());
    j.field("text", m.bodyText().orElse(null));
    j.field("html", m.bodyHtml().orElse(null));
    List<String> names = new ArrayList<>();
    List<String> sizes = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (ParsedAttachment a : m.attachments()) {
      types.add(a.info().contentType());
      String generatedPrefix = "attachment-" + (a.info().index() + 1) + ".";
      names.add(a.info().filename().startsWith(generatedPrefix) ? null : a.info().filename());
      sizes.add(String.valueOf(a.stored().sizeBytes()));
    }
    j.strings("attachment-names", names);
    j.strings("attachment-sizes", sizes);
    j.strings("attachment-types", types);
    return j.end();
  }

  private static StoredPart drain(dev.mailcore.internal.mime.PartInfo info, InputStream in) {
    try {
      return new StoredPart("check", in.transferTo(OutputStream.nullOutputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-line JSON object writer, enough for strings, nulls and string lists. */
  private static final class Json {
    private final StringBuilder sb = new StringBuilder("{");

    void field(String name, String value) {
      key(name);
      string(value);
    }

    void address(String name, Optional<EmailAddress> a) {
      key(name);
      if (a.isEmpty()) {
        sb.append("null");
      } else {
        pair(a.get());
      }
    }

    void addresses(String name, List<EmailAddress> list) {
      key(name);
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        pair(list.get(i));
      }
      sb.append(']');
    }

    void strings(String name, List<String> list) {
      key(name);
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        string(list.get(i));
      }
      sb.append(']');
    }

    private void pair(EmailAddress a) {
      sb.append('[');
      string(a.name().orElse(null));
      sb.append(',');
      string(a.address());
      sb.append(']');
    }

    private void key(String name) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(name);
      sb.append(':');
    }

    private void string(String s) {
      if (s == null) {
        sb.append("null");
        return;
      }
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      sb.append('"');
    }

    String end() {
      return sb.append('}').toString();
    }
  }
}
