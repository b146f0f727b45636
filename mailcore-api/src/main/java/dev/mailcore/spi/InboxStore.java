package dev.mailcore.spi;

import dev.mailcore.Inbox;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Inbox rows, inside one {@link StoreTransaction}. Not thread-safe (see there).
 */
public interface InboxStore {

  /**
   * Inserts an inbox.
   *
   * @param inbox the new inbox
   * @return false, inserting nothing, if the domain already has an active inbox with the same
   *     local part, or {@code inbox} is a catch-all and the domain already has an active one
   */
  boolean insert(Inbox inbox);

  /**
   * Replaces an inbox row (matched by id) with these values; does nothing if there is none.
   *
   * @param inbox the new values
   * @return false, changing nothing, under the same conflicts as {@link #insert}
   */
  boolean update(Inbox inbox);

  /**
   * Finds an inbox by id, deleted or not.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param id the inbox id
   * @return the inbox, if it exists and its domain is in {@code scope}
   */
  Optional<Inbox> find(Scope scope, UUID id);

  /**
   * Finds the active inbox with this exact local part on a domain.
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param domainId the domain
   * @param localPart the lower-case local part
   * @return the inbox, if an active one exists and the domain is in {@code scope}
   */
  Optional<Inbox> findByLocalPart(Scope scope, UUID domainId, String localPart);

  /**
   * Everything needed to route recipients on one domain, in one lookup: the active inboxes of
   * the active domain named {@code domainName} whose local part is one of {@code localParts},
   * plus that domain's active catch-all inbox (whatever its local part). The engine applies the
   * routing rules (exact, then plus-address base, then catch-all) to the result, so a store
   * never decides which inbox wins.
   *
   * @param domainName the lower-case domain name
   * @param localParts lower-case local parts to match exactly (duplicates allowed); may be
   *     empty, in which case only the catch-all can be returned
   * @return the matching inboxes, each once, in any order; empty if no active domain has that
   *     name, or it has no matching active inbox and no active catch-all
   */
  List<Inbox> findRouteCandidates(String domainName, Collection<String> localParts);

  /**
   * Lists a domain's active inboxes, oldest first (created_at, then id).
   *
   * @param scope which organization's rows may be returned; outside it, as if absent
   * @param domainId the domain
   * @param after the last position of the previous page
   * @param limit the maximum number of rows
   * @return the inboxes; empty if the domain is outside {@code scope}
   */
  List<Inbox> list(Scope scope, UUID domainId, Optional<Keyset> after, int limit);
}
