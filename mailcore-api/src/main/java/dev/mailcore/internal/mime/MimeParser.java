package dev.mailcore.internal.mime;

import java.io.InputStream;
import java.util.Objects;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Parses inbound RFC 5322 / MIME messages with Apache mime4j's streaming parser
 * ({@code MimeTokenStream}), in one pass and without building a DOM. Thread-safe: one instance
 * may parse many messages concurrently.
 *
 * <h2>What becomes what</h2>
 *
 * <ul>
 *   <li>Every leaf part is either a body or an attachment; nothing is silently dropped except
 *       empty parts that have no filename (blank alternatives, stray empty parts).
 *   <li>The first {@code text/plain} and the first {@code text/html} part that is not an
 *       attachment (no {@code attachment} disposition and no filename) become {@code bodyText}
 *       and {@code bodyHtml}, wherever they sit in the tree (typically inside
 *       {@code multipart/alternative}). An empty part never takes a body slot.
 *   <li>Later text parts of a kind already taken (Apple Mail's "text, image, more text", a
 *       second HTML alternative, {@code text/watch-html}, {@code text/calendar}) are stored as
 *       attachments (generated name {@code attachment-N.txt}/{@code .html}), so their content
 *       is not lost even though the raw message is kept anyway.
 *   <li>A body candidate larger than {@link ParseLimits#maxBodyBytes()} is stored as an
 *       attachment instead of becoming a String (the body slot then stays empty, so a later
 *       unrelated part is not promoted to body).
 *   <li>{@code message/rfc822} (and {@code message/global}) parts are stored whole, decoded, as
 *       {@code .eml} attachments; the parser does not descend into them. Such a part counts one
 *       level of nesting.
 *   <li>{@code inline} is true for disposition {@code inline}, or for a part with a Content-ID
 *       and no disposition (multipart/related images).
 * </ul>
 *
 * <h2>Headers</h2>
 *
 * Only the top-level header is read for message fields. Raw 8-bit header bytes are decoded as
 * UTF-8 when valid and as windows-1252 (ISO-8859-1's superset) otherwise, then RFC 2047 encoded
 * words are decoded leniently. A blank Subject is reported as absent. Message ids and addresses
 * that cannot be used are skipped rather than failing the message.
 *
 * <h2>Failures</h2>
 *
 * Limit violations throw {@link MimeParseException} naming the limit and its value. Structural
 * damage (unclosed or missing boundaries, truncated input, no header at all) is tolerated: the
 * result holds what could be read. mime4j never recurses, so deep nesting fails on
 * {@link ParseLimits#maxDepth()} rather than on the stack.
 */
public final class MimeParser {
  private final ParseLimits limits;
  private final MimeConfig config;

  /**
   * Creates a parser.
   *
   * @param limits the bounds to enforce
   */
  public MimeParser(ParseLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    // mime4j checks "length >= limit" on a buffer that still holds the CRLF, hence the slack.
    int headerLimit = (int) Math.min(Integer.MAX_VALUE, (long) limits.maxHeaderBytes() + 3);
    this.config = MimeConfig.custom()
        .setStrictParsing(false)
        // Only header lines go through mime4j's line reader (bodies are read in blocks), so the
        // line limit never rejects long body lines; it stops a huge header line early.
        .setMaxLineLen(headerLimit)
        .setMaxHeaderLen(headerLimit)
        .setMaxHeaderCount(limits.maxHeaderCount())
        .setMaxContentLen(-1)
        // HeaderRepair ends a header block before a line that is no field, and
        // LenientFieldBuilder skips any such line it missed: mime4j's own handling of it drops
        // a line and can throw (ADR 0013).
        .setMalformedHeaderStartsBody(false)
        .setCountLineNumbers(false)
        .build();
  }

  /**
   * Parses one message, streaming attachment contents to {@code sink}.
   *
   * @param raw the raw message; read to the end, not closed
   * @param sink where attachment contents go; its exceptions propagate unchanged
   * @return the parsed message
   * @throws MimeParseException if a limit is exceeded or mime4j fails on the input
   * @throws java.io.UncheckedIOException if reading {@code raw} itself fails
   */
  public ParsedMessage parse(InputStream raw, AttachmentSink sink) throws MimeParseException {
    return parse(raw, HeaderListener.IGNORE, sink);
  }

  /**
   * Parses one message, telling {@code onHeader} the top-level header's values (by the same
   * rules as the rest of the parse) before any body is read, and streaming attachment contents
   * to {@code sink}. One pass over the bytes.
   *
   * @param raw the raw message; read to the end, not closed
   * @param onHeader told the Message-ID and recipients once the header is read; its exceptions
   *     propagate unchanged
   * @param sink where attachment contents go; its exceptions propagate unchanged
   * @return the parsed message
   * @throws MimeParseException if a limit is exceeded or mime4j fails on the input
   * @throws java.io.UncheckedIOException if reading {@code raw} itself fails
   */
  public ParsedMessage parse(InputStream raw, HeaderListener onHeader, AttachmentSink sink)
      throws MimeParseException {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(onHeader, "onHeader");
    Objects.requireNonNull(sink, "sink");
    return new ParseRun(limits, config, raw, onHeader, sink).run();
  }
}
