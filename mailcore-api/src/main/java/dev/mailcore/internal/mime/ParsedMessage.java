package dev.mailcore.internal.mime;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of parsing one inbound message. Every field is decoded (RFC 2047, charsets).
 * Fields the message lacked, or that were unparseable, are empty rather than failing the parse.
 *
 * @param messageId the Message-ID header, if present and usable
 * @param from the first From address (falling back to Sender), if parseable
 * @param to To addresses that parsed (unparseable entries are skipped)
 * @param cc Cc addresses that parsed
 * @param bcc Bcc addresses that parsed (rarely present on inbound mail)
 * @param replyTo Reply-To addresses that parsed
 * @param subject the decoded Subject, if present
 * @param date the Date header, if parseable
 * @param inReplyTo the first usable id of In-Reply-To
 * @param references the usable ids of References, oldest first, duplicates removed
 * @param bodyText the first text/plain part that is not an attachment, decoded to a String
 * @param bodyHtml the first text/html part that is not an attachment, decoded to a String
 * @param attachments the attachments and inline parts, in message order
 */
public record ParsedMessage(
    Optional<MessageId> messageId,
    Optional<EmailAddress> from,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    List<EmailAddress> bcc,
    List<EmailAddress> replyTo,
    Optional<String> subject,
    Optional<Instant> date,
    Optional<MessageId> inReplyTo,
    List<MessageId> references,
    Optional<String> bodyText,
    Optional<String> bodyHtml,
    List<ParsedAttachment> attachments) {}
