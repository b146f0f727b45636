package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A conversation in one inbox. Immutable and thread-safe.
 *
 * @param id the thread id
 * @param inboxId the inbox it belongs to
 * @param subject the normalized base subject of its first message (RFC 5256: no Re/Fwd/list
 *     prefixes)
 * @param createdAt the first message's time
 * @param updatedAt the latest message's time (last activity)
 * @param messageCount how many messages it holds
 * @param deletedAt when it was soft-deleted, if it was
 */
public record EmailThread(
    ThreadId id,
    UUID inboxId,
    String subject,
    Instant createdAt,
    Instant updatedAt,
    int messageCount,
    Optional<Instant> deletedAt) {

  /** Checks the fields. */
  public EmailThread {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(deletedAt, "deletedAt");
    if (messageCount < 0) {
      throw new ValidationException("messageCount", "must be >= 0, got " + messageCount);
    }
  }

  /**
   * Whether the thread is soft-deleted.
   *
   * @return true if {@link #deletedAt()} is present
   */
  public boolean deleted() {
    return deletedAt.isPresent();
  }
}
