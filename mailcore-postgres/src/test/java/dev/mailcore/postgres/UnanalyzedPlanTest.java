package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The threading lookup's generic plan (the write path forces generic plans, ADR 0008) on tables
 * that were never analyzed: autovacuum off, or a new deployment's first minutes under load. The
 * planner then knows the tables' sizes but nothing of their values; left to choose its joins it
 * hashed every message of the inbox on each call, so a lookup cost more the more the inbox held.
 * The lookup must stay key probes whatever the statistics.
 */
class UnanalyzedPlanTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private static final UUID INBOX = new UUID(0, 1);

  @BeforeAll
  static void fillWithoutStatistics() {
    DB.newStore().close();
    for (String table : new String[] {"threads", "messages", "message_references",
        "message_aliases"}) {
      DB.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
    }
    DB.execute("INSERT INTO domains (id, organization_id, name, created_at, updated_at)"
        + " VALUES (gen_random_uuid(), 'org', 'd.test', now(), now())");
    DB.execute("INSERT INTO inboxes (id, domain_id, name, local_part, created_at, updated_at)"
        + " SELECT '" + INBOX + "'::uuid, id, 'box', 'box', now(), now() FROM domains");
    DB.execute("INSERT INTO threads (id, inbox_id, subject, message_count, created_at, updated_at)"
        + " SELECT md5('t' || i)::uuid, '" + INBOX + "', 's' || i, 2, now(), now()"
        + " FROM generate_series(1, 20000) i");
    DB.execute("INSERT INTO messages (id, message_id, thread_id, inbox_id, direction,"
        + " from_address, subject, sent_at, in_reply_to, raw_storage_key, created_at)"
        + " SELECT md5('m' || i || '-' || k)::uuid, 'm' || i || '-' || k || '@x',"
        + " md5('t' || i)::uuid, '" + INBOX + "', 'inbound', 'a@x.test', 's' || i, now(),"
        + " CASE WHEN k = 1 THEN 'm' || i || '-0@x' END, 'raw', now()"
        + " FROM generate_series(1, 20000) i, generate_series(0, 1) k");
    DB.execute("INSERT INTO message_references (message_id, referenced_id, position)"
        + " SELECT id, 'root-' || message_id, 0 FROM messages");
  }

  @Test
  void threadingLookup_onTablesNeverAnalyzed_probesByKey_neverHashesTheInbox()
      throws SQLException {
    String plan = genericPlan(PgTransaction.FIND_LINKED_THREADS, "'" + INBOX + "'",
        "'{m5-0@x}'", "'" + INBOX + "'", "'{m5-0@x}'", "'{m5-1@x,m5-0@x,root-m5-1@x}'",
        "'" + INBOX + "'", "'" + INBOX + "'");
    assertThat(plan).doesNotContain("Hash Join").doesNotContain("Seq Scan")
        .doesNotContain("Recheck Cond: (inbox_id = $7)")
        .contains("messages_pkey").contains("threads_pkey");
  }

  /** EXPLAIN of the statement's generic plan (the '?' become $1, $2, ...). */
  private static String genericPlan(String template, String... args) throws SQLException {
    String text = new SqlText(DB.schema()).of(template);
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char c : text.toCharArray()) {
      if (c == '?') {
        numbered.append('$').append(++n);
      } else {
        numbered.append(c);
      }
    }
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE lookup AS " + numbered);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE lookup(" + String.join(", ", args)
          + ")")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      s.execute("DEALLOCATE lookup");
      s.execute("RESET plan_cache_mode");
      return plan.toString();
    }
  }
}
