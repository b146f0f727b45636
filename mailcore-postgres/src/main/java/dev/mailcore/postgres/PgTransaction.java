package dev.mailcore.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.Direction;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.StorageException;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.spi.AuthKeyStore;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.DeliveryEventStore;
import dev.mailcore.spi.DomainStore;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.IdempotencyStore;
import dev.mailcore.spi.InboxStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.MessageStore;
import dev.mailcore.spi.NewMessage;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.SuppressionStore;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.ThreadLink;
import dev.mailcore.spi.ThreadStore;
import dev.mailcore.spi.WebhookEndpointRecord;
import dev.mailcore.spi.WebhookStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link StoreTransaction} over one JDBC connection with auto-commit off. Plain JDBC: every value
 * is a bind parameter, arrays go through {@link Connection#createArrayOf}, JSONB as text cast
 * with {@code ::jsonb}. Not thread-safe (one transaction, one thread), as the SPI says.
 */
final class PgTransaction implements StoreTransaction {

  private static final String DOMAIN_COLUMNS = "id, organization_id, name, ses_identity_arn,"
      + " dkim_tokens, from_name, reply_to_address, reply_to_name, bounce_address, bounce_name,"
      + " mx_verified, spf_verified, dkim_verified, dmarc_verified, created_at, updated_at,"
      + " deleted_at";
  private static final String INBOX_COLUMNS =
      "id, domain_id, name, local_part, is_catchall, created_at, updated_at, deleted_at";
  private static final String THREAD_COLUMNS =
      "id, inbox_id, subject, created_at, updated_at, message_count, deleted_at";
  private static final String THREAD_COLUMNS_OF_T = "t.id, t.inbox_id, t.subject, t.created_at,"
      + " t.updated_at, t.message_count, t.deleted_at";
  // One round trip per message read: the children come back as JSON arrays in header order.
  private static final String MESSAGE_SELECT = "SELECT m.id, m.message_id, m.thread_id,"
      + " m.inbox_id, m.direction, m.from_address, m.from_name, m.subject, m.sent_at,"
      + " m.in_reply_to, m.body_text, m.body_html, m.raw_storage_key, m.ses_message_id,"
      + " m.created_at,"
      + " m.spam_verdict, m.virus_verdict, m.spf_verdict, m.dkim_verdict, m.dmarc_verdict,"
      + " (SELECT json_agg(json_build_array(r.recipient_type, r.address, r.name)"
      + "    ORDER BY r.position) FROM {s}message_recipients r WHERE r.message_id = m.id)"
      + "   AS recipients,"
      + " (SELECT json_agg(f.referenced_id ORDER BY f.position)"
      + "    FROM {s}message_references f WHERE f.message_id = m.id) AS refs,"
      + " (SELECT json_agg(json_build_array(a.id, a.filename, a.content_type, a.size_bytes,"
      + "    a.storage_key, a.content_id, a.inline) ORDER BY a.position)"
      + "    FROM {s}attachments a WHERE a.message_id = m.id) AS atts"
      + " FROM {s}messages m";

  // Statements the EXPLAIN tests check for index use (package-private for that reason).
  static final String LIST_THREADS_FIRST = "SELECT " + THREAD_COLUMNS + " FROM {s}threads"
      + " WHERE inbox_id = ? AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT ?";
  static final String LIST_THREADS_AFTER = "SELECT " + THREAD_COLUMNS + " FROM {s}threads"
      + " WHERE inbox_id = ? AND deleted_at IS NULL AND (updated_at, id) < (?, ?)"
      + " ORDER BY updated_at DESC, id DESC LIMIT ?";
  static final String ROUTE = "SELECT " + INBOX_COLUMNS + " FROM {s}inboxes"
      + " WHERE domain_id = ? AND local_part = ? AND deleted_at IS NULL";
  // The domain is resolved in a sub-select so routing a recipient is one round trip.
  static final String ROUTE_CANDIDATES = "SELECT " + INBOX_COLUMNS + " FROM {s}inboxes"
      + " WHERE domain_id = (SELECT id FROM {s}domains WHERE name = ? AND deleted_at IS NULL)"
      + " AND deleted_at IS NULL AND (local_part = ANY (?) OR is_catchall)";
  static final String FIND_BY_MESSAGE_ID = MESSAGE_SELECT
      + " WHERE m.inbox_id = ? AND m.message_id = ?";
  // A transaction's first lock also switches the rest of it to generic plans (transaction-local:
  // the connection goes back to the pool unchanged). What follows it on the write path (the linked
  // thread lookup, the one-statement insert, the foreign key checks it fires) takes arrays whose
  // length varies per message, so the server's default kept planning a custom plan on every
  // call: for the lookup, planning cost more than running it (ADR 0008). Their generic plans are
  // the same index probes, planned once per connection and again after each ANALYZE.
  static final String LOCK_INBOX = "SELECT pg_advisory_xact_lock(?),"
      + " set_config('plan_cache_mode', 'force_generic_plan', true)";
  // left(subject, 200) is what threads_inbox_subject_idx holds (see V2); the whole subject is
  // then compared on the rows it finds. participants holds what the engine stored (see V3).
  static final String FIND_THREAD_BY_SUBJECT = "SELECT " + THREAD_COLUMNS_OF_T
      + " FROM {s}threads t"
      + " WHERE t.inbox_id = ? AND left(t.subject, 200) = left(?, 200) AND t.subject = ?"
      + " AND t.deleted_at IS NULL"
      + " AND t.updated_at >= ?"
      + " AND EXISTS (SELECT 1 FROM {s}messages m WHERE m.thread_id = t.id"
      + "   AND m.participants && ?::text[])";
  // Every header link of a new message in one round trip (ADR 0003): the message itself if the
  // inbox holds its Message-ID (a duplicate), the stored messages it names (by Message-ID or
  // alias), then the stored messages naming it or an id of its chain the inbox does not hold,
  // one row per named id and thread. Index lookups only: the Message-ID unique index,
  // message_aliases by alias, In-Reply-To per inbox, References by value. The referencing message
  // and each row's thread are probed by primary key per row (LATERAL with OFFSET 0, which the
  // planner cannot flatten into a join): left to the planner, a table never analyzed (autovacuum
  // off, or a new deployment's first minutes) gets a generic plan that hashes every message of
  // the inbox or every thread on each call (ADR 0008).
  private static final String THREAD_OF = " CROSS JOIN LATERAL (SELECT " + THREAD_COLUMNS
      + " FROM {s}threads WHERE id = %s.thread_id OFFSET 0) t";
  static final String FIND_LINKED_THREADS = "WITH h AS ("
      + " SELECT m.message_id AS named, m.message_id AS via, m.thread_id, m.thread_rule"
      + "  FROM {s}messages m WHERE m.inbox_id = ? AND m.message_id = ANY(?)"
      + " UNION ALL SELECT a.alias, m.message_id, m.thread_id, m.thread_rule"
      + "  FROM {s}message_aliases a JOIN {s}messages m ON m.id = a.message_id"
      + "  WHERE a.inbox_id = ? AND a.alias = ANY(?)),"
      + " q AS (SELECT ARRAY(SELECT u FROM unnest(?::text[]) AS u"
      + "  WHERE u NOT IN (SELECT named FROM h)) AS ids),"
      + " n AS (SELECT DISTINCT ON (x.named, x.thread_id) x.named, x.via, x.thread_id,"
      + "  x.thread_rule FROM ("
      + "  SELECT m.in_reply_to AS named, m.message_id AS via, m.thread_id, m.thread_rule"
      + "   FROM {s}messages m WHERE m.inbox_id = ? AND m.in_reply_to = ANY((SELECT ids FROM q)::text[])"
      + "  UNION ALL SELECT r.referenced_id, m.message_id, m.thread_id, m.thread_rule"
      + "   FROM {s}message_references r CROSS JOIN LATERAL (SELECT message_id, thread_id,"
      + "   thread_rule FROM {s}messages WHERE id = r.message_id AND inbox_id = ? OFFSET 0) m"
      + "   WHERE r.referenced_id = ANY((SELECT ids FROM q)::text[])) x"
      + "  ORDER BY x.named, x.thread_id)"
      + " SELECT true AS held, h.named, h.via, h.thread_rule AS via_rule, " + THREAD_COLUMNS_OF_T
      + " FROM h" + THREAD_OF.formatted("h")
      + " UNION ALL SELECT false, n.named, n.via, n.thread_rule, " + THREAD_COLUMNS_OF_T
      + " FROM n" + THREAD_OF.formatted("n");
  // A merge in one statement, set-based whatever the threads' sizes: move every message, point
  // earlier redirects and the absorbed ids at the survivor, drop the absorbed rows, write the
  // survivor's values. The foreign keys are checked at the end of the statement.
  static final String MERGE_THREADS = "WITH mv AS (UPDATE {s}messages SET thread_id = ?"
      + " WHERE thread_id = ANY(?)),"
      + " re AS (UPDATE {s}thread_redirects SET survivor_id = ? WHERE survivor_id = ANY(?)),"
      + " ins AS (INSERT INTO {s}thread_redirects (old_id, survivor_id, inbox_id, redirected_at)"
      + "  SELECT u, ?, ?, ? FROM unnest(?::uuid[]) AS u),"
      + " del AS (DELETE FROM {s}threads WHERE id = ANY(?))"
      + " UPDATE {s}threads SET message_count = ?, updated_at = ?, deleted_at = ? WHERE id = ?";
  // After a move: the old thread's count and last activity from its remaining messages; if
  // none remain, its row goes and its id leads to the target.
  static final String RECOUNT_AFTER_MOVE = "WITH s AS (SELECT count(*) AS c,"
      + " max(created_at) AS u FROM {s}messages WHERE thread_id = ?),"
      + " up AS (UPDATE {s}threads t SET message_count = s.c, updated_at = s.u FROM s"
      + "  WHERE t.id = ? AND s.c > 0),"
      + " del AS (DELETE FROM {s}threads t USING s WHERE t.id = ? AND s.c = 0"
      + "  RETURNING t.inbox_id),"
      + " re AS (UPDATE {s}thread_redirects SET survivor_id = ? WHERE survivor_id = ?"
      + "  AND EXISTS (SELECT 1 FROM del))"
      + " INSERT INTO {s}thread_redirects (old_id, survivor_id, inbox_id, redirected_at)"
      + " SELECT ?, ?, del.inbox_id, now() FROM del";
  static final String LIST_MESSAGES_AFTER = MESSAGE_SELECT
      + " WHERE m.thread_id = ? AND (m.sent_at, m.id) > (?, ?) ORDER BY m.sent_at, m.id LIMIT ?";

  /**
   * The thread listing of an inbox in a scope: a constant predicate on the listed inbox
   * (evaluated once), so the page still comes from the (inbox_id, updated_at, id) index
   * (ExplainTest). Parameters: inbox id, then {@link ScopeSql#bindInbox}, then the keyset.
   */
  static String listThreads(Scope scope, boolean after) {
    return (after ? LIST_THREADS_AFTER : LIST_THREADS_FIRST).replace(" AND deleted_at IS NULL",
        " AND deleted_at IS NULL" + ScopeSql.inbox(scope, "?"));
  }

  /** The message listing of a thread in a scope, built like {@link #listThreads}. */
  static String listMessages(Scope scope, boolean after) {
    return (after ? LIST_MESSAGES_AFTER
        : MESSAGE_SELECT + " WHERE m.thread_id = ? ORDER BY m.sent_at, m.id LIMIT ?")
        .replace("WHERE m.thread_id = ?", "WHERE m.thread_id = ?" + ScopeSql.thread(scope));
  }

  private final Connection connection;
  private final SqlText sql;
  private final ObjectMapper json;
  private boolean open = true;
  private final Set<Long> lockedInboxes = new HashSet<>();
  /**
   * Statements asked for but not sent yet, in request order: inbox locks and deferred writes.
   * The next statement carries them ahead of itself in its round trip, and the commit carries
   * what is left (see {@link Carrying} and {@link #commit}).
   */
  private final List<Pending> pending = new ArrayList<>(2);
  /**
   * The deferred writes the last round trip carried: a failure it reports may be theirs (see
   * {@link #fail}).
   */
  private List<Pending> carriedWrites = List.of();
  /**
   * The enabled webhook endpoints read in the round trip of each route lookup, by candidate
   * inbox (see {@link Inboxes#findRouteCandidates}); served to
   * {@link WebhookStore#findEnabledEndpointsOfInbox} until any other statement runs, so the
   * answer is the one a lookup at that moment would read.
   */
  private final Map<UUID, List<WebhookEndpointRecord>> routedEndpoints = new HashMap<>();

  PgTransaction(Connection connection, SqlText sql, ObjectMapper json) {
    this.connection = connection;
    this.sql = sql;
    this.json = json;
  }

  /** Makes every later call fail: the SPI forbids using a transaction after its work returned. */
  void end() {
    open = false;
  }

  // ---- statements sent later: locks and deferred writes -----------------------------------

  /** Binds a pending statement's parameters from {@code first}; returns the next free index. */
  @FunctionalInterface
  interface PendingBinder {
    int bind(PreparedStatement ps, int first) throws SQLException;
  }

  /**
   * A statement asked for and not sent yet. Each returns exactly one result.
   *
   * @param text the SQL text, schema filled in
   * @param binder binds its parameters
   * @param purpose what it does, for failure messages
   * @param failure for a write, the failure it explains itself (returning null for a SQLState
   *     it does not explain); {@code null} for a lock
   */
  private record Pending(String text, PendingBinder binder, String purpose,
      Function<SQLException, StorageException> failure) {

    boolean write() {
      return failure != null;
    }
  }

  @Override
  public void lockInbox(UUID inboxId) {
    Objects.requireNonNull(inboxId, "inboxId");
    checkOpen();
    // Transaction-scoped: released by commit or rollback, so a crashed caller never leaks it.
    // Folding the UUID to 64 bits can make two inboxes share a key; that only serializes them.
    long key = lockKey(inboxId);
    boolean first = lockedInboxes.isEmpty();
    if (!lockedInboxes.add(key)) {
      return; // held until this transaction ends; asking the server again would only cost a trip
    }
    // The lock is sent with the next statement (see Carrying): the caller cannot observe the
    // difference, since nothing of this transaction runs in between, and the write path saves a
    // round trip per message. Locks asked for one after another (a batch locks every inbox it
    // writes, in id order) travel together, still in that order.
    // The transaction's first lock also switches it to generic plans (see LOCK_INBOX).
    pending.add(new Pending(first ? LOCK_INBOX : "SELECT pg_advisory_xact_lock(?)", (ps, at) -> {
      ps.setLong(at, key);
      return at + 1;
    }, "lock inbox " + inboxId, null));
  }

  /**
   * Defers a write that returns nothing to the caller: the next statement or the commit carries
   * it, in the same round trip (ADR 0008). Later statements of the transaction run after it on
   * the server, so they see what it wrote; a failure surfaces from the call whose round trip
   * carried it, or from the commit, and the transaction fails as a whole either way.
   */
  private void defer(String template, PendingBinder binder, String purpose,
      Function<SQLException, StorageException> failure) {
    checkOpen();
    routedEndpoints.clear();
    pending.add(new Pending(sql.of(template), binder, purpose, failure));
  }

  /** The pending statements, in request order; none are pending afterwards. */
  private List<Pending> takePending() {
    List<Pending> taken = List.copyOf(pending);
    pending.clear();
    carriedWrites = taken.stream().filter(Pending::write).toList();
    return taken;
  }

  /** The texts of {@code ahead}, then {@code last} (if any), as one multi-statement text. */
  private static String joined(List<Pending> ahead, String last) {
    StringBuilder text = new StringBuilder();
    for (Pending p : ahead) {
      text.append(p.text()).append(';');
    }
    return last == null ? text.substring(0, text.length() - 1) : text.append(last).toString();
  }

  /** Binds {@code ahead}'s parameters from 1; returns the next free index. */
  private static int bind(PreparedStatement ps, List<Pending> ahead) throws SQLException {
    int next = 1;
    for (Pending p : ahead) {
      next = p.binder().bind(ps, next);
    }
    return next;
  }

  /** Sends the pending statements on their own, in one round trip. */
  private void sendPending() {
    if (pending.isEmpty()) {
      carriedWrites = List.of();
      return;
    }
    List<Pending> ahead = takePending();
    try (PreparedStatement ps = connection.prepareStatement(joined(ahead, null))) {
      bind(ps, ahead);
      ps.execute();
    } catch (SQLException e) {
      // fail() names the writes; the locks are named here
      List<String> locks = ahead.stream().filter(p -> !p.write()).map(Pending::purpose).toList();
      throw fail(locks.isEmpty() ? null : String.join(", ", locks), e);
    }
    carriedWrites = List.of();
  }

  /**
   * Commits: what is still pending travels with the COMMIT, so a transaction ending in a
   * deferred write (a receive's message insert) commits in that write's round trip. After it,
   * {@link Connection#commit} finds the transaction ended and sends nothing.
   *
   * @throws SQLException as the commit fails; translate with {@link #failCommit}
   */
  void commit() throws SQLException {
    if (!pending.isEmpty()) {
      List<Pending> ahead = takePending();
      try (PreparedStatement ps = connection.prepareStatement(joined(ahead, "COMMIT"))) {
        bind(ps, ahead);
        ps.execute();
      }
    } else {
      carriedWrites = List.of();
    }
    connection.commit();
  }

  /** The failure of {@link #commit}, naming the deferred writes it carried. */
  StorageException failCommit(SQLException e) {
    return fail("commit the transaction (its outcome is unknown if the connection was lost)", e);
  }

  private static long lockKey(UUID inboxId) {
    return inboxId.getMostSignificantBits() ^ inboxId.getLeastSignificantBits();
  }

  /**
   * A statement that carries the pending statements (inbox locks, deferred writes) ahead of it,
   * in the same round trip: the text is theirs, then the statement's, and their parameters come
   * first. The server runs them in order, and under READ COMMITTED each statement takes its own
   * snapshot when it starts, so the statement sees everything the previous holder of a lock
   * committed and everything the deferred writes wrote. Used for the threading lookups and the
   * message insert, which follow the locks on the write path.
   */
  final class Carrying implements AutoCloseable {
    final PreparedStatement ps;
    /** Index of the statement's first own parameter. */
    final int first;
    /** How many pending statements it carries ahead of itself. */
    private final int carried;

    Carrying(String template) throws SQLException {
      checkOpen();
      routedEndpoints.clear();
      List<Pending> ahead = takePending();
      carried = ahead.size();
      ps = connection.prepareStatement(joined(ahead, sql.of(template)));
      first = bind(ps, ahead);
    }

    ResultSet executeQuery() throws SQLException {
      if (carried == 0) {
        return ps.executeQuery();
      }
      ps.execute(); // each carried statement's own result comes first
      for (int i = 0; i < carried; i++) {
        if (!ps.getMoreResults() && ps.getUpdateCount() == -1) {
          throw new SQLException("the statement sent after " + carried
              + " pending statements returned no result");
        }
      }
      return ps.getResultSet();
    }

    @Override
    public void close() throws SQLException {
      ps.close();
    }
  }

  // ---- the stores of this transaction ------------------------------------------------------

  private final Domains domains = new Domains();
  private final Inboxes inboxes = new Inboxes();
  private final Threads threads = new Threads();
  private final Messages messages = new Messages();
  private final DeliveryEvents deliveryEvents = new DeliveryEvents();
  private final Suppressions suppressions = new Suppressions();
  private final Idempotency idempotency = new Idempotency();

  @Override
  public DomainStore domains() {
    checkOpen();
    return domains;
  }

  @Override
  public InboxStore inboxes() {
    checkOpen();
    return inboxes;
  }

  @Override
  public ThreadStore threads() {
    checkOpen();
    return threads;
  }

  @Override
  public MessageStore messages() {
    checkOpen();
    return messages;
  }

  @Override
  public DeliveryEventStore deliveryEvents() {
    checkOpen();
    return deliveryEvents;
  }

  @Override
  public SuppressionStore suppressions() {
    checkOpen();
    return suppressions;
  }

  @Override
  public IdempotencyStore idempotency() {
    checkOpen();
    return idempotency;
  }

  @Override
  public AuthKeyStore authKeys() {
    checkOpen();
    return new PgAuthKeyStore(this::prepare);
  }

  @Override
  public WebhookStore webhooks() {
    checkOpen();
    return new PgWebhookStore(this);
  }

  // ---- what the webhook store of this transaction runs its statements through ---------------

  Connection connection() {
    return connection;
  }

  /** A query that carries the pending statements in its round trip (see {@link Carrying}). */
  Carrying carrying(String template) throws SQLException {
    return new Carrying(template);
  }

  /** Binds array parameters of {@code ps} from {@code first}. */
  ArrayBinder arrays(PreparedStatement ps, int first) {
    return new ArrayBinder(ps, first);
  }

  /** Defers a write that explains no failure of its own (see {@link #defer}). */
  void defer(String template, PendingBinder binder, String purpose) {
    defer(template, binder, purpose, e -> null);
  }

  /**
   * The enabled webhook endpoints of an inbox read with a route lookup, while still current.
   *
   * @return the endpoints, or null if none were read or a statement has run since
   */
  @Nullable List<WebhookEndpointRecord> routedEndpoints(UUID inboxId) {
    return routedEndpoints.get(inboxId);
  }

  // ---- domains ------------------------------------------------------------------------------

  private final class Domains implements DomainStore {

    @Override
    public boolean insert(Domain d) {
      Objects.requireNonNull(d, "domain");
      String text = "INSERT INTO {s}domains (" + DOMAIN_COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING";
      try (PreparedStatement ps = prepare(text)) {
        bindDomain(ps, d);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw fail("insert domain " + d.name(), e);
      }
    }

    @Override
    public void update(Domain d) {
      Objects.requireNonNull(d, "domain");
      String text = "UPDATE {s}domains SET id = ?, organization_id = ?, name = ?,"
          + " ses_identity_arn = ?, dkim_tokens = ?, from_name = ?, reply_to_address = ?,"
          + " reply_to_name = ?, bounce_address = ?, bounce_name = ?, mx_verified = ?,"
          + " spf_verified = ?, dkim_verified = ?, dmarc_verified = ?, created_at = ?,"
          + " updated_at = ?, deleted_at = ? WHERE id = ?";
      try (PreparedStatement ps = prepare(text)) {
        bindDomain(ps, d);
        ps.setObject(18, d.id());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("update domain " + d.id(), e);
      }
    }

    private void bindDomain(PreparedStatement ps, Domain d) throws SQLException {
      ps.setObject(1, d.id());
      ps.setString(2, d.organizationId());
      ps.setString(3, d.name());
      ps.setString(4, d.sesIdentityArn().orElse(null));
      ps.setArray(5, connection.createArrayOf("text", d.dkimTokens().toArray()));
      ps.setString(6, d.fromName().orElse(null));
      ps.setString(7, d.replyToAddress().map(EmailAddress::address).orElse(null));
      ps.setString(8, d.replyToAddress().flatMap(EmailAddress::name).orElse(null));
      ps.setString(9, d.bounceAddress().map(EmailAddress::address).orElse(null));
      ps.setString(10, d.bounceAddress().flatMap(EmailAddress::name).orElse(null));
      ps.setBoolean(11, d.verification().mx());
      ps.setBoolean(12, d.verification().spf());
      ps.setBoolean(13, d.verification().dkim());
      ps.setBoolean(14, d.verification().dmarc());
      setTime(ps, 15, d.createdAt());
      setTime(ps, 16, d.updatedAt());
      setTime(ps, 17, d.deletedAt().orElse(null));
    }

    @Override
    public Optional<Domain> find(Scope scope, UUID id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find domain " + id, "SELECT " + DOMAIN_COLUMNS + " FROM {s}domains"
          + " WHERE id = ?" + ScopeSql.organization(scope, "organization_id"),
          ps -> {
            ps.setObject(1, id);
            ScopeSql.bind(ps, 2, scope);
          }, this::domain);
    }

    @Override
    public Optional<Domain> findByName(Scope scope, String name) {
      Objects.requireNonNull(name, "name");
      return queryOne("find domain by name " + name,
          "SELECT " + DOMAIN_COLUMNS + " FROM {s}domains WHERE name = ? AND deleted_at IS NULL"
              + ScopeSql.organization(scope, "organization_id"),
          ps -> {
            ps.setString(1, name);
            ScopeSql.bind(ps, 2, scope);
          }, this::domain);
    }

    @Override
    public List<Domain> list(String organizationId, Optional<Keyset> after, int limit) {
      Objects.requireNonNull(organizationId, "organizationId");
      Objects.requireNonNull(after, "after");
      String base = "SELECT " + DOMAIN_COLUMNS + " FROM {s}domains"
          + " WHERE organization_id = ? AND deleted_at IS NULL";
      String text = after.isEmpty()
          ? base + " ORDER BY created_at, id LIMIT ?"
          : base + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?";
      return queryList("list domains of organization " + organizationId, text, ps -> {
        ps.setString(1, organizationId);
        bindKeysetAndLimit(ps, 2, after, limit);
      }, this::domain);
    }

    private Domain domain(ResultSet rs) throws SQLException {
      return new Domain(
          rs.getObject("id", UUID.class),
          rs.getString("organization_id"),
          rs.getString("name"),
          Optional.ofNullable(rs.getString("ses_identity_arn")),
          textList(rs.getArray("dkim_tokens")),
          Optional.ofNullable(rs.getString("from_name")),
          address(rs.getString("reply_to_name"), rs.getString("reply_to_address")),
          address(rs.getString("bounce_name"), rs.getString("bounce_address")),
          new DnsVerification(rs.getBoolean("mx_verified"), rs.getBoolean("spf_verified"),
              rs.getBoolean("dkim_verified"), rs.getBoolean("dmarc_verified")),
          time(rs, "created_at"),
          time(rs, "updated_at"),
          Optional.ofNullable(time(rs, "deleted_at")));
    }
  }

  // ---- inboxes ------------------------------------------------------------------------------

  private final class Inboxes implements InboxStore {

    @Override
    public boolean insert(Inbox inbox) {
      Objects.requireNonNull(inbox, "inbox");
      // No conflict target: both partial unique indexes (local part, catch-all) count as
      // conflicts, and a concurrent insert of the same address waits and then yields false.
      String text = "INSERT INTO {s}inboxes (" + INBOX_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
      try (PreparedStatement ps = prepare(text)) {
        bindInbox(ps, inbox);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw fail("insert inbox " + inbox.localPart() + " on domain " + inbox.domainId(), e);
      }
    }

    @Override
    public boolean update(Inbox inbox) {
      Objects.requireNonNull(inbox, "inbox");
      String text = "UPDATE {s}inboxes SET id = ?, domain_id = ?, name = ?, local_part = ?,"
          + " is_catchall = ?, created_at = ?, updated_at = ?, deleted_at = ? WHERE id = ?";
      // UPDATE has no ON CONFLICT: catch the unique violation, but inside a savepoint, because an
      // error aborts the whole PostgreSQL transaction otherwise.
      Savepoint savepoint = null;
      try {
        savepoint = connection.setSavepoint();
        try (PreparedStatement ps = prepare(text)) {
          bindInbox(ps, inbox);
          ps.setObject(9, inbox.id());
          ps.executeUpdate();
        }
        connection.releaseSavepoint(savepoint);
        return true;
      } catch (SQLException e) {
        if (savepoint != null && SqlErrors.UNIQUE_VIOLATION.equals(e.getSQLState())) {
          try {
            connection.rollback(savepoint);
            return false;
          } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
          }
        }
        throw fail("update inbox " + inbox.id(), e);
      }
    }

    private static void bindInbox(PreparedStatement ps, Inbox inbox) throws SQLException {
      ps.setObject(1, inbox.id());
      ps.setObject(2, inbox.domainId());
      ps.setString(3, inbox.name());
      ps.setString(4, inbox.localPart());
      ps.setBoolean(5, inbox.catchAll());
      setTime(ps, 6, inbox.createdAt());
      setTime(ps, 7, inbox.updatedAt());
      setTime(ps, 8, inbox.deletedAt().orElse(null));
    }

    @Override
    public Optional<Inbox> find(Scope scope, UUID id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find inbox " + id, "SELECT " + INBOX_COLUMNS + " FROM {s}inboxes"
          + " WHERE id = ?" + ScopeSql.domain(scope, "domain_id"),
          ps -> {
            ps.setObject(1, id);
            ScopeSql.bind(ps, 2, scope);
          }, Inboxes::inbox);
    }

    @Override
    public Optional<Inbox> findByLocalPart(Scope scope, UUID domainId, String localPart) {
      Objects.requireNonNull(domainId, "domainId");
      Objects.requireNonNull(localPart, "localPart");
      return queryOne("route " + localPart + " on domain " + domainId,
          ROUTE + ScopeSql.domain(scope, "domain_id"),
          ps -> {
            ps.setObject(1, domainId);
            ps.setString(2, localPart);
            ScopeSql.bind(ps, 3, scope);
          }, Inboxes::inbox);
    }

    @Override
    public List<Inbox> findRouteCandidates(String domainName, Collection<String> localParts) {
      Objects.requireNonNull(domainName, "domainName");
      Objects.requireNonNull(localParts, "localParts");
      Object[] parts = new LinkedHashSet<>(localParts).toArray();
      // The engine reads the webhook endpoints of the inboxes a message is routed to next (one
      // lookup per domain, before the inbox locks): they come back in this round trip, for the
      // organization that owns the domain, and are kept until the next statement other than a
      // route lookup (those of the other domains keep theirs).
      try (PreparedStatement ps = prepareKeepingRouted(
          ROUTE_CANDIDATES + ";" + PgWebhookStore.ENABLED_ENDPOINTS_OF_DOMAIN)) {
        ps.setString(1, domainName);
        ps.setArray(2, connection.createArrayOf("text", parts));
        ps.setString(3, domainName);
        ps.execute();
        List<Inbox> candidates = new ArrayList<>();
        try (ResultSet rs = ps.getResultSet()) {
          while (rs.next()) {
            candidates.add(inbox(rs));
          }
        }
        if (!ps.getMoreResults()) {
          throw new SQLException("the endpoint lookup after the route lookup returned no result");
        }
        List<WebhookEndpointRecord> endpoints;
        try (ResultSet rs = ps.getResultSet()) {
          endpoints = List.copyOf(PgWebhookStore.endpoints(rs));
        }
        candidates.forEach(i -> routedEndpoints.put(i.id(), endpoints));
        return candidates;
      } catch (SQLException e) {
        throw fail("route " + localParts + " on domain " + domainName, e);
      }
    }

    @Override
    public List<Inbox> list(Scope scope, UUID domainId, Optional<Keyset> after, int limit) {
      Objects.requireNonNull(domainId, "domainId");
      Objects.requireNonNull(after, "after");
      String base = "SELECT " + INBOX_COLUMNS + " FROM {s}inboxes"
          + " WHERE domain_id = ? AND deleted_at IS NULL" + ScopeSql.domain(scope, "domain_id");
      String text = after.isEmpty()
          ? base + " ORDER BY created_at, id LIMIT ?"
          : base + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?";
      return queryList("list inboxes of domain " + domainId, text, ps -> {
        ps.setObject(1, domainId);
        bindKeysetAndLimit(ps, ScopeSql.bind(ps, 2, scope), after, limit);
      }, Inboxes::inbox);
    }

    private static Inbox inbox(ResultSet rs) throws SQLException {
      return new Inbox(
          rs.getObject("id", UUID.class),
          rs.getObject("domain_id", UUID.class),
          rs.getString("name"),
          rs.getString("local_part"),
          rs.getBoolean("is_catchall"),
          time(rs, "created_at"),
          time(rs, "updated_at"),
          Optional.ofNullable(time(rs, "deleted_at")));
    }
  }

  // ---- threads ------------------------------------------------------------------------------

  private final class Threads implements ThreadStore {

    @Override
    public void update(EmailThread t) {
      Objects.requireNonNull(t, "thread");
      try (PreparedStatement ps = prepare("UPDATE {s}threads SET id = ?, inbox_id = ?, subject = ?,"
          + " created_at = ?, updated_at = ?, message_count = ?, deleted_at = ? WHERE id = ?")) {
        bindThread(ps, 1, t);
        ps.setObject(8, t.id().value());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("update thread " + t.id(), e);
      }
    }

    @Override
    public Optional<EmailThread> find(Scope scope, ThreadId id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find thread " + id, "SELECT " + THREAD_COLUMNS + " FROM {s}threads"
          + " WHERE id = ?" + ScopeSql.inbox(scope, "inbox_id"),
          ps -> {
            ps.setObject(1, id.value());
            ScopeSql.bind(ps, 2, scope);
          }, PgTransaction::thread);
    }

    @Override
    public List<EmailThread> list(Scope scope, UUID inboxId, Optional<Keyset> after,
        int limit) {
      Objects.requireNonNull(inboxId, "inboxId");
      Objects.requireNonNull(after, "after");
      return queryList("list threads of inbox " + inboxId, listThreads(scope, after.isPresent()),
          ps -> {
        ps.setObject(1, inboxId);
        bindKeysetAndLimit(ps, ScopeSql.bindInbox(ps, 2, scope, inboxId), after, limit);
      }, PgTransaction::thread);
    }

    @Override
    public List<EmailThread> findBySubject(UUID inboxId, String subject,
        Collection<String> participants, Instant activeSince) {
      Objects.requireNonNull(inboxId, "inboxId");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(participants, "participants");
      Objects.requireNonNull(activeSince, "activeSince");
      if (participants.isEmpty()) {
        return List.of();
      }
      String[] people = new LinkedHashSet<>(participants).toArray(String[]::new);
      return queryList("find threads by subject in inbox " + inboxId, FIND_THREAD_BY_SUBJECT,
          ps -> {
            ps.setObject(1, inboxId);
            ps.setString(2, subject);
            ps.setString(3, subject);
            setTime(ps, 4, activeSince);
            ps.setArray(5, connection.createArrayOf("text", people));
          }, PgTransaction::thread);
    }

    @Override
    public void merge(EmailThread survivor, Collection<ThreadId> absorbed, Instant at) {
      Objects.requireNonNull(survivor, "survivor");
      Objects.requireNonNull(at, "at");
      UUID[] old = absorbed.stream().map(ThreadId::value).toArray(UUID[]::new);
      try (PreparedStatement ps = prepare(MERGE_THREADS)) {
        java.sql.Array olds = connection.createArrayOf("uuid", old);
        int i = 1;
        ps.setObject(i++, survivor.id().value());
        ps.setArray(i++, olds);
        ps.setObject(i++, survivor.id().value());
        ps.setArray(i++, olds);
        ps.setObject(i++, survivor.id().value());
        ps.setObject(i++, survivor.inboxId());
        setTime(ps, i++, at);
        ps.setArray(i++, olds);
        ps.setArray(i++, olds);
        ps.setInt(i++, survivor.messageCount());
        setTime(ps, i++, survivor.updatedAt());
        setTime(ps, i++, survivor.deletedAt().orElse(null));
        ps.setObject(i, survivor.id().value());
        ps.execute();
      } catch (SQLException e) {
        throw fail("merge " + old.length + " threads into " + survivor.id(), e);
      }
    }

    @Override
    public Optional<ThreadId> findSurvivor(ThreadId id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find the thread " + id + " was merged into",
          "SELECT survivor_id FROM {s}thread_redirects WHERE old_id = ?",
          ps -> ps.setObject(1, id.value()), rs -> new ThreadId(rs.getObject(1, UUID.class)));
    }

    @Override
    public void move(UUID messageId, ThreadChange target, ThreadPlacement placement) {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(placement, "placement");
      Optional<UUID> from = queryOne("find thread of message " + messageId,
          "SELECT thread_id FROM {s}messages WHERE id = ?", ps -> ps.setObject(1, messageId),
          rs -> rs.getObject(1, UUID.class));
      if (from.isEmpty()) {
        return;
      }
      EmailThread t = target.thread();
      String write = target instanceof ThreadChange.Start
          ? "INSERT INTO {s}threads (" + THREAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
          : "UPDATE {s}threads SET message_count = ?, updated_at = ?, deleted_at = ? WHERE id = ?";
      try (PreparedStatement ps = prepare(write)) {
        if (target instanceof ThreadChange.Start) {
          bindThread(ps, 1, t);
        } else {
          ps.setInt(1, t.messageCount());
          setTime(ps, 2, t.updatedAt());
          setTime(ps, 3, t.deletedAt().orElse(null));
          ps.setObject(4, t.id().value());
        }
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("write target thread " + t.id() + " of a move", e);
      }
      try (PreparedStatement ps = prepare("UPDATE {s}messages SET thread_id = ?, thread_rule = ?,"
          + " thread_match_message = ?, thread_match_thread = ?, thread_merged = ? WHERE id = ?")) {
        ps.setObject(1, t.id().value());
        int i = bindPlacement(ps, 2, Optional.of(placement));
        ps.setObject(i, messageId);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("move message " + messageId + " to thread " + t.id(), e);
      }
      try (PreparedStatement ps = prepare(RECOUNT_AFTER_MOVE)) {
        UUID to = t.id().value();
        Object[] values = {from.get(), from.get(), from.get(), to, from.get(), from.get(), to};
        for (int k = 0; k < values.length; k++) {
          ps.setObject(k + 1, values[k]);
        }
        ps.execute();
      } catch (SQLException e) {
        throw fail("recount thread " + from.get() + " after a move", e);
      }
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  private final class Messages implements MessageStore {

    // One statement, one round trip: the message row, its thread change, then its children as
    // unnest()ed array parameters joined to the inserted row. ON CONFLICT on (inbox, Message-ID)
    // makes a duplicate (including one a concurrent transaction committed first: the insert waits
    // for it) write nothing at all, thread change and children included, instead of raising a
    // unique violation. The foreign key from the message to its thread is checked at the end of
    // the statement, so a thread inserted by the same statement satisfies it.
    /** The columns of a message row, in the order both inserts give them. */
    private static final String MESSAGE_COLUMNS = " (id, message_id, thread_id, inbox_id,"
        + " direction, from_address, from_name, subject, sent_at, in_reply_to, body_text,"
        + " body_html, raw_storage_key, ses_message_id, created_at, participants, spam_verdict,"
        + " virus_verdict, spf_verdict, dkim_verdict, dmarc_verdict, thread_rule,"
        + " thread_match_message, thread_match_thread, thread_merged)";
    private static final String MESSAGE_ROW = "WITH m AS ("
        + " INSERT INTO {s}messages" + MESSAGE_COLUMNS
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The message row; a message the inbox already holds fails the statement. */
    private static final String INSERT_MESSAGE_ROW = MESSAGE_ROW + " RETURNING id, thread_id),";
    /** The message row, writing nothing for a message the inbox already holds. */
    private static final String INSERT_MESSAGE_ROW_IF_NEW = MESSAGE_ROW
        + " ON CONFLICT (inbox_id, message_id) DO NOTHING RETURNING id, thread_id),";
    private static final String START_THREAD = " t AS (INSERT INTO {s}threads (" + THREAD_COLUMNS
        + ") SELECT ?, ?, ?, ?, ?, ?, ? FROM m)";
    private static final String UPDATE_THREAD = " t AS (UPDATE {s}threads SET"
        + " message_count = ?, updated_at = ?, deleted_at = ?"
        + " WHERE id = (SELECT thread_id FROM m))";
    // The child rows, each CTE only when the message has such rows: an empty array costs the
    // client an array conversion and the server a plan node for nothing. Positions come from
    // WITH ORDINALITY (1-based; stored 0-based), so no position arrays are sent.
    private static final String INSERT_RECIPIENTS = " r AS (INSERT INTO {s}message_recipients"
        + " (message_id, recipient_type, address, name, position)"
        + " SELECT m.id, u.t, u.a, u.n, u.p - 1 FROM m,"
        + " unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS u(t, a, n, p))";
    private static final String INSERT_REFERENCES = " f AS (INSERT INTO {s}message_references"
        + " (message_id, referenced_id, position)"
        + " SELECT m.id, u.r, u.p - 1 FROM m, unnest(?::text[]) WITH ORDINALITY AS u(r, p))";
    private static final String INSERT_ATTACHMENTS = " a AS (INSERT INTO {s}attachments (id,"
        + " message_id, filename, content_type, size_bytes, storage_key, content_id, inline,"
        + " position)"
        + " SELECT u.id, m.id, u.f, u.ct, u.sz, u.sk, u.cid, u.il, u.p - 1 FROM m,"
        + " unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],"
        + " ?::boolean[]) WITH ORDINALITY AS u(id, f, ct, sz, sk, cid, il, p))";

    /**
     * The insert statement for a message with the given kinds of child rows; with
     * {@code onConflict}, a message the inbox already holds writes nothing, otherwise it fails
     * the statement.
     */
    private static String insertMessage(boolean start, boolean recipients, boolean references,
        boolean attachments, boolean onConflict) {
      StringBuilder text = new StringBuilder(onConflict ? INSERT_MESSAGE_ROW_IF_NEW
          : INSERT_MESSAGE_ROW).append(start ? START_THREAD : UPDATE_THREAD);
      if (recipients) {
        text.append(',').append(INSERT_RECIPIENTS);
      }
      if (references) {
        text.append(',').append(INSERT_REFERENCES);
      }
      if (attachments) {
        text.append(',').append(INSERT_ATTACHMENTS);
      }
      return text.append(" SELECT count(*) FROM m").toString();
    }

    /** {@link #insertMessage} for this message and thread change. */
    private static String insertMessage(EmailMessage m, ThreadChange thread, boolean onConflict) {
      return insertMessage(thread instanceof ThreadChange.Start, recipientCount(m) > 0,
          !m.references().isEmpty(), !m.attachments().isEmpty(), onConflict);
    }

    private static int recipientCount(EmailMessage m) {
      return m.to().size() + m.cc().size() + m.bcc().size() + m.replyTo().size();
    }

    @Override
    public boolean insert(EmailMessage m, Collection<String> participants,
        ThreadChange thread, Optional<ThreadPlacement> placement) {
      Objects.requireNonNull(m, "message");
      Objects.requireNonNull(participants, "participants");
      Objects.requireNonNull(thread, "thread");
      try (Carrying q = new Carrying(insertMessage(m, thread, true))) {
        bindMessage(q.ps, q.first, m, participants, thread, placement);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          return rs.getLong(1) == 1;
        }
      } catch (SQLException e) {
        StorageException missingThread = missingThread(m, thread, e);
        if (missingThread != null) {
          throw missingThread;
        }
        throw fail("insert message " + m.messageId() + " into inbox " + m.inboxId(), e);
      }
    }

    /** The failure of a message joining a thread that has no row, or null for another one. */
    private static StorageException missingThread(EmailMessage m, ThreadChange thread,
        SQLException e) {
      if (thread instanceof ThreadChange.Update
          && SqlErrors.FOREIGN_KEY_VIOLATION.equals(SqlErrors.sqlState(e))) {
        return new StorageException("message " + m.messageId() + " joins thread "
            + m.threadId() + ", which does not exist; nothing was written", false, e);
      }
      return null;
    }

    /** Binds the parameters of {@link #insertMessage} from {@code first}; the next index. */
    private int bindMessage(PreparedStatement ps, int first, EmailMessage m,
        Collection<String> participants, ThreadChange thread, Optional<ThreadPlacement> placement)
        throws SQLException {
      int i = first;
      ps.setObject(i++, m.id());
      ps.setString(i++, m.messageId().value());
      ps.setObject(i++, m.threadId().value());
      ps.setObject(i++, m.inboxId());
      ps.setString(i++, m.direction().code());
      ps.setString(i++, m.from().address());
      ps.setString(i++, m.from().name().orElse(null));
      ps.setString(i++, m.subject());
      setTime(ps, i++, m.sentAt());
      ps.setString(i++, m.inReplyTo().map(MessageId::value).orElse(null));
      ps.setString(i++, m.bodyText().orElse(null));
      ps.setString(i++, m.bodyHtml().orElse(null));
      ps.setString(i++, m.rawStorageKey());
      ps.setString(i++, m.providerMessageId().orElse(null));
      setTime(ps, i++, m.createdAt());
      ps.setArray(i++, connection.createArrayOf("text",
          new LinkedHashSet<>(participants).toArray()));
      ReceiptVerdicts v = m.verdicts();
      for (Optional<ReceiptVerdicts.Verdict> verdict
          : List.of(v.spam(), v.virus(), v.spf(), v.dkim(), v.dmarc())) {
        ps.setString(i++, verdict.map(ReceiptVerdicts.Verdict::code).orElse(null));
      }
      i = bindPlacement(ps, i, placement);
      EmailThread t = thread.thread();
      if (thread instanceof ThreadChange.Start) {
        i = bindThread(ps, i, t);
      } else {
        ps.setInt(i++, t.messageCount());
        setTime(ps, i++, t.updatedAt());
        setTime(ps, i++, t.deletedAt().orElse(null));
      }
      int recipients = recipientCount(m);
      if (recipients > 0) {
        String[] types = new String[recipients];
        String[] addresses = new String[recipients];
        String[] names = new String[recipients];
        int r = 0;
        for (String type : RECIPIENT_TYPES) {
          for (EmailAddress a : recipients(m, type)) {
            types[r] = type;
            addresses[r] = a.address();
            names[r] = a.name().orElse(null);
            r++;
          }
        }
        ps.setArray(i++, connection.createArrayOf("text", types));
        ps.setArray(i++, connection.createArrayOf("text", addresses));
        ps.setArray(i++, connection.createArrayOf("text", names));
      }
      int refCount = m.references().size();
      if (refCount > 0) {
        String[] refs = new String[refCount];
        for (int k = 0; k < refCount; k++) {
          refs[k] = m.references().get(k).value();
        }
        ps.setArray(i++, connection.createArrayOf("text", refs));
      }
      int attCount = m.attachments().size();
      if (attCount > 0) {
        UUID[] attIds = new UUID[attCount];
        String[] filenames = new String[attCount];
        String[] contentTypes = new String[attCount];
        Long[] sizes = new Long[attCount];
        String[] keys = new String[attCount];
        String[] contentIds = new String[attCount];
        Boolean[] inline = new Boolean[attCount];
        for (int k = 0; k < attCount; k++) {
          EmailAttachment a = m.attachments().get(k);
          attIds[k] = a.id();
          filenames[k] = a.filename();
          contentTypes[k] = a.contentType();
          sizes[k] = a.sizeBytes();
          keys[k] = a.storageKey();
          contentIds[k] = a.contentId().orElse(null);
          inline[k] = a.inline();
        }
        ps.setArray(i++, connection.createArrayOf("uuid", attIds));
        ps.setArray(i++, connection.createArrayOf("text", filenames));
        ps.setArray(i++, connection.createArrayOf("text", contentTypes));
        ps.setArray(i++, connection.createArrayOf("int8", sizes));
        ps.setArray(i++, connection.createArrayOf("text", keys));
        ps.setArray(i++, connection.createArrayOf("text", contentIds));
        ps.setArray(i++, connection.createArrayOf("bool", inline));
      }
      return i;
    }

    // A receive batch in one statement (ADR 0008): the started threads, the joined threads' new
    // values, the messages and all their children, every row set unnest()ed from array
    // parameters, so the text depends only on which kinds of rows the batch has and its plan is
    // reused. Participant keys and merged-thread lists are per message arrays: they travel flat
    // with the message's 1-based position and are gathered back per row. No ON CONFLICT: the
    // engine checked findHeld under the inbox lock, so a duplicate here is an error.
    private static final String INSERT_ALL_STARTED = " ts AS (INSERT INTO {s}threads ("
        + THREAD_COLUMNS + ") SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[],"
        + " ?::timestamptz[], ?::timestamptz[], ?::int[], ?::timestamptz[])),";
    private static final String INSERT_ALL_JOINED = " tu AS (UPDATE {s}threads t SET"
        + " message_count = u.c, updated_at = u.up, deleted_at = u.d"
        + " FROM unnest(?::uuid[], ?::int[], ?::timestamptz[], ?::timestamptz[]) AS u(id, c, up, d)"
        + " WHERE t.id = u.id),";
    private static final String INSERT_ALL_MESSAGES = " pp AS (SELECT * FROM"
        + " unnest(?::int[], ?::text[]) WITH ORDINALITY AS x(i, v, o)),"
        + " gm AS (SELECT * FROM unnest(?::int[], ?::uuid[]) WITH ORDINALITY AS x(i, v, o)),"
        + " m AS (INSERT INTO {s}messages" + MESSAGE_COLUMNS
        + " SELECT u.id, u.mid, u.tid, u.iid, u.dir, u.fa, u.fn, u.sub, u.sent, u.irt, u.bt,"
        + " u.bh, u.rk, u.pid, u.ca, ARRAY(SELECT p.v FROM pp p WHERE p.i = u.n ORDER BY p.o),"
        + " u.v1, u.v2, u.v3, u.v4, u.v5, u.rule, u.mm, u.mt,"
        + " NULLIF(ARRAY(SELECT g.v FROM gm g WHERE g.i = u.n ORDER BY g.o), '{}')"
        + " FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::uuid[]) WITH ORDINALITY AS u(id, mid, tid, iid, dir, fa,"
        + " fn, sub, sent, irt, bt, bh, rk, pid, ca, v1, v2, v3, v4, v5, rule, mm, mt, n))";
    private static final String INSERT_ALL_RECIPIENTS = ", r AS (INSERT INTO"
        + " {s}message_recipients (message_id, recipient_type, address, name, position)"
        + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[]))";
    private static final String INSERT_ALL_REFERENCES = ", f AS (INSERT INTO"
        + " {s}message_references (message_id, referenced_id, position)"
        + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::int[]))";
    private static final String INSERT_ALL_ATTACHMENTS = ", a AS (INSERT INTO {s}attachments"
        + " (id, message_id, filename, content_type, size_bytes, storage_key, content_id, inline,"
        + " position) SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[],"
        + " ?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::int[]))";

    @Override
    public Set<MessageId> findHeld(UUID inboxId, Collection<MessageId> messageIds) {
      Objects.requireNonNull(inboxId, "inboxId");
      String[] ids = messageIds.stream().map(MessageId::value).distinct().toArray(String[]::new);
      try (Carrying q = new Carrying("SELECT message_id FROM {s}messages"
          + " WHERE inbox_id = ? AND message_id = ANY(?)")) {
        q.ps.setObject(q.first, inboxId);
        q.ps.setArray(q.first + 1, connection.createArrayOf("text", ids));
        Set<MessageId> held = new HashSet<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            held.add(new MessageId(rs.getString(1)));
          }
        }
        return held;
      } catch (SQLException e) {
        throw fail("find which of " + ids.length + " messages inbox " + inboxId + " holds", e);
      }
    }

    // Deferred (see defer): the engine threads every message before the write, and nothing it
    // does after the write needs the write's answer, so a receive's write travels with its
    // commit. One message goes by the one-row insert, which sends no per-row arrays, without
    // ON CONFLICT: the engine checked under the inbox lock that the inbox does not hold it.
    @Override
    public void insertAll(List<NewMessage> batch, List<ThreadChange> threads) {
      Map<ThreadId, ThreadChange> byId = ThreadChange.byThread(threads);
      batch.forEach(m -> ThreadChange.forMessage(byId, m.message()));
      if (batch.isEmpty()) {
        return;
      }
      List<NewMessage> messages = List.copyOf(batch);
      if (messages.size() == 1 && threads.size() == 1) {
        NewMessage one = messages.get(0);
        EmailMessage m = one.message();
        ThreadChange thread = threads.get(0);
        List<String> participants = List.copyOf(one.participants());
        defer(insertMessage(m, thread, false), (ps, first) -> bindMessage(ps, first, m,
            participants, thread, one.placement()),
            "insert message " + m.messageId() + " into inbox " + m.inboxId(),
            e -> insertOneFailure(m, thread, e));
        return;
      }
      List<EmailThread> started = new ArrayList<>();
      List<EmailThread> joined = new ArrayList<>();
      threads.forEach(c -> (c instanceof ThreadChange.Start ? started : joined).add(c.thread()));
      InsertAllRows rows = new InsertAllRows(messages);
      StringBuilder text = new StringBuilder("WITH");
      if (!started.isEmpty()) {
        text.append(INSERT_ALL_STARTED);
      }
      if (!joined.isEmpty()) {
        text.append(INSERT_ALL_JOINED);
      }
      text.append(INSERT_ALL_MESSAGES);
      if (!rows.recipientOf.isEmpty()) {
        text.append(INSERT_ALL_RECIPIENTS);
      }
      if (!rows.referenceOf.isEmpty()) {
        text.append(INSERT_ALL_REFERENCES);
      }
      if (!rows.attachmentOf.isEmpty()) {
        text.append(INSERT_ALL_ATTACHMENTS);
      }
      text.append(" SELECT 1");
      defer(text.toString(), (ps, first) -> {
        ArrayBinder b = new ArrayBinder(ps, first);
        if (!started.isEmpty()) {
          b.uuids(started, t -> t.id().value()).uuids(started, EmailThread::inboxId)
              .texts(started, EmailThread::subject).times(started, EmailThread::createdAt)
              .times(started, EmailThread::updatedAt).ints(started, EmailThread::messageCount)
              .times(started, t -> t.deletedAt().orElse(null));
        }
        if (!joined.isEmpty()) {
          b.uuids(joined, t -> t.id().value()).ints(joined, EmailThread::messageCount)
              .times(joined, EmailThread::updatedAt)
              .times(joined, t -> t.deletedAt().orElse(null));
        }
        b.ints(rows.participantOf, x -> x).texts(rows.participants, x -> x)
            .ints(rows.mergedOf, x -> x).uuids(rows.merged, x -> x);
        List<EmailMessage> ms = messages.stream().map(NewMessage::message).toList();
        b.uuids(ms, EmailMessage::id).texts(ms, m -> m.messageId().value())
            .uuids(ms, m -> m.threadId().value()).uuids(ms, EmailMessage::inboxId)
            .texts(ms, m -> m.direction().code()).texts(ms, m -> m.from().address())
            .texts(ms, m -> m.from().name().orElse(null)).texts(ms, EmailMessage::subject)
            .times(ms, EmailMessage::sentAt)
            .texts(ms, m -> m.inReplyTo().map(MessageId::value).orElse(null))
            .texts(ms, m -> m.bodyText().orElse(null)).texts(ms, m -> m.bodyHtml().orElse(null))
            .texts(ms, EmailMessage::rawStorageKey)
            .texts(ms, m -> m.providerMessageId().orElse(null))
            .times(ms, EmailMessage::createdAt)
            .texts(ms, m -> verdict(m.verdicts().spam()))
            .texts(ms, m -> verdict(m.verdicts().virus()))
            .texts(ms, m -> verdict(m.verdicts().spf()))
            .texts(ms, m -> verdict(m.verdicts().dkim()))
            .texts(ms, m -> verdict(m.verdicts().dmarc()));
        List<Optional<ThreadPlacement>> placed = messages.stream()
            .map(NewMessage::placement).toList();
        b.texts(placed, p -> p.map(x -> x.rule().name()).orElse(null))
            .texts(placed, p -> p.flatMap(ThreadPlacement::matchedMessageId).map(MessageId::value)
                .orElse(null))
            .uuids(placed, p -> p.flatMap(ThreadPlacement::matchedThread).map(ThreadId::value)
                .orElse(null));
        if (!rows.recipientOf.isEmpty()) {
          b.uuids(rows.recipientOf, x -> x).texts(rows.recipientType, x -> x)
              .texts(rows.recipients, EmailAddress::address)
              .texts(rows.recipients, a -> a.name().orElse(null))
              .ints(rows.recipientPosition, x -> x);
        }
        if (!rows.referenceOf.isEmpty()) {
          b.uuids(rows.referenceOf, x -> x).texts(rows.references, MessageId::value)
              .ints(rows.referencePosition, x -> x);
        }
        if (!rows.attachmentOf.isEmpty()) {
          List<EmailAttachment> as = rows.attachments;
          b.uuids(as, EmailAttachment::id).uuids(rows.attachmentOf, x -> x)
              .texts(as, EmailAttachment::filename).texts(as, EmailAttachment::contentType)
              .longs(as, EmailAttachment::sizeBytes).texts(as, EmailAttachment::storageKey)
              .texts(as, a -> a.contentId().orElse(null)).bools(as, EmailAttachment::inline)
              .ints(rows.attachmentPosition, x -> x);
        }
        return b.next();
      }, "insert " + messages.size() + " messages", e -> insertAllFailure(messages, e));
    }

    /** The failure a deferred insertAll explains itself, or null. */
    /** The failure of a one-message {@link #insertAll}, naming it, or null for another one. */
    private static StorageException insertOneFailure(EmailMessage m, ThreadChange thread,
        SQLException e) {
      if (SqlErrors.UNIQUE_VIOLATION.equals(SqlErrors.sqlState(e))) {
        return new StorageException("inbox " + m.inboxId() + " already holds " + m.messageId()
            + ": insertAll expects messages findHeld did not report under the inbox lock;"
            + " nothing was written", false, e);
      }
      return missingThread(m, thread, e);
    }

    private static StorageException insertAllFailure(List<NewMessage> batch, SQLException e) {
      String state = SqlErrors.sqlState(e);
      if (SqlErrors.UNIQUE_VIOLATION.equals(state)) {
        return new StorageException("one of " + batch.size() + " messages is already in its"
            + " inbox; insertAll expects messages findHeld did not report under the inbox"
            + " lock", false, e);
      }
      if (SqlErrors.FOREIGN_KEY_VIOLATION.equals(state)) {
        return new StorageException("a message of the batch joins a thread that does not"
            + " exist; nothing was written", false, e);
      }
      return null;
    }

    private static String verdict(Optional<ReceiptVerdicts.Verdict> v) {
      return v.map(ReceiptVerdicts.Verdict::code).orElse(null);
    }

    /** The flat child rows of an insertAll batch, each with its message. */
    private final class InsertAllRows {
      final List<Integer> participantOf = new ArrayList<>();
      final List<String> participants = new ArrayList<>();
      final List<Integer> mergedOf = new ArrayList<>();
      final List<UUID> merged = new ArrayList<>();
      final List<UUID> recipientOf = new ArrayList<>();
      final List<String> recipientType = new ArrayList<>();
      final List<EmailAddress> recipients = new ArrayList<>();
      final List<Integer> recipientPosition = new ArrayList<>();
      final List<UUID> referenceOf = new ArrayList<>();
      final List<MessageId> references = new ArrayList<>();
      final List<Integer> referencePosition = new ArrayList<>();
      final List<UUID> attachmentOf = new ArrayList<>();
      final List<EmailAttachment> attachments = new ArrayList<>();
      final List<Integer> attachmentPosition = new ArrayList<>();

      InsertAllRows(List<NewMessage> batch) {
        for (int n = 0; n < batch.size(); n++) {
          NewMessage nm = batch.get(n);
          EmailMessage m = nm.message();
          for (String p : nm.participants()) {
            participantOf.add(n + 1);
            participants.add(p);
          }
          for (ThreadId t : nm.placement().map(ThreadPlacement::mergedThreads)
              .orElse(List.of())) {
            mergedOf.add(n + 1);
            merged.add(t.value());
          }
          int position = 0;
          for (String type : RECIPIENT_TYPES) {
            for (EmailAddress a : recipients(m, type)) {
              recipientOf.add(m.id());
              recipientType.add(type);
              recipients.add(a);
              recipientPosition.add(position++);
            }
          }
          for (int k = 0; k < m.references().size(); k++) {
            referenceOf.add(m.id());
            references.add(m.references().get(k));
            referencePosition.add(k);
          }
          for (int k = 0; k < m.attachments().size(); k++) {
            attachmentOf.add(m.id());
            attachments.add(m.attachments().get(k));
            attachmentPosition.add(k);
          }
        }
      }
    }

    @Override
    public void setProviderMessageId(UUID id, String providerMessageId) {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(providerMessageId, "providerMessageId");
      try (PreparedStatement ps = prepare("UPDATE {s}messages SET ses_message_id = ? WHERE id = ?")) {
        ps.setString(1, providerMessageId);
        ps.setObject(2, id);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("set provider id of message " + id, e);
      }
    }

    @Override
    public void insertAlias(UUID id, MessageId alias) {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(alias, "alias");
      try (PreparedStatement ps = prepare("INSERT INTO {s}message_aliases (message_id, inbox_id,"
          + " alias) SELECT id, inbox_id, ? FROM {s}messages WHERE id = ?"
          + " ON CONFLICT (message_id) DO UPDATE SET alias = EXCLUDED.alias")) {
        ps.setString(1, alias.value());
        ps.setObject(2, id);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("record alias " + alias + " of message " + id, e);
      }
    }

    @Override
    public Optional<MessageId> findAlias(UUID id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find alias of message " + id,
          "SELECT alias FROM {s}message_aliases WHERE message_id = ?",
          ps -> ps.setObject(1, id), rs -> new MessageId(rs.getString(1)));
    }

    /** Recipient rows by type, in this order; 'reply_to' is the V3 deviation. */
    private static final List<String> RECIPIENT_TYPES = List.of("to", "cc", "bcc", "reply_to");

    private static List<EmailAddress> recipients(EmailMessage m, String type) {
      switch (type) {
        case "to": return m.to();
        case "cc": return m.cc();
        case "bcc": return m.bcc();
        default: return m.replyTo();
      }
    }

    @Override
    public Optional<EmailMessage> find(Scope scope, UUID id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find message " + id,
          MESSAGE_SELECT + " WHERE m.id = ?" + ScopeSql.inbox(scope, "m.inbox_id"),
          ps -> {
            ps.setObject(1, id);
            ScopeSql.bind(ps, 2, scope);
          }, this::message);
    }

    @Override
    public Optional<EmailMessage> findByMessageId(Scope scope, UUID inboxId,
        MessageId messageId) {
      Objects.requireNonNull(inboxId, "inboxId");
      Objects.requireNonNull(messageId, "messageId");
      return queryOne("find message " + messageId + " in inbox " + inboxId,
          FIND_BY_MESSAGE_ID + ScopeSql.inbox(scope, "?"),
          ps -> {
            ps.setObject(1, inboxId);
            ps.setString(2, messageId.value());
            ScopeSql.bindInbox(ps, 3, scope, inboxId);
          }, this::message);
    }

    @Override
    public Optional<EmailMessage> findByProviderMessageId(String providerMessageId) {
      Objects.requireNonNull(providerMessageId, "providerMessageId");
      // The provider issues one id per send; should two rows ever carry it, take the oldest.
      return queryOne("find message by provider id " + providerMessageId,
          MESSAGE_SELECT + " WHERE m.ses_message_id = ? ORDER BY m.created_at, m.id LIMIT 1",
          ps -> ps.setString(1, providerMessageId), this::message);
    }

    @Override
    public Optional<ThreadPlacement> findPlacement(UUID id) {
      Objects.requireNonNull(id, "id");
      return queryOne("find placement of message " + id, "SELECT thread_rule,"
          + " thread_match_message, thread_match_thread, thread_merged FROM {s}messages"
          + " WHERE id = ? AND thread_rule IS NOT NULL",
          ps -> ps.setObject(1, id), PgTransaction::placement);
    }

    @Override
    public List<ThreadLink> findLinkedThreads(UUID inboxId, MessageId self,
        Collection<MessageId> linked) {
      Objects.requireNonNull(inboxId, "inboxId");
      Objects.requireNonNull(self, "self");
      String[] ids = linked.stream().map(MessageId::value).distinct().toArray(String[]::new);
      String[] all = new String[ids.length + 1];
      all[0] = self.value();
      System.arraycopy(ids, 0, all, 1, ids.length);
      String purpose = "find threads linked to " + self + " in inbox " + inboxId;
      try (Carrying q = new Carrying(FIND_LINKED_THREADS)) {
        // the message itself is held by its Message-ID only, as the insert's duplicate test
        java.sql.Array withSelf = connection.createArrayOf("text", all);
        int i = q.first;
        q.ps.setObject(i++, inboxId);
        q.ps.setArray(i++, withSelf);
        q.ps.setObject(i++, inboxId);
        q.ps.setArray(i++, connection.createArrayOf("text", ids));
        q.ps.setArray(i++, withSelf);
        q.ps.setObject(i++, inboxId);
        q.ps.setObject(i, inboxId);
        List<ThreadLink> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            String rule = rs.getString("via_rule");
            out.add(new ThreadLink(new MessageId(rs.getString("named")), rs.getBoolean("held"),
                new MessageId(rs.getString("via")),
                rule != null && ThreadPlacement.Rule.valueOf(rule).manual(), thread(rs)));
          }
        }
        return out;
      } catch (SQLException e) {
        throw fail(purpose, e);
      }
    }

    @Override
    public List<EmailMessage> list(Scope scope, ThreadId threadId, Optional<Keyset> after,
        int limit) {
      Objects.requireNonNull(threadId, "threadId");
      Objects.requireNonNull(after, "after");
      return queryList("list messages of thread " + threadId,
          listMessages(scope, after.isPresent()), ps -> {
        ps.setObject(1, threadId.value());
        bindKeysetAndLimit(ps, ScopeSql.bindInbox(ps, 2, scope, threadId.value()), after,
            limit);
      }, this::message);
    }

    private EmailMessage message(ResultSet rs) throws SQLException {
      List<EmailAddress> to = new ArrayList<>();
      List<EmailAddress> cc = new ArrayList<>();
      List<EmailAddress> bcc = new ArrayList<>();
      List<EmailAddress> replyTo = new ArrayList<>();
      for (JsonNode r : jsonArray(rs.getString("recipients"))) {
        EmailAddress a = new EmailAddress(Optional.ofNullable(r.get(2).textValue()),
            r.get(1).textValue());
        switch (r.get(0).textValue()) {
          case "to": to.add(a); break;
          case "cc": cc.add(a); break;
          case "bcc": bcc.add(a); break;
          default: replyTo.add(a); break;
        }
      }
      List<MessageId> references = new ArrayList<>();
      for (JsonNode r : jsonArray(rs.getString("refs"))) {
        references.add(new MessageId(r.textValue()));
      }
      List<EmailAttachment> attachments = new ArrayList<>();
      for (JsonNode a : jsonArray(rs.getString("atts"))) {
        attachments.add(new EmailAttachment(UUID.fromString(a.get(0).textValue()),
            a.get(1).textValue(), a.get(2).textValue(), a.get(3).longValue(), a.get(4).textValue(),
            Optional.ofNullable(a.get(5).textValue()), a.get(6).booleanValue()));
      }
      String inReplyTo = rs.getString("in_reply_to");
      return new EmailMessage(
          rs.getObject("id", UUID.class),
          new MessageId(rs.getString("message_id")),
          new ThreadId(rs.getObject("thread_id", UUID.class)),
          rs.getObject("inbox_id", UUID.class),
          Direction.fromCode(rs.getString("direction")),
          new EmailAddress(Optional.ofNullable(rs.getString("from_name")),
              rs.getString("from_address")),
          to, cc, bcc, replyTo,
          rs.getString("subject"),
          time(rs, "sent_at"),
          Optional.ofNullable(inReplyTo).map(MessageId::new),
          references,
          Optional.ofNullable(rs.getString("body_text")),
          Optional.ofNullable(rs.getString("body_html")),
          attachments,
          rs.getString("raw_storage_key"),
          Optional.ofNullable(rs.getString("ses_message_id")),
          time(rs, "created_at"),
          new ReceiptVerdicts(verdict(rs, "spam_verdict"), verdict(rs, "virus_verdict"),
              verdict(rs, "spf_verdict"), verdict(rs, "dkim_verdict"),
              verdict(rs, "dmarc_verdict")));
    }

    private static Optional<ReceiptVerdicts.Verdict> verdict(ResultSet rs, String column)
        throws SQLException {
      return ReceiptVerdicts.Verdict.fromCode(rs.getString(column));
    }

    private JsonNode jsonArray(String text) throws SQLException {
      if (text == null) {
        return json.createArrayNode();
      }
      try {
        return json.readTree(text);
      } catch (JsonProcessingException e) {
        throw new SQLException("unreadable JSON from the database: " + e.getOriginalMessage(),
            "XX000", e);
      }
    }
  }

  // ---- delivery events ----------------------------------------------------------------------

  private final class DeliveryEvents implements DeliveryEventStore {

    @Override
    public void insert(DeliveryEventRecord event) {
      Objects.requireNonNull(event, "event");
      try (PreparedStatement ps = prepare("INSERT INTO {s}delivery_events"
          + " (id, message_id, ses_message_id, status, reason, details, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)")) {
        ps.setObject(1, event.id());
        ps.setObject(2, event.messageId());
        ps.setString(3, event.providerMessageId().orElse(null));
        ps.setString(4, event.status());
        ps.setString(5, event.reason().orElse(null));
        ps.setString(6, event.detailsJson());
        setTime(ps, 7, event.createdAt());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("insert delivery event " + event.id() + " (" + event.status() + ") of message "
            + event.messageId(), e);
      }
    }

    @Override
    public List<DeliveryEventRecord> list(UUID messageId) {
      Objects.requireNonNull(messageId, "messageId");
      return queryList("list delivery events of message " + messageId,
          "SELECT id, message_id, ses_message_id, status, reason, details, created_at"
              + " FROM {s}delivery_events WHERE message_id = ? ORDER BY created_at, id",
          ps -> ps.setObject(1, messageId),
          rs -> new DeliveryEventRecord(
              rs.getObject("id", UUID.class),
              rs.getObject("message_id", UUID.class),
              Optional.ofNullable(rs.getString("ses_message_id")),
              rs.getString("status"),
              Optional.ofNullable(rs.getString("reason")),
              compactJson(rs.getString("details")),
              time(rs, "created_at")));
    }

    /**
     * JSONB gives its own text form ({@code {"a": 1}}); callers get the compact form a JSON
     * library writes ({@code {"a":1}}). Key order is JSONB's, as JSON objects are unordered.
     */
    private String compactJson(String text) throws SQLException {
      try {
        return json.writeValueAsString(json.readTree(text));
      } catch (JsonProcessingException e) {
        throw new SQLException("unreadable JSON from the database: " + e.getOriginalMessage(),
            "XX000", e);
      }
    }
  }

  // ---- suppressions -------------------------------------------------------------------------

  private final class Suppressions implements SuppressionStore {

    @Override
    public void upsert(Suppression s) {
      Objects.requireNonNull(s, "suppression");
      try (PreparedStatement ps = prepare("INSERT INTO {s}suppressed_addresses"
          + " (address, reason, detail, created_at) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (address) DO UPDATE SET reason = EXCLUDED.reason,"
          + " detail = EXCLUDED.detail, created_at = EXCLUDED.created_at")) {
        ps.setString(1, s.address());
        ps.setString(2, s.reason().code());
        ps.setString(3, s.detail().orElse(null));
        setTime(ps, 4, s.createdAt());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw fail("suppress " + s.address(), e);
      }
    }

    @Override
    public boolean delete(String address) {
      Objects.requireNonNull(address, "address");
      try (PreparedStatement ps = prepare("DELETE FROM {s}suppressed_addresses WHERE address = ?")) {
        ps.setString(1, address);
        return ps.executeUpdate() > 0;
      } catch (SQLException e) {
        throw fail("remove suppression of " + address, e);
      }
    }

    @Override
    public List<Suppression> find(Collection<String> addresses) {
      Objects.requireNonNull(addresses, "addresses");
      if (addresses.isEmpty()) {
        return List.of();
      }
      String[] values = new LinkedHashSet<>(addresses).toArray(String[]::new);
      return queryList("check " + values.length + " addresses against the suppression list",
          "SELECT address, reason, detail, created_at FROM {s}suppressed_addresses"
              + " WHERE address = ANY(?)",
          ps -> ps.setArray(1, connection.createArrayOf("text", values)),
          Suppressions::suppression);
    }

    @Override
    public List<Suppression> list(Optional<String> afterAddress, int limit) {
      Objects.requireNonNull(afterAddress, "afterAddress");
      String base = "SELECT address, reason, detail, created_at FROM {s}suppressed_addresses";
      String text = afterAddress.isEmpty()
          ? base + " ORDER BY address LIMIT ?"
          : base + " WHERE address > ? ORDER BY address LIMIT ?";
      return queryList("list suppressions", text, ps -> {
        int i = 1;
        if (afterAddress.isPresent()) {
          ps.setString(i++, afterAddress.get());
        }
        ps.setInt(i, limit);
      }, Suppressions::suppression);
    }

    private static Suppression suppression(ResultSet rs) throws SQLException {
      return new Suppression(rs.getString("address"),
          SuppressionReason.fromCode(rs.getString("reason")),
          Optional.ofNullable(rs.getString("detail")),
          time(rs, "created_at"));
    }
  }

  // ---- send idempotency ---------------------------------------------------------------------

  private final class Idempotency implements IdempotencyStore {

    @Override
    public Optional<IdempotencyRecord> find(UUID inboxId, String key) {
      Objects.requireNonNull(inboxId, "inboxId");
      Objects.requireNonNull(key, "key");
      return queryOne("find idempotency key for inbox " + inboxId,
          "SELECT message_id, created_at FROM {s}idempotency_keys"
              + " WHERE inbox_id = ? AND key = ?",
          ps -> {
            ps.setObject(1, inboxId);
            ps.setString(2, key);
          }, rs -> new IdempotencyRecord(inboxId, key, rs.getObject("message_id", UUID.class),
              time(rs, "created_at")));
    }

    @Override
    public boolean insert(IdempotencyRecord k) {
      Objects.requireNonNull(k, "record");
      // A concurrent insert of the same key makes this one wait for it, then do nothing.
      try (PreparedStatement ps = prepare("INSERT INTO {s}idempotency_keys"
          + " (inbox_id, key, message_id, created_at) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (inbox_id, key) DO NOTHING")) {
        ps.setObject(1, k.inboxId());
        ps.setString(2, k.key());
        ps.setObject(3, k.messageId());
        setTime(ps, 4, k.createdAt());
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw fail("record idempotency key for inbox " + k.inboxId(), e);
      }
    }

    @Override
    public boolean replace(IdempotencyRecord k, Instant expectedCreatedAt) {
      Objects.requireNonNull(k, "record");
      Objects.requireNonNull(expectedCreatedAt, "expectedCreatedAt");
      // A concurrent replace makes this one wait, then re-check the WHERE on the new row.
      try (PreparedStatement ps = prepare("UPDATE {s}idempotency_keys"
          + " SET message_id = ?, created_at = ? WHERE inbox_id = ? AND key = ?"
          + " AND created_at = ?")) {
        ps.setObject(1, k.messageId());
        setTime(ps, 2, k.createdAt());
        ps.setObject(3, k.inboxId());
        ps.setString(4, k.key());
        setTime(ps, 5, expectedCreatedAt);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw fail("replace idempotency key for inbox " + k.inboxId(), e);
      }
    }
  }

  /** Binds the {@code THREAD_COLUMNS} values from {@code index}; returns the next index. */
  private static int bindThread(PreparedStatement ps, int index, EmailThread t)
      throws SQLException {
    int i = index;
    ps.setObject(i++, t.id().value());
    ps.setObject(i++, t.inboxId());
    ps.setString(i++, t.subject());
    setTime(ps, i++, t.createdAt());
    setTime(ps, i++, t.updatedAt());
    ps.setInt(i++, t.messageCount());
    setTime(ps, i++, t.deletedAt().orElse(null));
    return i;
  }

  /** Binds a placement as the four thread_* columns from {@code index}; returns the next. */
  private int bindPlacement(PreparedStatement ps, int index, Optional<ThreadPlacement> p)
      throws SQLException {
    int i = index;
    ps.setString(i++, p.map(x -> x.rule().name()).orElse(null));
    ps.setString(i++, p.flatMap(ThreadPlacement::matchedMessageId).map(MessageId::value)
        .orElse(null));
    ps.setObject(i++, p.flatMap(ThreadPlacement::matchedThread).map(ThreadId::value)
        .orElse(null));
    ps.setArray(i++, p.isEmpty() || p.get().mergedThreads().isEmpty() ? null
        : connection.createArrayOf("uuid",
            p.get().mergedThreads().stream().map(ThreadId::value).toArray()));
    return i;
  }

  private static ThreadPlacement placement(ResultSet rs) throws SQLException {
    List<ThreadId> merged = new ArrayList<>();
    Array a = rs.getArray("thread_merged");
    if (a != null) {
      for (Object o : (Object[]) a.getArray()) {
        merged.add(new ThreadId((UUID) o));
      }
    }
    return new ThreadPlacement(ThreadPlacement.Rule.valueOf(rs.getString("thread_rule")),
        Optional.ofNullable(rs.getString("thread_match_message")).map(MessageId::new),
        Optional.ofNullable(rs.getObject("thread_match_thread", UUID.class)).map(ThreadId::new),
        merged);
  }

  private static EmailThread thread(ResultSet rs) throws SQLException {
    return new EmailThread(
        new ThreadId(rs.getObject("id", UUID.class)),
        rs.getObject("inbox_id", UUID.class),
        rs.getString("subject"),
        time(rs, "created_at"),
        time(rs, "updated_at"),
        rs.getInt("message_count"),
        Optional.ofNullable(time(rs, "deleted_at")));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** Binds a statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Maps the current row. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  PreparedStatement prepare(String template) throws SQLException {
    routedEndpoints.clear();
    return prepareKeepingRouted(template);
  }

  /** {@link #prepare} that keeps the endpoints read with route lookups (a route lookup's own). */
  private PreparedStatement prepareKeepingRouted(String template) throws SQLException {
    checkOpen();
    sendPending();
    return connection.prepareStatement(sql.of(template));
  }

  private void checkOpen() {
    if (!open) {
      throw new IllegalStateException("this StoreTransaction was used after its work returned;"
          + " run all store calls inside the inTransaction callback");
    }
  }

  private <T> Optional<T> queryOne(String purpose, String text, Binder binder,
      RowMapper<T> mapper) {
    try (PreparedStatement ps = prepare(text)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw fail(purpose, e);
    }
  }

  private <T> List<T> queryList(String purpose, String text, Binder binder, RowMapper<T> mapper) {
    try (PreparedStatement ps = prepare(text)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw fail(purpose, e);
    }
  }

  private static void bindKeysetAndLimit(PreparedStatement ps, int index, Optional<Keyset> after,
      int limit) throws SQLException {
    int i = index;
    if (after.isPresent()) {
      setTime(ps, i++, after.get().at());
      ps.setObject(i++, after.get().id());
    }
    ps.setInt(i, limit);
  }

  /**
   * The failure of a statement; when its round trip carried deferred writes, the failure may be
   * theirs: a write that explains the SQLState does, otherwise the message names them all.
   *
   * @param purpose what the statement was for; null only for a round trip that carried nothing
   *     but deferred writes
   */
  StorageException fail(@Nullable String purpose, SQLException e) {
    if (carriedWrites.isEmpty()) {
      return SqlErrors.translate(Objects.requireNonNull(purpose, "purpose"), e);
    }
    for (Pending w : carriedWrites) {
      StorageException own = w.failure().apply(e);
      if (own != null) {
        return own;
      }
    }
    String writes = carriedWrites.stream().map(Pending::purpose).toList() + " (deferred)";
    return SqlErrors.translate(purpose == null ? writes : writes + ", then " + purpose, e);
  }

  /** Binds an instant as timestamptz, or SQL NULL; shared by the stores of this package. */
  static void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, t.atOffset(ZoneOffset.UTC));
    }
  }

  /** Reads a timestamptz column as an instant, or null; shared by the stores of this package. */
  static Instant time(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static List<String> textList(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> list = new ArrayList<>(values.length);
    for (Object v : values) {
      list.add((String) v);
    }
    return list;
  }

  private static Optional<EmailAddress> address(String name, String address) {
    return address == null ? Optional.empty()
        : Optional.of(new EmailAddress(Optional.ofNullable(name), address));
  }

  /** Binds array parameters one after another, each from a list through a getter. */
  final class ArrayBinder {
    private final PreparedStatement ps;
    private int index;

    ArrayBinder(PreparedStatement ps, int first) {
      this.ps = ps;
      this.index = first;
    }

    /** The index after the last parameter bound. */
    int next() {
      return index;
    }

    private <T> ArrayBinder array(String type, List<T> rows, Function<? super T, ?> value,
        Function<Integer, Object[]> newArray) throws SQLException {
      Object[] values = newArray.apply(rows.size());
      for (int k = 0; k < values.length; k++) {
        values[k] = value.apply(rows.get(k));
      }
      ps.setArray(index++, connection.createArrayOf(type, values));
      return this;
    }

    <T> ArrayBinder uuids(List<T> rows, Function<? super T, UUID> value) throws SQLException {
      return array("uuid", rows, value, UUID[]::new);
    }

    <T> ArrayBinder texts(List<T> rows, Function<? super T, String> value) throws SQLException {
      return array("text", rows, value, String[]::new);
    }

    <T> ArrayBinder ints(List<T> rows, Function<? super T, Integer> value) throws SQLException {
      return array("int4", rows, value, Integer[]::new);
    }

    <T> ArrayBinder longs(List<T> rows, Function<? super T, Long> value) throws SQLException {
      return array("int8", rows, value, Long[]::new);
    }

    <T> ArrayBinder bools(List<T> rows, Function<? super T, Boolean> value) throws SQLException {
      return array("bool", rows, value, Boolean[]::new);
    }

    /** Instants as timestamptz text, rounded to microseconds as a single bound value is. */
    <T> ArrayBinder times(List<T> rows, Function<? super T, Instant> value) throws SQLException {
      return array("text", rows, r -> {
        Instant t = value.apply(r);
        return t == null ? null : t.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
      }, String[]::new);
    }
  }
}
