package dev.mailcore;

import java.util.List;
import java.util.Objects;

/**
 * What {@code send} or {@code reply} did. Immutable and thread-safe.
 *
 * @param message the stored outbound message (with its Message-ID, thread and, once the
 *     transport accepted it, {@link EmailMessage#providerMessageId()})
 * @param status the message's delivery status when the call returned: normally
 *     {@link DeliveryStatus#SENT}; for a {@link #duplicate()} the status of the first send
 * @param skippedRecipients suppressed recipients that were dropped because the send asked for
 *     {@code skipSuppressed} (normalized addresses); empty otherwise
 * @param duplicate true when the idempotency key matched an earlier send: nothing was sent
 *     and {@link #message()} is the earlier message
 */
public record SendResult(EmailMessage message, DeliveryStatus status,
    List<String> skippedRecipients, boolean duplicate) {

  /** Checks the fields and copies the list. */
  public SendResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
    skippedRecipients = List.copyOf(skippedRecipients);
  }
}
