package dev.mailcore;

import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads stored messages, their raw bytes and attachments. Obtain it from
 * {@link MailCore#messages()}. Thread-safe. Not meant to be implemented outside mailcore.
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
}
