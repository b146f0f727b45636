package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.spi.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hot queries use indexes on a realistically shaped, analyzed data set (tens of thousands of
 * rows, so the planner has a real choice): thread listing, routing, Message-ID lookups,
 * threading lookups and outbox polling; and the outbox's row updates stay on their page.
 */
class ExplainTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private static final UUID BUSY_INBOX = new UUID(0, 1);
  private static final UUID BUSY_DOMAIN = new UUID(0, 2);
  private static SqlText sql;

  @BeforeAll
  static void fill() {
    DB.newStore().close();
    sql = new SqlText(DB.schema());
    DB.execute("INSERT INTO domains (id, organization_id, name, created_at, updated_at)"
        + " SELECT CASE WHEN i = 0 THEN '" + BUSY_DOMAIN + "'::uuid ELSE gen_random_uuid() END,"
        + " 'org-' || (i % 50), 'd' || i || '.test', now(), now()"
        + " FROM generate_series(0, 1999) i");
    DB.execute("INSERT INTO inboxes (id, domain_id, name, local_part, created_at, updated_at)"
        + " SELECT CASE WHEN d.name = 'd0.test' AND n = 0 THEN '" + BUSY_INBOX + "'::uuid"
        + " ELSE gen_random_uuid() END, d.id, 'box', 'box' || n, now(), now()"
        + " FROM domains d, generate_series(0, 4) n");
    DB.execute("INSERT INTO threads (id, inbox_id, subject, message_count, created_at, updated_at)"
        + " SELECT gen_random_uuid(), CASE WHEN i % 4 = 0 THEN '" + BUSY_INBOX + "'::uuid"
        + " ELSE a.ids[1 + i % a.n] END,"
        + " 'subject ' || (i % 5000), 2, now() - i * interval '1 minute',"
        + " now() - i * interval '1 minute' FROM generate_series(1, 40000) i,"
        + " (SELECT array_agg(id) AS ids, count(*)::int AS n FROM inboxes) a");
    DB.execute("INSERT INTO messages (id, message_id, thread_id, inbox_id, direction,"
        + " from_address, subject, sent_at, in_reply_to, raw_storage_key, created_at)"
        + " SELECT gen_random_uuid(), 'm' || k || '-' || t.id || '@x', t.id, t.inbox_id,"
        + " 'inbound', 'a' || k || '@x.test', t.subject, t.updated_at,"
        + " CASE WHEN k = 1 THEN 'm0-' || t.id || '@x' END, 'raw', t.updated_at"
        + " FROM threads t, generate_series(0, 1) k");
    DB.execute("INSERT INTO message_references (message_id, referenced_id, position)"
        + " SELECT id, 'root-' || id || '@x', 0 FROM messages");
    DB.execute("INSERT INTO message_aliases (message_id, inbox_id, alias)"
        + " SELECT id, inbox_id, 'ses-' || id || '@eu-west-1.amazonses.com' FROM messages");
    DB.execute("INSERT INTO message_recipients (message_id, recipient_type, address, position)"
        + " SELECT id, 'to', 'support@d0.test', 0 FROM messages");
    DB.execute("INSERT INTO webhook_endpoints (id, organization_id, url, secret, created_at)"
        + " VALUES ('" + BUSY_DOMAIN + "', 'org-0', 'https://example.test/h', 'whsec_x', now())");
    DB.execute("INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status,"
        + " next_attempt_at, created_at) SELECT gen_random_uuid(), '" + BUSY_DOMAIN + "',"
        + " 'message.received', '{}', CASE WHEN i % 100 = 0 THEN 'pending' ELSE 'delivered' END,"
        + " now() - i * interval '1 second', now() FROM generate_series(1, 50000) i");
    DB.execute("ANALYZE");
  }

  @Test
  void listThreads_firstAndNextPage_useTheListingIndex() throws SQLException {
    String first = explain(PgTransaction.LIST_THREADS_FIRST, BUSY_INBOX, 50);
    String next = explain(PgTransaction.LIST_THREADS_AFTER, BUSY_INBOX,
        OffsetDateTime.now(ZoneOffset.UTC).minusDays(3), UUID.randomUUID(), 50);
    assertThat(first).contains("threads_inbox_list_idx").doesNotContain("Sort");
    assertThat(next).contains("threads_inbox_list_idx").doesNotContain("Sort");
  }

  @Test
  void listThreads_andMessages_inAnOrganizationsScope_stillUseTheListingIndexes()
      throws SQLException {
    Scope scope = Scope.organization("org-0");
    String first = explain(PgTransaction.listThreads(scope, false), BUSY_INBOX, BUSY_INBOX,
        "org-0", 50);
    String next = explain(PgTransaction.listThreads(scope, true), BUSY_INBOX, BUSY_INBOX,
        "org-0", OffsetDateTime.now(ZoneOffset.UTC).minusDays(3), UUID.randomUUID(), 50);
    // the scope is a one-time filter (an InitPlan) ahead of the index scan, not a per-row join
    assertThat(first).contains("threads_inbox_list_idx").contains("One-Time Filter")
        .doesNotContain("Sort").doesNotContain("Seq Scan");
    assertThat(next).contains("threads_inbox_list_idx").contains("One-Time Filter")
        .doesNotContain("Sort").doesNotContain("Seq Scan");
    UUID thread = UUID.randomUUID();
    assertThat(explain(PgTransaction.listMessages(scope, true), thread, thread, "org-0",
        OffsetDateTime.now(ZoneOffset.UTC), UUID.randomUUID(), 50))
        .contains("messages_thread_list_idx").contains("One-Time Filter")
        .doesNotContain("Seq Scan on messages").doesNotContain("Seq Scan on threads");
  }

  @Test
  void route_usesTheAddressIndex() throws SQLException {
    assertThat(explain(PgTransaction.ROUTE, BUSY_DOMAIN, "box0"))
        .contains("inboxes_route_active_uq").doesNotContain("Seq Scan");
  }

  @Test
  void routeCandidates_useTheDomainNameAndInboxIndexes() throws SQLException {
    assertThat(explain(PgTransaction.ROUTE_CANDIDATES, "d0.test",
        new String[] {"box0+tag", "box0"}))
        .containsPattern("domains_name_(active_uq|idx)").contains("inboxes_route_active_uq")
        .contains("inboxes_catchall_active_uq").doesNotContain("Seq Scan");
  }

  @Test
  void messageIdLookups_useTheInboxMessageIdIndex() throws SQLException {
    assertThat(explain(PgTransaction.FIND_BY_MESSAGE_ID, BUSY_INBOX, "m0-x@x"))
        .contains("messages_inbox_message_id_uq").doesNotContain("Seq Scan on messages");
    // held ids: the Message-ID unique index and message_aliases by alias (findLinkedThreads)
    assertThat(linkedThreadsPlan())
        .contains("messages_inbox_message_id_uq").contains("message_aliases_inbox_alias_idx")
        .doesNotContain("Seq Scan");
  }

  @Test
  void threadingLookups_useIndexes() throws SQLException {
    // stored messages naming an id: In-Reply-To per inbox, References by value
    assertThat(linkedThreadsPlan()).contains("messages_inbox_in_reply_to_idx")
        .contains("message_references_referenced_idx").doesNotContain("Seq Scan");
    String subject = explain(PgTransaction.FIND_THREAD_BY_SUBJECT, BUSY_INBOX, "subject 7",
        "subject 7", OffsetDateTime.now(ZoneOffset.UTC).minusDays(30),
        new String[] {"a0@x.test"});
    assertThat(subject).contains("threads_inbox_subject_idx").doesNotContain("Seq Scan");
  }

  @Test
  void listMessages_usesTheThreadIndex() throws SQLException {
    assertThat(explain(PgTransaction.LIST_MESSAGES_AFTER, UUID.randomUUID(),
        OffsetDateTime.now(ZoneOffset.UTC), UUID.randomUUID(), 50))
        .contains("messages_thread_list_idx").doesNotContain("Seq Scan on messages");
  }

  @Test
  void outboxPolling_theClaimUsesTheSeedStatusNextAttemptIndex() throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    // the seed's (status, next_attempt_at) index; V12 dropped V6's partial index on pending rows
    assertThat(explain(PgWebhookStore.CLAIM, "owner", now.plusMinutes(1), now, now,
        new UUID[] {UUID.randomUUID()}, 64))
        .contains("webhook_deliveries_due_idx").doesNotContain("Seq Scan on webhook_deliveries");
  }

  @Test
  void outboxClaim_writesTheNewRowVersionOnTheOldOnesPage() throws SQLException {
    // V12's fillfactor: the claim's row version lands next to the old one (the settle's too, once
    // pruning has freed the page), so the WAL carries the changed columns, not the payload again
    UUID endpoint = new UUID(0, 3);
    DB.execute("INSERT INTO webhook_endpoints (id, organization_id, url, secret, created_at)"
        + " VALUES ('" + endpoint + "', 'org-1', 'https://example.test/p', 'whsec_x', now())");
    DB.execute("INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status,"
        + " next_attempt_at, created_at) SELECT gen_random_uuid(), '" + endpoint + "',"
        + " 'message.received', jsonb_build_object('id', i, 'pad', repeat('x', 1400)),"
        + " 'pending', now() - interval '1 day', now() FROM generate_series(1, 8) i");
    String blocks = "SELECT string_agg(split_part(trim(both '()' from ctid::text), ',', 1),"
        + " ',' ORDER BY id) FROM " + DB.schema() + ".webhook_deliveries WHERE endpoint_id = '"
        + endpoint + "'";
    String before = text(blocks);
    DB.execute("UPDATE webhook_deliveries SET lease_owner = 'w', attempts = attempts + 1,"
        + " next_attempt_at = now() + interval '1 minute', version = version + 1"
        + " WHERE endpoint_id = '" + endpoint + "'");
    assertThat(text(blocks)).isEqualTo(before);
  }

  private static String text(String query) throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String linkedThreadsPlan() throws SQLException {
    String[] held = {"a@x", "b@x"};
    return explain(PgTransaction.FIND_LINKED_THREADS, BUSY_INBOX, held, BUSY_INBOX, held,
        new String[] {"m0-x@x", "a@x", "b@x"}, BUSY_INBOX, BUSY_INBOX);
  }

  private static String explain(String template, Object... params) throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql.of(template))) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof String[]) {
          ps.setArray(i + 1, c.createArrayOf("text", (String[]) params[i]));
        } else if (params[i] instanceof UUID[]) {
          ps.setArray(i + 1, c.createArrayOf("uuid", (UUID[]) params[i]));
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
