package dev.mailcore.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Which organization's rows a store lookup may return (ADR 0016). Every find and list method of
 * the per-aggregate stores that a tenant can reach by id takes one, so a store applies it in the
 * query itself (a SQL predicate or join, a predicate inside the in-memory lookup), never by
 * filtering what it loaded. A row outside the scope is answered exactly like a row that does not
 * exist ({@code Optional.empty()}, absent from a list), so the engine's "not found" path cannot
 * tell the two apart.
 *
 * <p>{@link #all()} is for operators and for the paths no tenant drives: inbound routing by
 * recipient address and the correlation of a provider's delivery events. Lookups keyed by an
 * organization id already ({@code list(organizationId, ...)}) take no scope; the engine passes
 * the scope's organization.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Scope {

  /**
   * Every organization's rows: the unscoped {@code MailCore}.
   *
   * @return the scope
   */
  static Scope all() {
    return All.INSTANCE;
  }

  /**
   * Only the rows of one organization: a domain whose {@code organizationId} is {@code id}, and
   * whatever hangs below it (inboxes, threads, messages), plus that organization's webhook
   * endpoints and auth keys.
   *
   * @param id the organization id, as stored on domains
   * @return the scope
   * @throws NullPointerException if {@code id} is null
   */
  static Scope organization(String id) {
    return new Organization(id);
  }

  /**
   * The organization this scope is limited to.
   *
   * @return the organization id, or empty for {@link #all()}
   */
  Optional<String> organizationId();

  /**
   * Whether a row owned by {@code organizationId} is inside this scope: always for
   * {@link #all()}, otherwise when the ids are equal.
   *
   * @param organizationId the row's organization
   * @return true if the row is visible in this scope
   */
  default boolean includes(String organizationId) {
    return organizationId().map(o -> o.equals(organizationId)).orElse(true);
  }

  /** Every organization (operators, inbound routing, provider events). */
  enum All implements Scope {
    /** The only instance. */
    INSTANCE;

    @Override
    public Optional<String> organizationId() {
      return Optional.empty();
    }
  }

  /**
   * One organization.
   *
   * @param id the organization id
   */
  record Organization(String id) implements Scope {
    /** Checks the field. */
    public Organization {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public Optional<String> organizationId() {
      return Optional.of(id);
    }
  }
}
