package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An address mailcore will not send to. Suppression is account-wide: an address that
 * hard-bounced is suppressed for every organization and inbox. Immutable and thread-safe.
 *
 * @param address the normalized (lower-case) address
 * @param reason why it was suppressed
 * @param detail more about the reason (for example the bounce diagnostic), if known
 * @param createdAt when it was suppressed
 */
public record Suppression(String address, SuppressionReason reason, Optional<String> detail,
    Instant createdAt) {

  /** Checks the fields. */
  public Suppression {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
