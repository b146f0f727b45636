package dev.mailcore.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored delivery event row ({@code delivery_events}).
 *
 * @param id the event id
 * @param messageId mailcore's id of the message ({@link dev.mailcore.EmailMessage#id()})
 * @param providerMessageId the transport provider's message id the event named, if any
 *     (column {@code ses_message_id})
 * @param status the status code the event reports ({@code pending}, {@code sent},
 *     {@code delivered}, {@code bounced}, {@code complained}, {@code failed})
 * @param reason the reason for bounced and failed events
 * @param detailsJson event metadata as a JSON object (per-recipient data and provider fields);
 *     {@code "{}"} when there is none
 * @param createdAt when the event happened (the provider's timestamp when it gave one)
 */
public record DeliveryEventRecord(
    UUID id,
    UUID messageId,
    Optional<String> providerMessageId,
    String status,
    Optional<String> reason,
    String detailsJson,
    Instant createdAt) {

  /** Checks the fields. */
  public DeliveryEventRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detailsJson, "detailsJson");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
