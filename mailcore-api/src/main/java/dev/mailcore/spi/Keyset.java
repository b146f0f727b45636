package dev.mailcore.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A keyset pagination position: the sort timestamp and id of the last row of the previous page.
 * The listing method defines the direction (for example threads newest first, messages oldest
 * first); the next page holds the rows strictly after this position in that order.
 *
 * @param at the sort timestamp of the last row returned
 * @param id the id of the last row returned (tie-breaker)
 */
public record Keyset(Instant at, UUID id) {
  /** Checks the fields. */
  public Keyset {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(id, "id");
  }
}
