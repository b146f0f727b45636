package dev.mailcore;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads stored messages, their raw bytes and attachments. Obtain it from
 * {@link MailCore#messages()}. Thread-safe. Not meant to be implemented outside mailcore.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Messages {

  /**
   * Looks up a message by mailcore's id, whether or not its thread was deleted.
   *
   * @param id the message id ({@link EmailMessage#id()})
   * @return the message, if it exists
   */
  Optional<EmailMessage> get(UUID id);

  /**
   * Looks up the message an inbox holds under a Message-ID.
   *
   * @param inboxId the inbox
   * @param messageId the Message-ID
   * @return the message, if the inbox has it
   */
  Optional<EmailMessage> find(UUID inboxId, MessageId messageId);

  /**
   * Opens the raw RFC 5322 bytes of a message. The caller closes the stream.
   *
   * @param id the message id
   * @return the raw message
   * @throws NotFoundException if the message, or its raw blob, does not exist
   */
  InputStream raw(UUID id);

  /**
   * Opens one attachment's decoded content. The caller closes the stream.
   *
   * @param messageId the message id
   * @param attachmentId the attachment id ({@link EmailAttachment#id()})
   * @return the content
   * @throws NotFoundException if the message or attachment does not exist
   */
  InputStream attachment(UUID messageId, UUID attachmentId);

  /**
   * A URL from which a browser can download one attachment directly from the blob store until
   * it expires, so a host's UI serves attachments without proxying the bytes. The response
   * carries the attachment's content type and {@code Content-Disposition: attachment} with its
   * original filename (RFC 6266; non-ASCII names as an RFC 5987 {@code filename*}). Anyone who
   * holds the URL can use it until it expires: keep {@code validFor} short and hand it only to
   * the user who may see the message.
   *
   * <p>Needs a blob store that can presign, such as {@code S3BlobStore}; the S3 credentials'
   * own lifetime also bounds the URL's (temporary credentials expire sooner).
   *
   * @param messageId the message id
   * @param attachmentId the attachment id ({@link EmailAttachment#id()})
   * @param validFor how long the URL works; positive, at most 7 days (S3's limit)
   * @return the URL
   * @throws NotFoundException if the message or attachment does not exist
   * @throws ValidationException if {@code validFor} is not positive or longer than 7 days
   * @throws UnsupportedByStoreException if the configured blob store cannot make such URLs
   *     (in-memory, file system, PostgreSQL): stream {@link #attachment} instead
   * @throws StorageException if the blob store fails
   */
  URI attachmentUrl(UUID messageId, UUID attachmentId, Duration validFor);
}
