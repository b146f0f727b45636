package dev.mailcore.postgres;

import dev.mailcore.spi.Scope;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The SQL of a {@link Scope} (ADR 0016): predicates appended to a statement's WHERE clause, and
 * their bind parameters. {@link Scope#all()} adds nothing, so unscoped statements are exactly the
 * ones they were. An organization adds one predicate that ties the row to a domain of that
 * organization by primary-key probes (inbox -> domain, thread -> inbox -> domain), so a row of
 * another organization is never returned, as if it did not exist. Stateless.
 */
final class ScopeSql {
  private ScopeSql() {}

  /**
   * A predicate on a column holding the organization id itself (domains, webhook endpoints,
   * auth keys). Bind with {@link #bind}.
   */
  static String organization(Scope scope, String column) {
    return scope.organizationId().isEmpty() ? "" : " AND " + column + " = ?";
  }

  /** A predicate on a column holding a domain id (inboxes). Bind with {@link #bind}. */
  static String domain(Scope scope, String domainIdColumn) {
    return scope.organizationId().isEmpty() ? ""
        : " AND EXISTS (SELECT 1 FROM {s}domains sd WHERE sd.id = " + domainIdColumn
            + " AND sd.organization_id = ?)";
  }

  /**
   * A predicate on an inbox id (threads, messages). {@code inboxIdExpression} is a column (a
   * per-row check, for finds by id) or {@code ?} (the inbox a listing is for: a constant that
   * PostgreSQL evaluates once, so the page still comes from the listing's index); bind with
   * {@link #bindInbox} then.
   */
  static String inbox(Scope scope, String inboxIdExpression) {
    return scope.organizationId().isEmpty() ? ""
        : " AND EXISTS (SELECT 1 FROM {s}inboxes si JOIN {s}domains sd ON sd.id = si.domain_id"
            + " WHERE si.id = " + inboxIdExpression + " AND sd.organization_id = ?)";
  }

  /**
   * A constant predicate on the thread a listing is for (messages of a thread); bind with
   * {@link #bindInbox} (the thread id in place of the inbox id).
   */
  static String thread(Scope scope) {
    return scope.organizationId().isEmpty() ? ""
        : " AND EXISTS (SELECT 1 FROM {s}threads st JOIN {s}inboxes si ON si.id = st.inbox_id"
            + " JOIN {s}domains sd ON sd.id = si.domain_id"
            + " WHERE st.id = ? AND sd.organization_id = ?)";
  }

  /**
   * Binds the organization of a scoped predicate.
   *
   * @return the next free parameter index ({@code index} itself when unscoped)
   */
  static int bind(PreparedStatement ps, int index, Scope scope) throws SQLException {
    if (scope.organizationId().isEmpty()) {
      return index;
    }
    ps.setString(index, scope.organizationId().get());
    return index + 1;
  }

  /**
   * Binds a constant {@link #inbox(Scope, String) inbox} or {@link #thread} predicate: the id,
   * then the organization.
   *
   * @return the next free parameter index ({@code index} itself when unscoped)
   */
  static int bindInbox(PreparedStatement ps, int index, Scope scope, UUID id)
      throws SQLException {
    if (scope.organizationId().isEmpty()) {
      return index;
    }
    ps.setObject(index, id);
    return bind(ps, index + 1, scope);
  }
}
