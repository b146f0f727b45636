package dev.mailcore;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page to fetch: a size and, for every page but the first, the cursor the previous page
 * returned. Immutable and thread-safe.
 *
 * @param limit items per page, 1 to {@link #MAX_LIMIT}
 * @param cursor the previous page's {@link Page#nextCursor()}, absent for the first page
 */
public record PageRequest(int limit, Optional<String> cursor) {

  /** The largest page size accepted. */
  public static final int MAX_LIMIT = 500;
  /** The page size used by {@link #first()}. */
  public static final int DEFAULT_LIMIT = 50;

  /**
   * Checks the limit.
   *
   * @throws ValidationException if {@code limit} is outside 1 to {@value #MAX_LIMIT}
   */
  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    Objects.requireNonNull(cursor, "cursor");
  }

  /**
   * The first page of {@value #DEFAULT_LIMIT} items.
   *
   * @return the request
   */
  public static PageRequest first() {
    return first(DEFAULT_LIMIT);
  }

  /**
   * The first page of {@code limit} items.
   *
   * @param limit items per page
   * @return the request
   */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty());
  }

  /**
   * The page after the one that returned {@code cursor}, with the default size.
   *
   * @param cursor a {@link Page#nextCursor()} value
   * @return the request
   */
  public static PageRequest after(String cursor) {
    return new PageRequest(DEFAULT_LIMIT, Optional.of(cursor));
  }

  /**
   * The same position with another page size.
   *
   * @param newLimit items per page
   * @return the request
   */
  public PageRequest withLimit(int newLimit) {
    return new PageRequest(newLimit, cursor);
  }
}
