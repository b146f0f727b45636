package dev.mailcore.internal.engine;

import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A message on its way into an inbox, before threading has decided its thread: an
 * {@link EmailMessage} without a thread id (and without a provider id, which only a later send
 * sets). {@link MessageWriter} turns it into the stored message. Immutable and thread-safe.
 *
 * @param id mailcore's id the stored message will have
 * @param messageId the Message-ID
 * @param inboxId the inbox it goes into
 * @param direction inbound or outbound
 * @param from the sender
 * @param to To recipients
 * @param cc Cc recipients
 * @param bcc Bcc recipients
 * @param replyTo Reply-To addresses
 * @param subject the decoded subject
 * @param sentAt the Date header, or receipt time
 * @param inReplyTo the parent's Message-ID, if any
 * @param references the References chain, oldest first
 * @param bodyText the text/plain body, if any
 * @param bodyHtml the text/html body, if any
 * @param attachments attachment metadata, in message order
 * @param rawStorageKey key of the raw bytes in the blob store's raw namespace
 * @param createdAt when mailcore stores it
 * @param verdicts the receipt verdicts of inbound mail ({@link ReceiptVerdicts#NONE} otherwise)
 */
public record MessageDraft(
    UUID id,
    MessageId messageId,
    UUID inboxId,
    Direction direction,
    EmailAddress from,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    List<EmailAddress> bcc,
    List<EmailAddress> replyTo,
    String subject,
    Instant sentAt,
    Optional<MessageId> inReplyTo,
    List<MessageId> references,
    Optional<String> bodyText,
    Optional<String> bodyHtml,
    List<EmailAttachment> attachments,
    String rawStorageKey,
    Instant createdAt,
    ReceiptVerdicts verdicts) {

  /** Checks the fields that threading reads; {@link EmailMessage} checks the rest. */
  public MessageDraft {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    references = List.copyOf(references);
    Objects.requireNonNull(verdicts, "verdicts");
  }

  /**
   * A draft without receipt verdicts (outbound mail).
   *
   * @param id mailcore's id the stored message will have
   * @param messageId the Message-ID
   * @param inboxId the inbox it goes into
   * @param direction inbound or outbound
   * @param from the sender
   * @param to To recipients
   * @param cc Cc recipients
   * @param bcc Bcc recipients
   * @param replyTo Reply-To addresses
   * @param subject the decoded subject
   * @param sentAt the Date header, or receipt time
   * @param inReplyTo the parent's Message-ID, if any
   * @param references the References chain, oldest first
   * @param bodyText the text/plain body, if any
   * @param bodyHtml the text/html body, if any
   * @param attachments attachment metadata, in message order
   * @param rawStorageKey key of the raw bytes in the blob store's raw namespace
   * @param createdAt when mailcore stores it
   */
  public MessageDraft(UUID id, MessageId messageId, UUID inboxId, Direction direction,
      EmailAddress from, List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc,
      List<EmailAddress> replyTo, String subject, Instant sentAt, Optional<MessageId> inReplyTo,
      List<MessageId> references, Optional<String> bodyText, Optional<String> bodyHtml,
      List<EmailAttachment> attachments, String rawStorageKey, Instant createdAt) {
    this(id, messageId, inboxId, direction, from, to, cc, bcc, replyTo, subject, sentAt,
        inReplyTo, references, bodyText, bodyHtml, attachments, rawStorageKey, createdAt,
        ReceiptVerdicts.NONE);
  }

  /**
   * The stored message this draft becomes in {@code threadId}.
   *
   * @param threadId the thread threading chose
   * @return the message
   */
  public EmailMessage in(ThreadId threadId) {
    return new EmailMessage(id, messageId, threadId, inboxId, direction, from, to, cc, bcc,
        replyTo, subject, sentAt, inReplyTo, references, bodyText, bodyHtml, attachments,
        rawStorageKey, Optional.empty(), createdAt, verdicts);
  }
}
