package dev.mailcore.internal.webhook;

import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryStatus;
import dev.mailcore.WebhookEndpoint;
import dev.mailcore.WebhookEndpointStatus;
import dev.mailcore.WebhookEventType;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** The stored words for statuses, and stored rows as API values. Stateless. */
final class WebhookRows {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String ACTIVE = "active";
  static final String WARNING = "warning";
  static final String DISABLED = "disabled";

  private WebhookRows() {}

  static String code(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  static WebhookEndpoint endpoint(WebhookEndpointRecord r) {
    Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
    for (String e : r.events()) {
      events.add(WebhookEventType.fromWireName(e));
    }
    Set<UUID> inboxes = new HashSet<>(r.inboxIds().orElse(List.of()));
    return new WebhookEndpoint(r.id(), r.organizationId(), r.url(), events, inboxes,
        r.description(), WebhookEndpointStatus.valueOf(r.status().toUpperCase(Locale.ROOT)),
        r.failureCount(), r.lastSuccessAt(), r.lastFailureAt(), r.createdAt(), r.updatedAt());
  }

  static WebhookDelivery delivery(WebhookDeliveryRecord r) {
    return new WebhookDelivery(r.id(), r.endpointId(), r.eventId(),
        WebhookEventType.fromWireName(r.eventType()), r.payload(),
        WebhookDeliveryStatus.valueOf(r.status().toUpperCase(Locale.ROOT)), r.attempts(),
        r.nextAttemptAt(), r.lastError(), r.lastAttemptAt(), r.createdAt());
  }
}
