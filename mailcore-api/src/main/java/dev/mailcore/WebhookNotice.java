package dev.mailcore;

import java.util.UUID;

/**
 * Something about webhook delivery itself that the host should know: passed to
 * {@link WebhookListener}s, and posted as a webhook of the matching
 * {@link WebhookEventType} to the organization's other endpoints that subscribe to it.
 */
public sealed interface WebhookNotice {

  /** @return the endpoint concerned */
  UUID endpointId();

  /** @return the organization owning it */
  String organizationId();

  /**
   * An endpoint was disabled.
   *
   * @param endpointId the endpoint
   * @param organizationId its organization
   * @param reason why (failure count or 410 Gone)
   */
  record EndpointDisabled(UUID endpointId, String organizationId, String reason)
      implements WebhookNotice {}

  /**
   * A failing endpoint answered 2xx again.
   *
   * @param endpointId the endpoint
   * @param organizationId its organization
   */
  record EndpointRecovered(UUID endpointId, String organizationId) implements WebhookNotice {}

  /**
   * A delivery used up its retries.
   *
   * @param endpointId the endpoint
   * @param organizationId its organization
   * @param deliveryId the delivery
   * @param eventId its event
   * @param lastError the last failure
   */
  record DeliveryExhausted(UUID endpointId, String organizationId, UUID deliveryId,
      UUID eventId, String lastError) implements WebhookNotice {}
}
