package dev.mailcore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery state of one outbound message: its overall status, the status of each
 * recipient, and every event recorded for it. Returned by {@code mail.deliveries().status(...)}.
 *
 * <p>The overall status follows the same forward-only rule as each recipient's
 * ({@link DeliveryStatus#canAdvanceTo}): the first terminal event wins, so a message that
 * bounced for one recipient stays Bounced even if another recipient's Delivered arrives later;
 * that recipient's own entry still says Delivered. Immutable and thread-safe.
 *
 * @param messageId mailcore's id of the message
 * @param status the message's overall status
 * @param recipients each recipient's status, keyed by normalized address, in To, Cc, Bcc order
 * @param events the recorded events, in the order they happened
 */
public record DeliveryReport(UUID messageId, DeliveryStatus status,
    Map<String, DeliveryStatus> recipients, List<DeliveryEvent> events) {

  /** Checks the fields and copies the collections (keeping the recipients' order). */
  public DeliveryReport {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(status, "status");
    recipients = Collections.unmodifiableMap(new LinkedHashMap<>(recipients));
    events = List.copyOf(events);
  }

  /**
   * One recipient's status.
   *
   * @param address the recipient (any case)
   * @return the status, or empty if the address was not a recipient of this message
   */
  public Optional<DeliveryStatus> statusOf(String address) {
    Objects.requireNonNull(address, "address");
    return Optional.ofNullable(recipients.get(address.strip().toLowerCase(Locale.ROOT)));
  }
}
