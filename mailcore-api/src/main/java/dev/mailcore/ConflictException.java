package dev.mailcore;

import java.util.Objects;

/**
 * A create or update would duplicate a resource that already exists: a domain name that is
 * already registered, an inbox address (or a second catch-all) already taken on its domain.
 * HTTP 409, so a host can tell "already exists" from "fix your input" (400).
 *
 * <p>{@link #resource()} and {@link #id()} name the existing resource, so a host can point its
 * user at it or treat the call as idempotent. Not retryable: the same call conflicts again until
 * the existing resource is deleted. Immutable and thread-safe.
 */
public final class ConflictException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String id;

  /**
   * Creates a conflict error.
   *
   * @param resource the kind of the existing resource, for example {@code "inbox"}
   * @param id the existing resource's identifier
   * @param reason what is taken and what to do instead, for example {@code "the domain already
   *     has an inbox 'support'; choose another local part or update the existing inbox"}
   * @throws NullPointerException if an argument is null
   */
  public ConflictException(String resource, String id, String reason) {
    super(Objects.requireNonNull(reason, "reason") + " (existing "
        + Objects.requireNonNull(resource, "resource") + " " + Objects.requireNonNull(id, "id")
        + ")");
    this.resource = resource;
    this.id = id;
  }

  /**
   * The kind of the existing resource.
   *
   * @return for example {@code "domain"}
   */
  public String resource() {
    return resource;
  }

  /**
   * The identifier of the existing resource.
   *
   * @return the id, for example a domain's UUID
   */
  public String id() {
    return id;
  }

  @Override
  public int httpStatus() {
    return 409;
  }
}
