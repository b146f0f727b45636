package dev.mailcore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing. Pass {@link #nextCursor()} to
 * {@link PageRequest#after(String)} for the next page; it is absent on the last page. Cursors are
 * opaque strings; they stay valid while the rows they point past exist. Immutable and
 * thread-safe.
 *
 * @param items the items on this page, in listing order (unmodifiable)
 * @param nextCursor the cursor for the next page, absent when there is none
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }

  /**
   * Whether another page follows.
   *
   * @return true if {@link #nextCursor()} is present
   */
  public boolean hasNext() {
    return nextCursor.isPresent();
  }
}
