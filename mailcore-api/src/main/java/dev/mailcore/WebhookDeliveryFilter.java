package dev.mailcore;

import java.util.Objects;
import java.util.Optional;

/**
 * Which deliveries {@link WebhookRegistry#deliveries} lists.
 *
 * @param status only this status, if given
 * @param eventType only this event type, if given
 */
public record WebhookDeliveryFilter(Optional<WebhookDeliveryStatus> status,
    Optional<WebhookEventType> eventType) {

  /** Checks the fields. */
  public WebhookDeliveryFilter {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(eventType, "eventType");
  }

  /** @return a filter that lists everything */
  public static WebhookDeliveryFilter all() {
    return new WebhookDeliveryFilter(Optional.empty(), Optional.empty());
  }

  /**
   * @param status the status to keep
   * @return a copy that also keeps only {@code status}
   */
  public WebhookDeliveryFilter withStatus(WebhookDeliveryStatus status) {
    return new WebhookDeliveryFilter(Optional.of(status), eventType);
  }

  /**
   * @param type the event type to keep
   * @return a copy that also keeps only {@code type}
   */
  public WebhookDeliveryFilter withEventType(WebhookEventType type) {
    return new WebhookDeliveryFilter(status, Optional.of(type));
  }
}
