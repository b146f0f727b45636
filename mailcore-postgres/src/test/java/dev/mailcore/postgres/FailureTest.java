package dev.mailcore.postgres;

import dev.mailcore.spi.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.StorageException;
import dev.mailcore.spi.NewMessage;
import dev.mailcore.spi.ThreadChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQLState translation and connection loss in the middle of a transaction. */
class FailureTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private static PostgresMailStore store;

  @BeforeAll
  static void start() {
    store = DB.newStore();
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @ParameterizedTest(name = "SQLState {0} -> retryable {1}")
  @CsvSource({"40001, true", "40P01, true", "57P01, true", "08006, true", "23505, false",
      "22P02, false", "42P01, false"})
  void translate_realServerErrors_setsRetryableBySqlState(String state, boolean retryable) {
    // A real error raised by the server with that SQLState, not a hand-made exception.
    SQLException raised = null;
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '" + state + "'; END $$");
    } catch (SQLException e) {
      raised = e;
    }
    assertThat((Object) raised).isNotNull();
    StorageException translated = SqlErrors.translate("insert message <m@x> into inbox 1", raised);
    assertThat(translated.retryable()).isEqualTo(retryable);
    assertThat(translated.getMessage())
        .startsWith("PostgreSQL failed to insert message <m@x> into inbox 1 (SQLState " + state)
        .contains("simulated");
    assertThat(translated.getCause()).isSameAs(raised);
  }

  @Test
  void inTransaction_whenBackendKilledMidTransaction_writesNothingAndNextCallSucceeds() {
    Domain domain = Rows.domain("org-1", "kill-" + UUID.randomUUID().toString().substring(0, 8) + ".test");
    Inbox inbox = Rows.inbox(domain.id(), "support", false);
    assertThatThrownBy(() -> store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> {
      tx.domains().insert(domain); // written, not committed
      terminateOwnBackend(tx);
      tx.inboxes().insert(inbox); // the connection is gone
      return null;
    })).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("insert inbox support");
    });
    // nothing half-written, and the pool hands out a working connection again
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> tx.domains().find(Scope.all(), domain.id()))).isEmpty();
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> tx.domains().insert(domain) && tx.inboxes().insert(inbox)))
        .isTrue();
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> tx.inboxes().find(Scope.all(), inbox.id()))).contains(inbox);
  }

  @Test
  void commit_carryingADeferredWrite_whenBackendKilled_failsRetryably_namingTheWrite() {
    Domain domain = Rows.domain("org-1", "late-" + UUID.randomUUID().toString().substring(0, 8) + ".test");
    Inbox inbox = Rows.inbox(domain.id(), "support", false);
    store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> tx.domains().insert(domain)
        && tx.inboxes().insert(inbox));
    EmailThread thread = Rows.thread(inbox.id(), "Late", Rows.at(0));
    EmailMessage m = Rows.message(inbox.id(), thread.id(), "late@x", Rows.at(0), Optional.empty(),
        List.of());

    // the insert is deferred to the commit's round trip (ADR 0008), and the backend is gone then
    assertThatThrownBy(() -> store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> {
      terminateOwnBackend(tx);
      tx.messages().insertAll(List.of(new NewMessage(m, Set.of(), Optional.empty())),
          List.of(ThreadChange.start(thread)));
      return null;
    })).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("insert message <late@x> into inbox " + inbox.id())
          .contains("commit the transaction");
    });
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) ->
        tx.messages().find(Scope.all(), m.id()))).isEmpty();
    store.inTransaction((dev.mailcore.spi.StoreTransaction tx) -> {
      tx.messages().insertAll(List.of(new NewMessage(m, Set.of(), Optional.empty())),
          List.of(ThreadChange.start(thread)));
      return null;
    });
    assertThat(store.inTransaction((dev.mailcore.spi.StoreTransaction tx) ->
        tx.messages().find(Scope.all(), m.id()))).contains(m);
  }

  /** Finds this transaction's backend via the advisory lock it takes, and kills it. */
  private static void terminateOwnBackend(dev.mailcore.spi.StoreTransaction tx) {
    UUID marker = UUID.randomUUID();
    tx.lockInbox(marker);
    tx.domains().find(Scope.all(), marker); // the adapter sends a lock with the next statement
    long key = marker.getMostSignificantBits() ^ marker.getLeastSignificantBits();
    try (Connection admin = DB.dataSource().getConnection();
        PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid, 5000)"
            + " FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND ((classid::bigint << 32) | objid::bigint) = ?")) {
      ps.setLong(1, key);
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
