package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Domain;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookEndpointRecord;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many round trips to the server a receive takes (ADR 0008), counted at the JDBC boundary of
 * the real driver: every statement execution, and every commit or rollback of a transaction still
 * open (the driver sends nothing for one already ended).
 */
class RoundTripTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private final RoundTrips trips = new RoundTrips();
  private PostgresMailStore store;
  private MailCore mail;

  @BeforeEach
  void open() {
    store = PostgresMailStore.builder().dataSource(trips.wrap(DB.dataSource()))
        .schema(DB.schema()).schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
    mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).build();
  }

  @AfterEach
  void close() {
    mail.close();
    store.close();
  }

  /** Creates the domain and its inbox support@{@code domainName}, in an organization of its own. */
  private void support(String domainName) {
    Domain domain = Rows.domain("org-" + domainName, domainName);
    Inbox inbox = Rows.inbox(domain.id(), "support", false);
    store.inTransaction(tx -> tx.domains().insert(domain) && tx.inboxes().insert(inbox));
  }

  @Test
  void receive_routesLocksAndLooksUp_thenWritesAndCommitsInOneRoundTrip() {
    support("trips.test");
    mail.mailboxes().receive(InboundMail.of(raw("first@x.test", ""), "support@trips.test"));

    byte[] reply = raw("second@x.test", "In-Reply-To: <first@x.test>\r\n");
    ReceiveResult received = trips.counting(() -> mail.mailboxes().receive(
        InboundMail.of(reply, "support@trips.test")));

    assertThat(received.deliveries()).singleElement()
        .satisfies(d -> assertThat(d.duplicate()).isFalse());
    // route with the webhook endpoints; the inbox lock with the threading lookup; the write
    // with the commit
    assertThat(trips.sent()).hasSize(3);
    assertThat(trips.sent().get(0)).contains("FROM \"" + DB.schema() + "\".inboxes");
    assertThat(trips.sent().get(1)).startsWith("SELECT pg_advisory_xact_lock(?)")
        .contains("WITH h AS");
    assertThat(trips.sent().get(2)).contains("INSERT INTO \"" + DB.schema() + "\".messages")
        .endsWith(";COMMIT");

    // a redelivery: the lookup says the inbox holds it, and the copy is read; nothing written
    ReceiveResult again = trips.counting(() -> mail.mailboxes().receive(
        InboundMail.of(reply, "support@trips.test")));
    assertThat(again.deliveries()).singleElement()
        .satisfies(d -> assertThat(d.duplicate()).isTrue());
    assertThat(trips.sent()).hasSize(4).noneMatch(s -> s.contains("INSERT"));
  }

  @Test
  void receiveAll_ofOneInbox_looksUpOnce_thenWritesTheBatchWithTheCommit() {
    support("batch-trips.test");
    List<InboundMail> batch = List.of(
        InboundMail.of(raw("b1@x.test", ""), "support@batch-trips.test"),
        InboundMail.of(raw("b2@x.test", "In-Reply-To: <b1@x.test>\r\n"),
            "support@batch-trips.test"),
        InboundMail.of(raw("b3@x.test", "In-Reply-To: <b2@x.test>\r\n"),
            "support@batch-trips.test"));

    List<ReceiveOutcome> outcomes = trips.counting(() -> mail.mailboxes().receiveAll(batch));

    assertThat(outcomes).hasSize(3).allMatch(o -> o instanceof ReceiveOutcome.Received);
    // route; the lock with the duplicate test; the threading lookup; the batch with the commit
    assertThat(trips.sent()).hasSize(4);
    assertThat(trips.sent().get(3)).contains("INSERT INTO \"" + DB.schema() + "\".messages")
        .endsWith(";COMMIT");
  }

  @Test
  void receive_withAWebhookEndpoint_numbersItsEventWithTheWrite_writesTheDeliveryWithTheCommit() {
    support("hooks-trips.test");
    WebhookEndpointRecord endpoint = new WebhookEndpointRecord(UUID.randomUUID(),
        "org-hooks-trips.test", "https://hooks.example.net/x", "whsec_c2VjcmV0", Optional.empty(),
        Optional.empty(), List.of("message.received"), Optional.empty(), Optional.empty(),
        "active", 0, Optional.empty(), Optional.empty(), Rows.at(0), Rows.at(0), 0);
    store.inTransaction(tx -> {
      tx.webhooks().insertEndpoint(endpoint);
      return null;
    });

    trips.counting(() -> mail.mailboxes().receive(
        InboundMail.of(raw("hooked@x.test", ""), "support@hooks-trips.test")));

    // route with the endpoints; the lock with the threading lookup; the message with the event's
    // number; the delivery row with the commit
    assertThat(trips.sent()).hasSize(4);
    assertThat(trips.sent().get(2)).contains("INSERT INTO \"" + DB.schema() + "\".messages")
        .contains("webhook_event_sequences");
    assertThat(trips.sent().get(3)).contains("webhook_deliveries").endsWith(";COMMIT");
    assertThat(store.inTransaction((StoreTransaction tx) -> tx.webhooks().listDeliveries(
        endpoint.id(), Optional.empty(), Optional.empty(), Optional.empty(), 10))).singleElement()
        .satisfies(d -> assertThat(d.eventType()).isEqualTo("message.received"));
  }

  private static byte[] raw(String messageId, String headers) {
    return ("From: Ann <ann@x.test>\r\nTo: support@trips.test\r\nSubject: Order\r\n"
        + "Message-ID: <" + messageId + ">\r\n" + headers
        + "Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nHello\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A DataSource over the real pool that records what the driver sends while counting is on: the
   * SQL of each execution, and "COMMIT"/"ROLLBACK" for a commit or rollback of an open
   * transaction. Instrumentation only: every call goes to the real driver unchanged.
   */
  private static final class RoundTrips {
    private volatile boolean on;
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    /** Runs {@code call} with counting on, after forgetting what was counted before. */
    <T> T counting(Supplier<T> call) {
      sent.clear();
      on = true;
      try {
        return call.get();
      } finally {
        on = false;
      }
    }

    List<String> sent() {
      return List.copyOf(sent);
    }

    DataSource wrap(DataSource pool) {
      return proxy(DataSource.class, pool, null);
    }

    private <T> T proxy(Class<T> type, Object target, String sql) {
      InvocationHandler handler = (p, method, args) -> {
        String name = method.getName();
        if (on && (name.equals("commit") || name.equals("rollback"))
            && open((Connection) target)) {
          sent.add(name.toUpperCase(Locale.ROOT));
        }
        Object result = call(method, target, args);
        if (on && name.startsWith("execute")) {
          sent.add(sql != null ? sql : String.valueOf(args[0]));
        }
        if (result instanceof Connection c) {
          return proxy(Connection.class, c, null);
        }
        if (result instanceof PreparedStatement ps) {
          return proxy(PreparedStatement.class, ps, (String) args[0]);
        }
        if (result instanceof Statement s) {
          return proxy(Statement.class, s, null);
        }
        return result;
      };
      return type.cast(Proxy.newProxyInstance(RoundTripTest.class.getClassLoader(),
          new Class<?>[] {type}, handler));
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    /** Whether the driver holds an open transaction (pgjdbc's own state, read reflectively). */
    private static boolean open(Connection c) throws Exception {
      Class<?> base = Class.forName("org.postgresql.core.BaseConnection");
      Object state = base.getMethod("getTransactionState").invoke(c.unwrap(base));
      return !"IDLE".equals(String.valueOf(state));
    }
  }
}
