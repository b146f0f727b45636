package dev.mailcore.internal.mime;

import java.io.InputStream;
import java.util.Objects;

/**
 * Parses inbound RFC 5322 / MIME messages with Apache mime4j's streaming parser. Thread-safe:
 * one instance may parse many messages concurrently.
 */
public final class MimeParser {
  private final ParseLimits limits;

  /**
   * Creates a parser.
   *
   * @param limits the bounds to enforce
   */
  public MimeParser(ParseLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses one message, streaming attachment contents to {@code sink}.
   *
   * @param raw the raw message; read to the end, not closed
   * @param sink where attachment contents go
   * @return the parsed message
   * @throws MimeParseException if a limit is exceeded or the input is not a message at all
   */
  public ParsedMessage parse(InputStream raw, AttachmentSink sink) throws MimeParseException {
    throw new UnsupportedOperationException("not implemented yet: " + limits);
  }
}
