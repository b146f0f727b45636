package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A named receiving address on a domain ({@code localPart@domain}), or the domain's catch-all.
 * Immutable and thread-safe.
 *
 * @param id the inbox id
 * @param domainId the domain it belongs to
 * @param name the display name, used as the default From name when sending
 * @param localPart the address prefix, lower-case (for example {@code support})
 * @param catchAll whether it receives mail for addresses on the domain that no other inbox has
 * @param createdAt creation time
 * @param updatedAt last change
 * @param deletedAt when it was soft-deleted, if it was
 */
public record Inbox(
    UUID id,
    UUID domainId,
    String name,
    String localPart,
    boolean catchAll,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> deletedAt) {

  /** Checks the fields. */
  public Inbox {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(domainId, "domainId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(deletedAt, "deletedAt");
  }

  /**
   * Whether the inbox is soft-deleted.
   *
   * @return true if {@link #deletedAt()} is present
   */
  public boolean deleted() {
    return deletedAt.isPresent();
  }
}
