package dev.mailcore;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivery tracking of outbound messages ({@code mail.deliveries()}): the status of a message
 * and of each of its recipients, the event history, and recording what the provider reports.
 *
 * <p>Every event is stored. The status only moves forward ({@link DeliveryStatus#canAdvanceTo}):
 * duplicate and out-of-order events are kept in the history but never move a message or a
 * recipient back. A permanent bounce or a complaint puts the affected recipients on the
 * suppression list (account-wide), in the same transaction as the event. Thread-safe.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Deliveries {

  /**
   * The delivery state of a message.
   *
   * @param messageId mailcore's id of an outbound message
   * @return its overall status, per-recipient statuses and events
   * @throws NotFoundException if there is no such message
   */
  DeliveryReport status(UUID messageId);

  /**
   * The events recorded for a message, in the order they happened, with both ids and the time
   * filled in.
   *
   * @param messageId mailcore's id of the message
   * @return the events
   * @throws NotFoundException if there is no such message
   */
  List<DeliveryEvent> events(UUID messageId);

  /**
   * Records an event the provider reported (or one a test simulates). An exact repeat of an
   * event already stored (same status, recipients and provider timestamp) is ignored, so
   * notification redelivery is harmless.
   *
   * @param event the event
   * @return the message's delivery state after the event
   * @throws NotFoundException if no message has the given id or provider id
   * @throws ValidationException if the message is inbound, or the two ids name different
   *     messages
   */
  DeliveryReport record(DeliveryEvent event);

  /**
   * Records an event as {@link #record} does, and says whether it was new: a notification
   * consumer (SNS, SQS) uses it to tell a redelivered notification from a new one. An exact
   * repeat (same status, recipients and provider timestamp as an event already stored) changes
   * nothing and returns empty; an event without a provider timestamp is never a repeat.
   *
   * @param event the event
   * @return the message's delivery state after the event, or empty if it was a repeat
   * @throws NotFoundException if no message has the given id or provider id
   * @throws ValidationException if the message is inbound, or the two ids name different
   *     messages
   */
  Optional<DeliveryReport> recordIfNew(DeliveryEvent event);
}
