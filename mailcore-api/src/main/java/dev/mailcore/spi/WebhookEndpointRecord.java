package dev.mailcore.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A webhook endpoint as stored (table {@code webhook_endpoints}). The store keeps every field as
 * given; the engine decides what they mean (status transitions, which events match).
 *
 * @param id the endpoint id
 * @param organizationId the organization that owns it
 * @param url the http(s) URL deliveries are posted to
 * @param secret the current signing secret ({@code whsec_...}), stored as given
 * @param previousSecret the secret before the last rotation, still signing until
 *     {@code previousSecretExpiresAt}
 * @param previousSecretExpiresAt when the previous secret stops signing
 * @param events subscribed event type names (for example {@code message.received})
 * @param inboxIds the inboxes it is limited to; empty means all of the organization's inboxes
 * @param description free text
 * @param status {@code active}, {@code warning} or {@code disabled}
 * @param failureCount consecutive failed attempts
 * @param lastSuccessAt the last successful delivery
 * @param lastFailureAt the last failed attempt
 * @param createdAt registration time
 * @param updatedAt last change
 * @param version optimistic-locking version: every update writes a higher one, guarded by the
 *     previous
 */
public record WebhookEndpointRecord(UUID id, String organizationId, String url, String secret,
    Optional<String> previousSecret, Optional<Instant> previousSecretExpiresAt,
    List<String> events, Optional<List<UUID>> inboxIds, Optional<String> description,
    String status, int failureCount, Optional<Instant> lastSuccessAt,
    Optional<Instant> lastFailureAt, Instant createdAt, Instant updatedAt, long version) {

  /** Checks and copies the fields. */
  public WebhookEndpointRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(previousSecret, "previousSecret");
    Objects.requireNonNull(previousSecretExpiresAt, "previousSecretExpiresAt");
    events = List.copyOf(events);
    inboxIds = inboxIds.map(List::copyOf);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
    Objects.requireNonNull(lastFailureAt, "lastFailureAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
