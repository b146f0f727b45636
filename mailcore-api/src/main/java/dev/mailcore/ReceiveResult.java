package dev.mailcore;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Mailboxes#receive(InboundMail)} did with one message. Immutable and thread-safe.
 *
 * @param messageId the message's Message-ID (synthesized from a content hash when it had none)
 * @param rawStorageKey where the raw bytes were stored (raw namespace)
 * @param deliveries one entry per inbox the message was routed to
 * @param unknownRecipients recipients (normalized addresses) that matched no inbox, never
 *     silently dropped; for a message routed by its To/Cc (no envelope recipients), also the
 *     header entries that name no usable address, as written (for example {@code "helpdesk"})
 */
public record ReceiveResult(MessageId messageId, String rawStorageKey,
    List<InboxDelivery> deliveries, List<String> unknownRecipients) {

  /** Checks the fields and copies the lists. */
  public ReceiveResult {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(rawStorageKey, "rawStorageKey");
    deliveries = List.copyOf(deliveries);
    unknownRecipients = List.copyOf(unknownRecipients);
  }

  /**
   * The stored messages, one per inbox (including ones that were already there).
   *
   * @return the messages
   */
  public List<EmailMessage> messages() {
    return deliveries.stream().map(InboxDelivery::message).toList();
  }

  /**
   * The message as delivered to one inbox.
   *
   * @param message the stored message (the existing one for a duplicate)
   * @param duplicate true if the inbox already had this Message-ID and nothing new was stored
   */
  public record InboxDelivery(EmailMessage message, boolean duplicate) {
    /** Checks the fields. */
    public InboxDelivery {
      Objects.requireNonNull(message, "message");
    }
  }
}
