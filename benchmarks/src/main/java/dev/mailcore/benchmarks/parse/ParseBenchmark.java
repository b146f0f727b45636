package dev.mailcore.benchmarks.parse;

import dev.mailcore.internal.mime.AttachmentSink;
import dev.mailcore.internal.mime.MimeParseException;
import dev.mailcore.internal.mime.MimeParser;
import dev.mailcore.internal.mime.ParseLimits;
import dev.mailcore.internal.mime.ParsedMessage;
import dev.mailcore.internal.mime.StoredPart;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The inbound parse step against the two libraries it could have been built on, on the same
 * bytes in the same run: mailcore's {@link MimeParser} (attachments drained to nowhere), Apache
 * mime4j's DOM ({@code DefaultMessageBuilder.parseMessage}, then every body read; a second
 * variant also reads the header values mailcore extracts), and a jakarta.mail
 * {@code MimeMessage} full traversal ({@code getContent} recursively, every part read).
 * Throughput in messages per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {

  /** Which message: the ~5 KB alternative, or the same with a 100 KB attachment. */
  @Param({"alternative5k", "attachment100k"})
  public String message;

  private byte[] raw;
  private MimeParser parser;
  private AttachmentSink drain;
  private DefaultMessageBuilder domBuilder;
  private Session session;
  private final byte[] scratch = new byte[8192];
  private final char[] chars = new char[8192];

  /** Builds the message and the parsers once; checks that every path sees the same parts. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    raw = message.equals("alternative5k") ? ParseCorpus.alternative()
        : ParseCorpus.withAttachment();
    parser = new MimeParser(ParseLimits.DEFAULTS);
    drain = (info, in) -> new StoredPart("bench", drainStream(in));
    domBuilder = new DefaultMessageBuilder();
    session = Session.getInstance(new Properties());
    ParsedMessage check = mailcore();
    if (check.bodyText().isEmpty() || check.bodyHtml().isEmpty() || check.subject().isEmpty()
        || check.attachments().size() != (message.equals("alternative5k") ? 0 : 1)) {
      throw new IllegalStateException("benchmark message did not parse as expected: " + check);
    }
  }

  /** mailcore's streaming parse. */
  @Benchmark
  public ParsedMessage mailcore() throws MimeParseException {
    return parser.parse(new ByteArrayInputStream(raw), drain);
  }

  /** mime4j DOM: parse, then read every body (text to String, binary drained). */
  @Benchmark
  public void mime4jDom(Blackhole bh) throws IOException {
    Message m = domBuilder.parseMessage(new ByteArrayInputStream(raw));
    touch(m, bh);
    m.dispose();
  }

  /** mime4j DOM as above, plus the header values mailcore's parse produces. */
  @Benchmark
  public void mime4jDomWithHeaders(Blackhole bh) throws IOException {
    Message m = domBuilder.parseMessage(new ByteArrayInputStream(raw));
    bh.consume(m.getSubject());
    bh.consume(m.getFrom());
    bh.consume(m.getTo());
    bh.consume(m.getCc());
    bh.consume(m.getDate());
    bh.consume(m.getMessageId());
    bh.consume(m.getHeader().getField("In-Reply-To"));
    bh.consume(m.getHeader().getField("References"));
    touch(m, bh);
    m.dispose();
  }

  /** jakarta.mail (Angus): MimeMessage, getContent recursively, every part read. */
  @Benchmark
  public void jakartaMimeMessage(Blackhole bh) throws MessagingException, IOException {
    MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(raw));
    bh.consume(m.getSubject());
    bh.consume(m.getFrom());
    bh.consume(m.getRecipients(jakarta.mail.Message.RecipientType.TO));
    bh.consume(m.getRecipients(jakarta.mail.Message.RecipientType.CC));
    bh.consume(m.getSentDate());
    bh.consume(m.getMessageID());
    traverse(m, bh);
  }

  private void traverse(Part p, Blackhole bh) throws MessagingException, IOException {
    Object content = p.getContent();
    if (content instanceof Multipart) {
      Multipart mp = (Multipart) content;
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart bp = mp.getBodyPart(i);
        bh.consume(bp.getFileName());
        traverse(bp, bh);
      }
    } else if (content instanceof InputStream) {
      bh.consume(drainStream((InputStream) content));
    } else if (content instanceof Part) {
      traverse((Part) content, bh);
    } else {
      bh.consume(content);
    }
  }

  private void touch(Entity e, Blackhole bh) throws IOException {
    Body body = e.getBody();
    if (body instanceof org.apache.james.mime4j.dom.Multipart) {
      for (Entity child : ((org.apache.james.mime4j.dom.Multipart) body).getBodyParts()) {
        bh.consume(child.getFilename());
        touch(child, bh);
      }
    } else if (body instanceof Message) {
      touch((Message) body, bh);
    } else if (body instanceof TextBody) {
      StringBuilder sb = new StringBuilder();
      try (Reader r = ((TextBody) body).getReader()) {
        for (int n; (n = r.read(chars)) >= 0; ) {
          sb.append(chars, 0, n);
        }
      }
      bh.consume(sb.toString());
    } else if (body instanceof BinaryBody) {
      try (InputStream in = ((BinaryBody) body).getInputStream()) {
        bh.consume(drainStream(in));
      }
    }
  }

  private long drainStream(InputStream in) {
    long n = 0;
    try {
      for (int r; (r = in.read(scratch)) >= 0; ) {
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
