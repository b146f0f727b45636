package dev.mailcore.spi;

import dev.mailcore.Domain;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Domain rows, inside one {@link StoreTransaction}. Not thread-safe (see there).
 */
public interface DomainStore {

  /**
   * Inserts a domain.
   *
   * @param domain the new domain
   * @return false, inserting nothing, if an active domain with the same name exists
   */
  boolean insert(Domain domain);

  /**
   * Replaces a domain row (matched by id) with these values; does nothing if there is none.
   *
   * @param domain the new values
   */
  void update(Domain domain);

  /**
   * Finds a domain by id, deleted or not.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the domain id
   * @return the domain, if it exists in {@code scope}
   */
  Optional<Domain> find(Scope scope, UUID id);

  /**
   * Finds the active domain with this name.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param name the lower-case domain name
   * @return the domain, if an active one exists in {@code scope}
   */
  Optional<Domain> findByName(Scope scope, String name);

  /**
   * Lists an organization's active domains, oldest first (created_at, then id).
   *
   * @param organizationId the organization
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the domains
   */
  List<Domain> list(String organizationId, Optional<Keyset> after, int limit);
}
