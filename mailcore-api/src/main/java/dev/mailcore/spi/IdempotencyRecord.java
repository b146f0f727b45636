package dev.mailcore.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One send idempotency key row ({@code idempotency_keys}): a send with {@code key} from
 * {@code inboxId} produced message {@code messageId}. Immutable and thread-safe.
 *
 * @param inboxId the sending inbox
 * @param key the caller's idempotency key
 * @param messageId mailcore's id of the message the send produced
 * @param createdAt when the key was recorded
 */
public record IdempotencyRecord(UUID inboxId, String key, UUID messageId, Instant createdAt) {

  /** Checks the fields. */
  public IdempotencyRecord {
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
