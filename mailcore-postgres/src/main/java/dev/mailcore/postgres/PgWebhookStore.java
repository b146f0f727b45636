package dev.mailcore.postgres;

import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import dev.mailcore.spi.WebhookStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WebhookStore} on the connection of one {@link PgTransaction}. The claim is one
 * statement: an UPDATE of the rows a {@code FOR UPDATE SKIP LOCKED} sub-select picked, so two
 * dispatchers never claim the same row and never wait for each other. Not thread-safe, like its
 * transaction.
 */
final class PgWebhookStore implements WebhookStore {

  private static final String ENDPOINT_COLUMNS = "id, organization_id, url, secret,"
      + " previous_secret, previous_secret_expires_at, events, inbox_ids, description, status,"
      + " failure_count, last_success_at, last_failure_at, created_at, updated_at, version";
  private static final String DELIVERY_COLUMNS = "id, endpoint_id, event_id, event_type,"
      + " payload, status, attempts, next_attempt_at, lease_owner, last_error, last_attempt_at,"
      + " created_at, version";
  private static final String DELIVERY_SELECT = "id, endpoint_id, event_id, event_type,"
      + " payload::text AS payload, status, attempts, next_attempt_at, lease_owner, last_error,"
      + " last_attempt_at, created_at, version";

  static final String CLAIM = "UPDATE {s}webhook_deliveries d SET lease_owner = ?,"
      + " next_attempt_at = ?, last_attempt_at = ?, attempts = d.attempts + 1,"
      + " version = d.version + 1"
      + " WHERE d.id IN (SELECT x.id FROM {s}webhook_deliveries x"
      + "   JOIN {s}webhook_endpoints e ON e.id = x.endpoint_id"
      + "   WHERE x.status = 'pending' AND x.next_attempt_at <= ? AND e.status <> 'disabled'"
      + "   AND x.endpoint_id <> ALL (?)"
      + "   ORDER BY x.next_attempt_at LIMIT ? FOR UPDATE OF x SKIP LOCKED)"
      + " RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.payload::text AS payload,"
      + " d.status, d.attempts, d.next_attempt_at, d.lease_owner, d.last_error,"
      + " d.last_attempt_at, d.created_at, d.version";

  /** Endpoints that are not disabled: the candidates for an event. */
  private static final String ENABLED = " AND status <> 'disabled'";
  /**
   * The enabled endpoints of the organization that owns a domain, by the domain's name (one
   * parameter): read in the round trip of the route lookup, see
   * {@link PgTransaction#findRouteCandidates}.
   */
  static final String ENABLED_ENDPOINTS_OF_DOMAIN = "SELECT " + ENDPOINT_COLUMNS
      + " FROM {s}webhook_endpoints WHERE organization_id = (SELECT organization_id"
      + " FROM {s}domains WHERE name = ? AND deleted_at IS NULL)" + ENABLED;

  private final PgTransaction tx;
  private final Connection connection;

  /** A store on the transaction's connection; its statements go through {@code tx}. */
  PgWebhookStore(PgTransaction tx) {
    this.tx = tx;
    this.connection = tx.connection();
  }

  // ---- endpoints ----------------------------------------------------------------------------

  @Override
  public void insertEndpoint(WebhookEndpointRecord e) {
    Objects.requireNonNull(e, "endpoint");
    String text = "INSERT INTO {s}webhook_endpoints (" + ENDPOINT_COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = tx.prepare(text)) {
      bindEndpoint(ps, e);
      ps.executeUpdate();
    } catch (SQLException x) {
      throw SqlErrors.translate("insert webhook endpoint " + e.id(), x);
    }
  }

  @Override
  public boolean updateEndpoint(WebhookEndpointRecord e, long expectedVersion) {
    Objects.requireNonNull(e, "endpoint");
    String text = "UPDATE {s}webhook_endpoints SET id = ?, organization_id = ?, url = ?,"
        + " secret = ?, previous_secret = ?, previous_secret_expires_at = ?, events = ?,"
        + " inbox_ids = ?, description = ?, status = ?, failure_count = ?, last_success_at = ?,"
        + " last_failure_at = ?, created_at = ?, updated_at = ?, version = ?"
        + " WHERE id = ? AND version = ?";
    try (PreparedStatement ps = tx.prepare(text)) {
      bindEndpoint(ps, e);
      ps.setObject(17, e.id());
      ps.setLong(18, expectedVersion);
      return ps.executeUpdate() == 1;
    } catch (SQLException x) {
      throw SqlErrors.translate("update webhook endpoint " + e.id(), x);
    }
  }

  private void bindEndpoint(PreparedStatement ps, WebhookEndpointRecord e) throws SQLException {
    ps.setObject(1, e.id());
    ps.setString(2, e.organizationId());
    ps.setString(3, e.url());
    ps.setString(4, e.secret());
    ps.setString(5, e.previousSecret().orElse(null));
    PgTransaction.setTime(ps, 6, e.previousSecretExpiresAt().orElse(null));
    ps.setArray(7, connection.createArrayOf("text", e.events().toArray()));
    if (e.inboxIds().isPresent()) {
      ps.setArray(8, connection.createArrayOf("uuid", e.inboxIds().get().toArray()));
    } else {
      ps.setNull(8, Types.ARRAY);
    }
    ps.setString(9, e.description().orElse(null));
    ps.setString(10, e.status());
    ps.setInt(11, e.failureCount());
    PgTransaction.setTime(ps, 12, e.lastSuccessAt().orElse(null));
    PgTransaction.setTime(ps, 13, e.lastFailureAt().orElse(null));
    PgTransaction.setTime(ps, 14, e.createdAt());
    PgTransaction.setTime(ps, 15, e.updatedAt());
    ps.setLong(16, e.version());
  }

  @Override
  public Optional<WebhookEndpointRecord> findEndpoint(Scope scope, UUID id) {
    Objects.requireNonNull(id, "id");
    List<WebhookEndpointRecord> rows = endpoints("find webhook endpoint " + id,
        "SELECT " + ENDPOINT_COLUMNS + " FROM {s}webhook_endpoints WHERE id = ?"
            + ScopeSql.organization(scope, "organization_id"),
        ps -> {
          ps.setObject(1, id);
          ScopeSql.bind(ps, 2, scope);
        });
    return rows.stream().findFirst();
  }

  @Override
  public List<WebhookEndpointRecord> findEndpoints(Collection<UUID> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      return List.of();
    }
    return endpoints("find " + ids.size() + " webhook endpoints",
        "SELECT " + ENDPOINT_COLUMNS + " FROM {s}webhook_endpoints WHERE id = ANY (?)",
        ps -> ps.setArray(1, connection.createArrayOf("uuid", ids.toArray())));
  }

  @Override
  public List<WebhookEndpointRecord> listEndpoints(String organizationId, Optional<Keyset> after,
      int limit) {
    Objects.requireNonNull(organizationId, "organizationId");
    String base = "SELECT " + ENDPOINT_COLUMNS + " FROM {s}webhook_endpoints"
        + " WHERE organization_id = ?";
    String text = after.isEmpty() ? base + " ORDER BY created_at, id LIMIT ?"
        : base + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?";
    return endpoints("list webhook endpoints of " + organizationId, text, ps -> {
      ps.setString(1, organizationId);
      int i = 2;
      if (after.isPresent()) {
        PgTransaction.setTime(ps, i++, after.get().at());
        ps.setObject(i++, after.get().id());
      }
      ps.setInt(i, limit);
    });
  }

  @Override
  public List<WebhookEndpointRecord> findEnabledEndpoints(String organizationId) {
    Objects.requireNonNull(organizationId, "organizationId");
    return endpoints("find webhook endpoints of " + organizationId,
        "SELECT " + ENDPOINT_COLUMNS + " FROM {s}webhook_endpoints"
            + " WHERE organization_id = ?" + ENABLED,
        ps -> ps.setString(1, organizationId));
  }

  @Override
  public List<WebhookEndpointRecord> findEnabledEndpointsOfInbox(UUID inboxId) {
    Objects.requireNonNull(inboxId, "inboxId");
    List<WebhookEndpointRecord> known = tx.routedEndpoints(inboxId);
    if (known != null) {
      return known; // read with the route lookup, and no statement has run since
    }
    return endpoints("find webhook endpoints of inbox " + inboxId,
        "SELECT " + ENDPOINT_COLUMNS + " FROM {s}webhook_endpoints"
            + " WHERE organization_id = (SELECT d.organization_id FROM {s}inboxes i"
            + "   JOIN {s}domains d ON d.id = i.domain_id WHERE i.id = ?)" + ENABLED,
        ps -> ps.setObject(1, inboxId));
  }

  @Override
  public boolean deleteEndpoint(UUID id) {
    Objects.requireNonNull(id, "id");
    try (PreparedStatement ps = tx.prepare(
        "DELETE FROM {s}webhook_endpoints WHERE id = ?")) {
      ps.setObject(1, id);
      return ps.executeUpdate() == 1; // deliveries go with it (ON DELETE CASCADE)
    } catch (SQLException x) {
      throw SqlErrors.translate("delete webhook endpoint " + id, x);
    }
  }

  // ---- outbox -------------------------------------------------------------------------------

  @Override
  public long nextSequence(UUID subjectId) {
    Objects.requireNonNull(subjectId, "subjectId");
    String text = "INSERT INTO {s}webhook_event_sequences AS s (subject_id, last_value)"
        + " VALUES (?, 1) ON CONFLICT (subject_id)"
        + " DO UPDATE SET last_value = s.last_value + 1 RETURNING last_value";
    // Carries the message insert the transaction deferred (a receive's write), in one round trip.
    try (PgTransaction.Carrying q = tx.carrying(text)) {
      q.ps.setObject(q.first, subjectId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException x) {
      throw tx.fail("number an event of " + subjectId, x);
    }
  }

  @Override
  public void insertDeliveries(Collection<WebhookDeliveryRecord> rows) {
    Objects.requireNonNull(rows, "deliveries");
    if (rows.isEmpty()) {
      return;
    }
    // One statement for all rows, deferred: nothing reads them in this transaction, so a
    // receive's delivery rows travel with its commit (ADR 0008).
    List<WebhookDeliveryRecord> ds = List.copyOf(rows);
    tx.defer(INSERT_DELIVERIES, (ps, first) -> tx.arrays(ps, first)
        .uuids(ds, WebhookDeliveryRecord::id).uuids(ds, WebhookDeliveryRecord::endpointId)
        .uuids(ds, WebhookDeliveryRecord::eventId).texts(ds, WebhookDeliveryRecord::eventType)
        .texts(ds, WebhookDeliveryRecord::payload).texts(ds, WebhookDeliveryRecord::status)
        .ints(ds, WebhookDeliveryRecord::attempts).times(ds, WebhookDeliveryRecord::nextAttemptAt)
        .texts(ds, d -> d.leaseOwner().orElse(null)).texts(ds, d -> d.lastError().orElse(null))
        .times(ds, d -> d.lastAttemptAt().orElse(null)).times(ds, WebhookDeliveryRecord::createdAt)
        .longs(ds, WebhookDeliveryRecord::version).next(),
        "insert " + ds.size() + " webhook deliveries");
  }

  private static final String INSERT_DELIVERIES = "INSERT INTO {s}webhook_deliveries ("
      + DELIVERY_COLUMNS + ") SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[],"
      + " ?::jsonb[], ?::text[], ?::int[], ?::timestamptz[], ?::text[], ?::text[],"
      + " ?::timestamptz[], ?::timestamptz[], ?::bigint[])";

  @Override
  public Optional<WebhookDeliveryRecord> findDelivery(Scope scope, UUID id) {
    Objects.requireNonNull(id, "id");
    String scoped = scope.organizationId().isEmpty() ? ""
        : " AND endpoint_id IN (SELECT se.id FROM {s}webhook_endpoints se"
            + " WHERE se.organization_id = ?)";
    return deliveries("find webhook delivery " + id,
        "SELECT " + DELIVERY_SELECT + " FROM {s}webhook_deliveries WHERE id = ?" + scoped,
        ps -> {
          ps.setObject(1, id);
          ScopeSql.bind(ps, 2, scope);
        }).stream().findFirst();
  }

  @Override
  public List<WebhookDeliveryRecord> listDeliveries(UUID endpointId, Optional<String> status,
      Optional<String> eventType, Optional<Keyset> after, int limit) {
    Objects.requireNonNull(endpointId, "endpointId");
    StringBuilder text = new StringBuilder("SELECT " + DELIVERY_SELECT
        + " FROM {s}webhook_deliveries WHERE endpoint_id = ?");
    status.ifPresent(s -> text.append(" AND status = ?"));
    eventType.ifPresent(t -> text.append(" AND event_type = ?"));
    after.ifPresent(k -> text.append(" AND (created_at, id) < (?, ?)"));
    text.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    return deliveries("list webhook deliveries of " + endpointId, text.toString(), ps -> {
      int i = 1;
      ps.setObject(i++, endpointId);
      if (status.isPresent()) {
        ps.setString(i++, status.get());
      }
      if (eventType.isPresent()) {
        ps.setString(i++, eventType.get());
      }
      if (after.isPresent()) {
        PgTransaction.setTime(ps, i++, after.get().at());
        ps.setObject(i++, after.get().id());
      }
      ps.setInt(i, limit);
    });
  }

  // ---- dispatch -----------------------------------------------------------------------------

  @Override
  public List<WebhookDeliveryRecord> claimDue(Instant now, String owner, Instant leaseUntil,
      Collection<UUID> skipEndpoints, int limit) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    relaxCommit();
    return deliveries("claim due webhook deliveries", CLAIM, ps -> {
      ps.setString(1, owner);
      PgTransaction.setTime(ps, 2, leaseUntil);
      PgTransaction.setTime(ps, 3, now);
      PgTransaction.setTime(ps, 4, now);
      ps.setArray(5, connection.createArrayOf("uuid", skipEndpoints.toArray()));
      ps.setInt(6, limit);
    });
  }

  @Override
  public int deleteFinishedDeliveries(Instant before, int limit) {
    Objects.requireNonNull(before, "before");
    String text = "DELETE FROM {s}webhook_deliveries WHERE id IN (SELECT id"
        + " FROM {s}webhook_deliveries WHERE status IN ('delivered', 'failed')"
        + " AND created_at < ? ORDER BY created_at LIMIT ?)";
    try (PreparedStatement ps = tx.prepare(text)) {
      PgTransaction.setTime(ps, 1, before);
      ps.setInt(2, limit);
      return ps.executeUpdate();
    } catch (SQLException x) {
      throw SqlErrors.translate("delete finished webhook deliveries created before " + before, x);
    }
  }

  /** Only the fields a settle or replay changes; the event fields are written once. */
  private static final String UPDATE_DELIVERY = "UPDATE {s}webhook_deliveries SET status = ?,"
      + " attempts = ?, next_attempt_at = ?, lease_owner = ?, last_error = ?,"
      + " last_attempt_at = ?, version = ? WHERE id = ? AND version = ?";

  @Override
  public boolean updateDelivery(WebhookDeliveryRecord d, long expectedVersion) {
    Objects.requireNonNull(d, "delivery");
    try (PreparedStatement ps = tx.prepare(UPDATE_DELIVERY)) {
      bindSettle(ps, d, expectedVersion);
      return ps.executeUpdate() == 1;
    } catch (SQLException x) {
      throw SqlErrors.translate("update webhook delivery " + d.id(), x);
    }
  }

  /**
   * One JDBC batch (one round trip), in a transaction that does not wait for its commit to
   * reach disk: a settle lost in a database crash leaves the row to be attempted again when its
   * lease ends (at least once).
   */
  @Override
  public List<Boolean> updateDeliveries(List<WebhookDeliveryRecord> deliveries,
      List<Long> expectedVersions) {
    if (deliveries.size() != expectedVersions.size()) {
      throw new IllegalArgumentException(deliveries.size() + " deliveries but "
          + expectedVersions.size() + " expected versions");
    }
    if (deliveries.isEmpty()) {
      return List.of();
    }
    relaxCommit();
    try (PreparedStatement ps = tx.prepare(UPDATE_DELIVERY)) {
      for (int i = 0; i < deliveries.size(); i++) {
        bindSettle(ps, deliveries.get(i), expectedVersions.get(i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      List<Boolean> written = new ArrayList<>(counts.length);
      for (int n : counts) {
        written.add(n == 1);
      }
      return written;
    } catch (SQLException x) {
      throw SqlErrors.translate("settle " + deliveries.size() + " webhook deliveries", x);
    }
  }

  private static void bindSettle(PreparedStatement ps, WebhookDeliveryRecord d,
      long expectedVersion) throws SQLException {
    ps.setString(1, d.status());
    ps.setInt(2, d.attempts());
    PgTransaction.setTime(ps, 3, d.nextAttemptAt());
    ps.setString(4, d.leaseOwner().orElse(null));
    ps.setString(5, d.lastError().orElse(null));
    PgTransaction.setTime(ps, 6, d.lastAttemptAt().orElse(null));
    ps.setLong(7, d.version());
    ps.setObject(8, d.id());
    ps.setLong(9, expectedVersion);
  }

  /**
   * This transaction's commit returns before its WAL is flushed. Only for the dispatcher's own
   * claim and settle transactions, whose loss the lease already recovers from.
   */
  private void relaxCommit() {
    try (PreparedStatement ps = tx.prepare(
        "SELECT set_config('synchronous_commit', 'off', true)")) {
      ps.execute();
    } catch (SQLException x) {
      throw SqlErrors.translate("relax the commit of a webhook dispatch transaction", x);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<WebhookEndpointRecord> endpoints(String purpose, String text, Binder binder) {
    try (PreparedStatement ps = tx.prepare(text)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return endpoints(rs);
      }
    } catch (SQLException x) {
      throw SqlErrors.translate(purpose, x);
    }
  }

  /** The endpoint rows of a result of {@link #ENDPOINT_COLUMNS}. */
  static List<WebhookEndpointRecord> endpoints(ResultSet rs) throws SQLException {
    List<WebhookEndpointRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(new WebhookEndpointRecord(rs.getObject("id", UUID.class),
          rs.getString("organization_id"), rs.getString("url"), rs.getString("secret"),
          Optional.ofNullable(rs.getString("previous_secret")),
          Optional.ofNullable(PgTransaction.time(rs, "previous_secret_expires_at")),
          strings(rs.getArray("events")), Optional.ofNullable(uuids(rs.getArray("inbox_ids"))),
          Optional.ofNullable(rs.getString("description")), rs.getString("status"),
          rs.getInt("failure_count"),
          Optional.ofNullable(PgTransaction.time(rs, "last_success_at")),
          Optional.ofNullable(PgTransaction.time(rs, "last_failure_at")),
          PgTransaction.time(rs, "created_at"), PgTransaction.time(rs, "updated_at"),
          rs.getLong("version")));
    }
    return out;
  }

  private List<WebhookDeliveryRecord> deliveries(String purpose, String text, Binder binder) {
    try (PreparedStatement ps = tx.prepare(text)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<WebhookDeliveryRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new WebhookDeliveryRecord(rs.getObject("id", UUID.class),
              rs.getObject("endpoint_id", UUID.class), rs.getObject("event_id", UUID.class),
              rs.getString("event_type"), rs.getString("payload"), rs.getString("status"),
              rs.getInt("attempts"), PgTransaction.time(rs, "next_attempt_at"),
              Optional.ofNullable(rs.getString("lease_owner")),
              Optional.ofNullable(rs.getString("last_error")),
              Optional.ofNullable(PgTransaction.time(rs, "last_attempt_at")), PgTransaction.time(rs, "created_at"),
              rs.getLong("version")));
        }
        return out;
      }
    } catch (SQLException x) {
      throw SqlErrors.translate(purpose, x);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    List<String> out = new ArrayList<>();
    if (array != null) {
      for (Object o : (Object[]) array.getArray()) {
        out.add((String) o);
      }
    }
    return out;
  }

  private static List<UUID> uuids(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    List<UUID> out = new ArrayList<>();
    for (Object o : (Object[]) array.getArray()) {
      out.add((UUID) o);
    }
    return out;
  }
}
