package dev.mailcore;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Metadata of one attachment or inline part; the content is in the blob store's attachment
 * namespace under {@link #storageKey()} (read it with {@code mail.messages().attachment(id)}).
 * Immutable and thread-safe.
 *
 * @param id the attachment's id
 * @param filename the decoded filename (RFC 2231 / RFC 2047 applied); a generated name such as
 *     {@code attachment-1.bin} when the message gave none
 * @param contentType the MIME type, lower-case, without parameters (for example
 *     {@code application/pdf})
 * @param sizeBytes the decoded size
 * @param storageKey where the content is stored
 * @param contentId the Content-ID without angle brackets, for inline parts referenced from HTML
 * @param inline true when the part had {@code Content-Disposition: inline} (or a Content-ID and no
 *     disposition)
 */
public record EmailAttachment(
    UUID id,
    String filename,
    String contentType,
    long sizeBytes,
    String storageKey,
    Optional<String> contentId,
    boolean inline) {

  /** Checks the fields. */
  public EmailAttachment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(storageKey, "storageKey");
    Objects.requireNonNull(contentId, "contentId");
    if (sizeBytes < 0) {
      throw new ValidationException("sizeBytes", "must be >= 0, got " + sizeBytes);
    }
  }
}
