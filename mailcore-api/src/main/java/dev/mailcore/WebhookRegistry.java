package dev.mailcore;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook endpoints of organizations, their deliveries, and the dispatcher that posts them
 * ({@link MailCore#webhooks()}).
 *
 * <p>Every event (see {@link WebhookEventType}) is written to the outbox in the same store
 * transaction as the change that causes it, so there is no event without its change and no
 * committed change without its event. Deliveries are signed per Standard Webhooks
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}); receivers check
 * them with {@link WebhookVerifier}. Delivery is at least once and <b>unordered</b>: receivers
 * dedupe by {@code webhook-id} and order by the payload's {@code sequence}.
 *
 * <p>Thread-safe.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface WebhookRegistry {

  /**
   * Registers an endpoint for an organization.
   *
   * @param organizationId the organization
   * @param spec URL, event types, optional inboxes and description
   * @return the endpoint and its secret, which is shown only here
   * @throws ValidationException if the URL is not http(s), resolves to a non-public address, is
   *     plain http to a host name in a JVM that cannot pin it (see {@link WebhookSettings}), or
   *     an inbox id does not name an inbox of the organization
   */
  WebhookRegistration register(String organizationId, WebhookSpec spec);

  /**
   * Lists an organization's endpoints, oldest first.
   *
   * @param organizationId the organization
   * @param page the page
   * @return the endpoints
   */
  Page<WebhookEndpoint> list(String organizationId, PageRequest page);

  /**
   * @param id the endpoint id
   * @return the endpoint, if it exists
   */
  Optional<WebhookEndpoint> get(UUID id);

  /**
   * Replaces URL, event types, inboxes and description. The secret and health stay.
   *
   * @param id the endpoint id
   * @param spec the new values
   * @return the endpoint
   * @throws NotFoundException if it does not exist
   * @throws ValidationException as for {@link #register}
   */
  WebhookEndpoint update(UUID id, WebhookSpec spec);

  /**
   * Replaces the signing secret. The old one keeps signing for
   * {@link WebhookSettings#secretGracePeriod()}: until then every delivery carries both
   * signatures, so receivers can switch secrets without losing a delivery.
   *
   * @param id the endpoint id
   * @return the endpoint and its new secret, shown only here
   * @throws NotFoundException if it does not exist
   */
  WebhookRegistration rotateSecret(UUID id);

  /**
   * Stops deliveries to an endpoint; new events are not written for it and pending deliveries
   * wait.
   *
   * @param id the endpoint id
   * @return the endpoint
   * @throws NotFoundException if it does not exist
   */
  WebhookEndpoint disable(UUID id);

  /**
   * Resumes a disabled endpoint with a clean failure count; its waiting deliveries are sent.
   *
   * @param id the endpoint id
   * @return the endpoint
   * @throws NotFoundException if it does not exist
   */
  WebhookEndpoint enable(UUID id);

  /**
   * Deletes an endpoint and its deliveries.
   *
   * @param id the endpoint id
   * @throws NotFoundException if it does not exist
   */
  void delete(UUID id);

  /**
   * Lists an endpoint's deliveries, newest first.
   *
   * @param endpointId the endpoint
   * @param filter which deliveries
   * @param page the page
   * @return the deliveries
   * @throws NotFoundException if the endpoint does not exist
   */
  Page<WebhookDelivery> deliveries(UUID endpointId, WebhookDeliveryFilter filter,
      PageRequest page);

  /**
   * Sends a delivery again, now, with the same event id and payload (whatever its status).
   *
   * @param deliveryId the delivery
   * @return the delivery, pending
   * @throws NotFoundException if it does not exist
   */
  WebhookDelivery replay(UUID deliveryId);

  /**
   * Sends every failed delivery of an endpoint created at or after {@code since} again.
   *
   * @param endpointId the endpoint
   * @param since the earliest event time
   * @return how many deliveries were queued again
   * @throws NotFoundException if the endpoint does not exist
   */
  int replayFailed(UUID endpointId, Instant since);

  /**
   * Adds a listener for {@link WebhookNotice}s of this instance's dispatcher.
   *
   * @param listener the listener
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: listeners see
   *     every organization's notices; call it on the unscoped {@code MailCore}
   */
  void addListener(WebhookListener listener);

  /**
   * The dispatcher that posts this {@code MailCore}'s deliveries.
   *
   * @return the dispatcher
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: the dispatcher
   *     serves every organization; call it on the unscoped {@code MailCore}
   */
  WebhookDispatcher dispatcher();
}
