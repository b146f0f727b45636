package dev.mailcore;

import java.util.Objects;

/**
 * A resource named by id does not exist, was soft-deleted, or belongs to another organization.
 * HTTP 404. Immutable and thread-safe.
 */
public final class NotFoundException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String id;

  /**
   * Creates a not-found error.
   *
   * @param resource the kind of thing looked up, for example {@code "inbox"}
   * @param id the identifier that was not found
   */
  public NotFoundException(String resource, String id) {
    super(Objects.requireNonNull(resource, "resource") + " not found: " + Objects.requireNonNull(id, "id")
        + " (check the id, and that it was not deleted)");
    this.resource = resource;
    this.id = id;
  }

  /**
   * The kind of resource looked up.
   *
   * @return for example {@code "thread"}
   */
  public String resource() {
    return resource;
  }

  /**
   * The identifier that was not found.
   *
   * @return the id as given
   */
  public String id() {
    return id;
  }

  @Override
  public int httpStatus() {
    return 404;
  }
}
