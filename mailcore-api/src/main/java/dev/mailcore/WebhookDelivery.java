package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event for one endpoint, with its attempts so far.
 *
 * @param id the delivery id
 * @param endpointId the endpoint
 * @param eventId the event id, sent as {@code webhook-id} on every attempt and replay
 * @param eventType the event type
 * @param payload the JSON body posted
 * @param status where it stands
 * @param attempts attempts started
 * @param nextAttemptAt when a pending delivery is next tried
 * @param lastError what went wrong last, if anything did
 * @param lastAttemptAt when it was last tried
 * @param createdAt when the event happened
 */
public record WebhookDelivery(UUID id, UUID endpointId, UUID eventId, WebhookEventType eventType,
    String payload, WebhookDeliveryStatus status, int attempts, Instant nextAttemptAt,
    Optional<String> lastError, Optional<Instant> lastAttemptAt, Instant createdAt) {

  /** Checks the fields. */
  public WebhookDelivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
