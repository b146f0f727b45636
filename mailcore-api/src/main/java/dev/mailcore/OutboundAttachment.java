package dev.mailcore;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A file to attach to an outgoing message, or an inline part (an image the HTML body shows
 * through {@code cid:}).
 *
 * <p>The content is read through {@link #content()}, which must return a fresh stream positioned
 * at the start on every call: mailcore may read it more than once (to store the raw message and
 * to hand it to the transport). {@link #sizeBytes()} is the decoded size, used to enforce the
 * attachment limit before anything is read. Create instances with {@link #of}, {@link #ofStream}
 * or {@link #inline}. Immutable and thread-safe as long as the supplier is.
 *
 * @param filename the file name shown to the recipient (non-ASCII is fine: it is sent with
 *     RFC 2231 encoding); not blank, no control characters
 * @param contentType the MIME type without parameters, for example {@code application/pdf};
 *     lower-cased on construction
 * @param content opens the content; each call returns a new stream from the start
 * @param sizeBytes the content's size in bytes
 * @param inline true to send the part with {@code Content-Disposition: inline}
 * @param contentId the Content-ID without angle brackets, by which the HTML body refers to an
 *     inline part ({@code <img src="cid:logo">} for {@code logo}); parts with a Content-ID are
 *     placed in a {@code multipart/related} next to the HTML body
 */
public record OutboundAttachment(
    String filename,
    String contentType,
    Supplier<InputStream> content,
    long sizeBytes,
    boolean inline,
    Optional<String> contentId) {

  /** Longest accepted file name, in characters. */
  public static final int MAX_FILENAME_LENGTH = 255;

  /**
   * Validates the fields.
   *
   * @throws ValidationException if the file name, content type, size or Content-ID is invalid
   */
  public OutboundAttachment {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(contentId, "contentId");
    if (filename.isBlank() || filename.length() > MAX_FILENAME_LENGTH) {
      throw new ValidationException("attachment.filename",
          "must be 1 to " + MAX_FILENAME_LENGTH + " characters, got '" + filename + "'");
    }
    if (filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ValidationException("attachment.filename",
          "must not contain control characters (CR, LF, tab, ...): '" + filename.strip() + "'");
    }
    contentType = contentType.strip().toLowerCase(Locale.ROOT);
    if (!contentType.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
      throw new ValidationException("attachment.contentType",
          "expected a MIME type such as application/pdf, without parameters, got '"
              + contentType + "'");
    }
    if (contentType.startsWith("multipart/")) {
      throw new ValidationException("attachment.contentType",
          "multipart types cannot be attached as files, got '" + contentType + "'");
    }
    if (sizeBytes < 0) {
      throw new ValidationException("attachment.sizeBytes", "must be >= 0, got " + sizeBytes);
    }
    contentId = contentId.map(OutboundAttachment::checkContentId);
  }

  /**
   * A regular attachment held in memory.
   *
   * @param filename the file name
   * @param contentType the MIME type, for example {@code application/pdf}
   * @param content the bytes (copied)
   * @return the attachment
   * @throws ValidationException if the file name or content type is invalid
   */
  public static OutboundAttachment of(String filename, String contentType, byte[] content) {
    byte[] copy = Objects.requireNonNull(content, "content").clone();
    return new OutboundAttachment(filename, contentType, () -> new ByteArrayInputStream(copy),
        copy.length, false, Optional.empty());
  }

  /**
   * A regular attachment read from a stream when the message is built, so large files need not
   * be held in memory by the caller.
   *
   * @param filename the file name
   * @param contentType the MIME type
   * @param content opens the content; must return a new stream from the start on every call
   * @param sizeBytes the exact size of the content in bytes
   * @return the attachment
   * @throws ValidationException if the file name, content type or size is invalid
   */
  public static OutboundAttachment ofStream(String filename, String contentType,
      Supplier<InputStream> content, long sizeBytes) {
    return new OutboundAttachment(filename, contentType, content, sizeBytes, false,
        Optional.empty());
  }

  /**
   * An inline part the HTML body refers to as {@code cid:<contentId>}.
   *
   * @param filename the file name
   * @param contentType the MIME type, for example {@code image/png}
   * @param content the bytes (copied)
   * @param contentId the Content-ID without angle brackets, for example {@code logo@example}
   * @return the attachment
   * @throws ValidationException if a value is invalid
   */
  public static OutboundAttachment inline(String filename, String contentType, byte[] content,
      String contentId) {
    byte[] copy = Objects.requireNonNull(content, "content").clone();
    return new OutboundAttachment(filename, contentType, () -> new ByteArrayInputStream(copy),
        copy.length, true, Optional.of(Objects.requireNonNull(contentId, "contentId")));
  }

  private static String checkContentId(String raw) {
    String id = raw.strip();
    if (id.startsWith("<") && id.endsWith(">") && id.length() >= 2) {
      id = id.substring(1, id.length() - 1);
    }
    if (id.isEmpty() || id.length() > 250
        || id.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"')) {
      throw new ValidationException("attachment.contentId",
          "expected printable ASCII without spaces, quotes or angle brackets (for example"
              + " logo@example), got '" + raw + "'");
    }
    return id;
  }
}
