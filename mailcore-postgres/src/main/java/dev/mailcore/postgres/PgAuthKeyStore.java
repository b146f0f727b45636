package dev.mailcore.postgres;

import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.spi.AuthKeyStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AuthKeyStore} on the seed's {@code auth_keys} table, inside one {@link PgTransaction}.
 * Statements are prepared through the transaction, so they run on its connection, after any
 * inbox lock it still has to send, and fail once the transaction's work has returned. Not
 * thread-safe (one transaction, one thread).
 */
final class PgAuthKeyStore implements AuthKeyStore {

  /** Prepares a statement template on the transaction ({@code PgTransaction.prepare}). */
  @FunctionalInterface
  interface Statements {
    PreparedStatement prepare(String template) throws SQLException;
  }

  private static final String COLUMNS =
      "id, organization_id, name, public_key_pem, algorithm, created_at, revoked_at";
  static final String LIST_FIRST = "SELECT " + COLUMNS + " FROM {s}auth_keys"
      + " WHERE organization_id = ? ORDER BY created_at, id LIMIT ?";
  static final String LIST_AFTER = "SELECT " + COLUMNS + " FROM {s}auth_keys"
      + " WHERE organization_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?";

  private final Statements statements;

  PgAuthKeyStore(Statements statements) {
    this.statements = statements;
  }

  @Override
  public void insert(AuthKey key) {
    Objects.requireNonNull(key, "key");
    try (PreparedStatement ps = statements.prepare("INSERT INTO {s}auth_keys (" + COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, key.id());
      ps.setString(2, key.organizationId());
      ps.setString(3, key.name());
      ps.setString(4, key.publicKeyPem());
      ps.setString(5, key.algorithm().name());
      PgTransaction.setTime(ps, 6, key.createdAt());
      PgTransaction.setTime(ps, 7, key.revokedAt().orElse(null));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.translate("insert auth key " + key.id(), e);
    }
  }

  @Override
  public Optional<AuthKey> find(Scope scope, UUID id) {
    Objects.requireNonNull(id, "id");
    List<AuthKey> rows = query("find auth key " + id, "SELECT " + COLUMNS + " FROM {s}auth_keys"
        + " WHERE id = ?" + ScopeSql.organization(scope, "organization_id"), ps -> {
          ps.setObject(1, id);
          ScopeSql.bind(ps, 2, scope);
        });
    return rows.stream().findFirst();
  }

  @Override
  public List<AuthKey> list(String organizationId, Optional<Keyset> after, int limit) {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(after, "after");
    return query("list auth keys of organization " + organizationId,
        after.isEmpty() ? LIST_FIRST : LIST_AFTER, ps -> {
          int i = 1;
          ps.setString(i++, organizationId);
          if (after.isPresent()) {
            PgTransaction.setTime(ps, i++, after.get().at());
            ps.setObject(i++, after.get().id());
          }
          ps.setInt(i, limit);
        });
  }

  @Override
  public boolean revoke(UUID id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    try (PreparedStatement ps = statements.prepare("UPDATE {s}auth_keys SET revoked_at = ?"
        + " WHERE id = ? AND revoked_at IS NULL")) {
      PgTransaction.setTime(ps, 1, at);
      ps.setObject(2, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw SqlErrors.translate("revoke auth key " + id, e);
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<AuthKey> query(String purpose, String template, Binder binder) {
    try (PreparedStatement ps = statements.prepare(template)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<AuthKey> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new AuthKey(rs.getObject("id", UUID.class), rs.getString("organization_id"),
              rs.getString("name"), rs.getString("public_key_pem"),
              AuthKeyAlgorithm.valueOf(rs.getString("algorithm")),
              PgTransaction.time(rs, "created_at"),
              Optional.ofNullable(PgTransaction.time(rs, "revoked_at"))));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(purpose, e);
    }
  }
}
