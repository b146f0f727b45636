package dev.mailcore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The headers and routing information of a message, without bodies. Immutable and thread-safe.
 *
 * @param messageId the Message-ID
 * @param from the sender
 * @param to To recipients
 * @param cc Cc recipients
 * @param bcc Bcc recipients (known for outbound mail and for inbound envelope recipients only)
 * @param subject the subject as sent, decoded; empty when the message had none
 * @param sentAt the Date header, or the time mailcore received the message when absent or
 *     unparseable
 * @param inReplyTo the parent's Message-ID, if any
 * @param references the References chain, oldest first
 */
public record EmailEnvelope(
    MessageId messageId,
    EmailAddress from,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    List<EmailAddress> bcc,
    String subject,
    Instant sentAt,
    Optional<MessageId> inReplyTo,
    List<MessageId> references) {

  /** Checks the fields and copies the lists. */
  public EmailEnvelope {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    references = List.copyOf(references);
  }
}
