package dev.mailcore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stored message, inbound or outbound, with its envelope, bodies and attachment metadata.
 *
 * <p>{@link #id()} is mailcore's own id; the same email delivered to two inboxes is two
 * {@code EmailMessage}s with the same {@link #messageId()} and different ids. Immutable and
 * thread-safe.
 *
 * @param id mailcore's id of this stored message
 * @param messageId the RFC 5322 Message-ID (synthesized from a content hash when the message had
 *     none)
 * @param threadId the conversation it belongs to
 * @param inboxId the inbox that received or sent it
 * @param direction inbound or outbound
 * @param from the sender
 * @param to To recipients
 * @param cc Cc recipients
 * @param bcc Bcc recipients
 * @param replyTo the Reply-To addresses, in header order (empty when the message had none, and
 *     for messages stored before schema version 3, which did not keep them; stored as
 *     {@code message_recipients} rows of type {@code reply_to}, a deviation from the seed schema)
 * @param subject the subject as sent (decoded)
 * @param sentAt the Date header, or receipt time
 * @param inReplyTo the parent's Message-ID, if any
 * @param references the References chain, oldest first
 * @param bodyText the text/plain body, if any
 * @param bodyHtml the text/html body, if any
 * @param attachments attachment and inline-part metadata, in message order
 * @param rawStorageKey key of the raw RFC 5322 bytes in the blob store's raw namespace
 * @param providerMessageId the transport provider's id for outbound mail once sent (an SES
 *     message id, an SMTP queue id); kept in the seed's column {@code ses_message_id}
 * @param createdAt when mailcore stored it
 * @param verdicts the receiving service's spam, virus, SPF, DKIM and DMARC verdicts for inbound
 *     mail ({@link ReceiptVerdicts#NONE} for outbound mail, when none were given, and for
 *     messages stored before schema version 9; kept in {@code messages} columns of their own, a
 *     deviation from the seed schema, ADR 0018)
 */
public record EmailMessage(
    UUID id,
    MessageId messageId,
    ThreadId threadId,
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
    Optional<String> providerMessageId,
    Instant createdAt,
    ReceiptVerdicts verdicts) {

  /** Checks the fields and copies the lists. */
  public EmailMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    replyTo = List.copyOf(replyTo);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    references = List.copyOf(references);
    Objects.requireNonNull(bodyText, "bodyText");
    Objects.requireNonNull(bodyHtml, "bodyHtml");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(rawStorageKey, "rawStorageKey");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(verdicts, "verdicts");
  }

  /**
   * The headers of this message without bodies.
   *
   * @return the envelope
   */
  public EmailEnvelope envelope() {
    return new EmailEnvelope(messageId, from, to, cc, bcc, subject, sentAt, inReplyTo, references);
  }

  /**
   * A copy with a different provider id; used by the engine and adapters.
   *
   * @param newProviderMessageId the provider id
   * @return the copy
   */
  public EmailMessage withProviderMessageId(Optional<String> newProviderMessageId) {
    return new EmailMessage(id, messageId, threadId, inboxId, direction, from, to, cc, bcc,
        replyTo, subject, sentAt, inReplyTo, references, bodyText, bodyHtml, attachments,
        rawStorageKey, newProviderMessageId, createdAt, verdicts);
  }
}
