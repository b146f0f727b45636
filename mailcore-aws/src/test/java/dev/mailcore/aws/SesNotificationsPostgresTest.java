package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.DeliveryStatus;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.SuppressionReason;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.postgres.PostgresTestDatabase;
import dev.mailcore.testkit.MailCoreTestkit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SES notifications into mailcore on the real PostgreSQL store: the receipt verdicts are in the
 * V9 columns and read back, a redelivered notification stores nothing twice, a permanent bounce
 * suppresses. Uses the PostgreSQL on 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}; {@code MAILCORE_TEST_JDBC_URL} overrides), else an embedded one
 * ({@code PostgresTestDatabase} from mailcore-postgres's tests), in a schema of its own.
 */
class SesNotificationsPostgresTest {
  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private MailCoreTestkit kit;
  private MailCore mail;
  private SesNotifications ses;
  private final SesFixtures.ChosenIds transport = new SesFixtures.ChosenIds();

  private static void execute(String sql) throws SQLException {
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @BeforeEach
  void wire() {
    PostgresMailStore store = DB.emptyStore();
    kit = MailCoreTestkit.builder().store(store).transport(transport)
        .startAt(Instant.parse("2015-01-01T00:00:00Z")).build();
    mail = kit.mail();
    ses = SesNotifications.builder().mailCore(mail).build();
  }

  @AfterEach
  void close() {
    kit.close();
  }

  private List<EmailMessage> messages(Inbox inbox) {
    return SesFixtures.messages(mail, inbox);
  }

  @Test
  void inboundWithVerdicts_storedOnceWithThemInPostgres() {
    Inbox inbound = kit.inbox("inbound@example.com");
    String json = SesFixtures.sharedText("ses-inbound", "anymail-received-sns-base64.message.json");

    SesNotificationOutcome first = ses.process(json);
    SesNotificationOutcome again = ses.process(json);

    assertThat(first).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(again.acknowledge()).isTrue();
    List<EmailMessage> stored = messages(inbound);
    assertThat(stored).singleElement().satisfies(m -> assertThat(
        mail.messages().get(m.id()).orElseThrow().verdicts())
        .isEqualTo(ReceiptVerdicts.builder().spam(Verdict.FAIL).build()));
  }

  @Test
  void allFiveVerdicts_roundTripThroughTheColumns() {
    Inbox inbound = kit.inbox("inbound@example.com");

    ses.process(SesFixtures.sharedText("ses-inbound", "anymail-received-sns-utf8.message.json"));

    EmailMessage m = mail.messages().get(messages(inbound).get(0).id()).orElseThrow();
    assertThat(List.of(m.verdicts().spam(), m.verdicts().virus(), m.verdicts().spf(),
        m.verdicts().dkim(), m.verdicts().dmarc()))
        .allSatisfy(v -> assertThat(v).contains(Verdict.PASS));
  }

  @Test
  void databaseFailure_eventAndInboundLeftForRedelivery_thenStoredOnce() throws SQLException {
    Inbox support = kit.inbox("support@acme.test");
    Inbox inbound = kit.inbox("inbound@example.com");
    transport.next("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000");
    UUID id = mail.sender().send(OutboundEmail.builder().inboxId(support.id())
        .to("recipient@example.com").subject("Hi").text("Hello").build()).message().id();
    List<String> batch = List.of(
        SesFixtures.sharedText("ses-events", "delivery.json"),
        SesFixtures.sharedText("ses-inbound", "anymail-received-sns-utf8.message.json"));
    execute("ALTER TABLE " + DB.schema() + ".delivery_events RENAME TO delivery_events_away");
    execute("ALTER TABLE " + DB.schema() + ".messages RENAME TO messages_away");
    List<SesNotificationOutcome> during;
    try {
      during = ses.process(batch);
    } finally {
      execute("ALTER TABLE " + DB.schema() + ".messages_away RENAME TO messages");
      execute("ALTER TABLE " + DB.schema() + ".delivery_events_away RENAME TO delivery_events");
    }

    assertThat(during).allSatisfy(o -> {
      assertThat(o).isInstanceOf(SesNotificationOutcome.Retry.class);
      assertThat(o.acknowledge()).isFalse();
    });
    assertThat(ses.process(batch)).allSatisfy(
        o -> assertThat(o).isInstanceOf(SesNotificationOutcome.Accepted.class));
    assertThat(mail.deliveries().status(id).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(messages(inbound)).hasSize(1);
  }

  @Test
  void permanentBounce_recordedAndSuppressedInPostgres_repeatIgnored() {
    Inbox support = kit.inbox("support@acme.test");
    transport.next("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000");
    UUID id = mail.sender().send(OutboundEmail.builder().inboxId(support.id())
        .to("recipient@example.com").subject("Hi").text("Hello").build()).message().id();
    String bounce = SesFixtures.sharedText("ses-events", "bounce-permanent-general.json");

    assertThat(ses.process(bounce)).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(ses.process(bounce)).isInstanceOf(SesNotificationOutcome.Ignored.class);

    assertThat(mail.deliveries().events(id)).filteredOn(e -> e.status().code().equals("bounced"))
        .hasSize(1);
    assertThat(mail.suppressions().check("recipient@example.com")).hasValueSatisfying(
        s -> assertThat(s.reason()).isEqualTo(SuppressionReason.BOUNCE));
  }
}
