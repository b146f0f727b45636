package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A registered webhook endpoint. The signing secret is not part of it: it is shown once, by
 * {@link WebhookRegistry#register} and {@link WebhookRegistry#rotateSecret}.
 *
 * @param id the endpoint id
 * @param organizationId the owning organization
 * @param url where deliveries are posted
 * @param events the subscribed event types
 * @param inboxIds the inboxes it is limited to; empty means every inbox of the organization
 *     (organization-wide events such as {@code domain.verified} ignore this filter)
 * @param description free text
 * @param status health
 * @param failureCount consecutive failed attempts
 * @param lastSuccessAt the last 2xx answer
 * @param lastFailureAt the last failed attempt
 * @param createdAt registration time
 * @param updatedAt last change
 */
public record WebhookEndpoint(UUID id, String organizationId, String url,
    Set<WebhookEventType> events, Set<UUID> inboxIds, Optional<String> description,
    WebhookEndpointStatus status, int failureCount, Optional<Instant> lastSuccessAt,
    Optional<Instant> lastFailureAt, Instant createdAt, Instant updatedAt) {

  /** Checks and copies the fields. */
  public WebhookEndpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(url, "url");
    events = Set.copyOf(events);
    inboxIds = Set.copyOf(inboxIds);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
    Objects.requireNonNull(lastFailureAt, "lastFailureAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
