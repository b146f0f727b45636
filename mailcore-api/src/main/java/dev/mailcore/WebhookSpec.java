package dev.mailcore;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What to register (or update) an endpoint with.
 *
 * @param url an http(s) URL whose host resolves to public addresses only (see
 *     {@link WebhookSettings.Builder#allowLoopback})
 * @param events the event types to receive; at least one
 * @param inboxIds limits message and thread events to these inboxes of the organization; empty
 *     means all of them
 * @param description free text
 */
public record WebhookSpec(String url, Set<WebhookEventType> events, Set<UUID> inboxIds,
    Optional<String> description) {

  /** Checks and copies the fields. */
  public WebhookSpec {
    Objects.requireNonNull(url, "url");
    events = Set.copyOf(events);
    inboxIds = Set.copyOf(inboxIds);
    Objects.requireNonNull(description, "description");
    if (events.isEmpty()) {
      throw new ValidationException("events", "subscribe to at least one WebhookEventType");
    }
  }

  /**
   * An endpoint for every inbox of the organization, without description.
   *
   * @param url the URL
   * @param first an event type
   * @param more more event types
   * @return the spec
   */
  public static WebhookSpec of(String url, WebhookEventType first, WebhookEventType... more) {
    java.util.EnumSet<WebhookEventType> all = java.util.EnumSet.of(first, more);
    return new WebhookSpec(url, all, Set.of(), Optional.empty());
  }

  /**
   * @param ids inboxes of the organization
   * @return a copy limited to these inboxes
   */
  public WebhookSpec withInboxes(Set<UUID> ids) {
    return new WebhookSpec(url, events, ids, description);
  }

  /**
   * @param text free text
   * @return a copy with this description
   */
  public WebhookSpec withDescription(String text) {
    return new WebhookSpec(url, events, inboxIds, Optional.of(text));
  }
}
