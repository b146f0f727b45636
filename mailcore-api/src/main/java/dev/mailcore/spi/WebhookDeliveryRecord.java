package dev.mailcore.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event for one endpoint, as stored (table {@code webhook_deliveries}): the outbox row the
 * dispatcher claims, posts and settles.
 *
 * @param id the delivery id
 * @param endpointId the endpoint
 * @param eventId the event id, sent as {@code webhook-id}; the same on every attempt and replay,
 *     and shared by the deliveries of one event to several endpoints
 * @param eventType the event type name
 * @param payload the JSON body, exactly as posted
 * @param status {@code pending}, {@code delivered} or {@code failed}
 * @param attempts attempts started so far (a claim counts as one)
 * @param nextAttemptAt when a pending row is due; while a worker holds it, when its lease ends
 * @param leaseOwner the dispatcher holding the row, while it does
 * @param lastError what went wrong on the last failed attempt
 * @param lastAttemptAt when the last attempt started
 * @param createdAt when the event happened (the outbox write)
 * @param version optimistic-locking version: every claim and update writes a higher one, guarded
 *     by the previous
 */
public record WebhookDeliveryRecord(UUID id, UUID endpointId, UUID eventId, String eventType,
    String payload, String status, int attempts, Instant nextAttemptAt,
    Optional<String> leaseOwner, Optional<String> lastError, Optional<Instant> lastAttemptAt,
    Instant createdAt, long version) {

  /** Checks the fields. */
  public WebhookDeliveryRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(leaseOwner, "leaseOwner");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
