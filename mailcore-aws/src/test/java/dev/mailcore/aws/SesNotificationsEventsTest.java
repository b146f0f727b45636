package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryEvent.BounceType;
import dev.mailcore.DeliveryReport;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.SuppressionReason;
import dev.mailcore.testkit.MailCoreTestkit;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SES sending events and notifications, AWS's samples and mailcore's own, through
 * {@link SesNotifications} into the in-memory mailcore: statuses, per-recipient bounces with
 * their diagnostic codes, suppression, and what is ignored.
 */
class SesNotificationsEventsTest {
  private static final String EVENTS_ID =
      "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";

  private final SesFixtures.ChosenIds transport = new SesFixtures.ChosenIds();
  private MailCoreTestkit kit;
  private MailCore mail;
  private Inbox support;
  private SesNotifications ses;

  @BeforeEach
  void wire() {
    // before every sample's timestamps, so the events sort after the send
    kit = MailCoreTestkit.builder().transport(transport)
        .startAt(Instant.parse("2015-01-01T00:00:00Z")).build();
    mail = kit.mail();
    support = kit.inbox("support@acme.test");
    ses = SesNotifications.builder().mailCore(mail).build();
  }

  @AfterEach
  void close() {
    kit.close();
  }

  private UUID sent(String sesMessageId, String... to) {
    transport.next(sesMessageId);
    return mail.sender().send(OutboundEmail.builder().inboxId(support.id()).to(to)
        .subject("Your order").text("It ships today.").build()).message().id();
  }

  private SesNotificationOutcome event(String name) {
    return ses.process(SesFixtures.sharedText("ses-events", name));
  }

  private SesNotificationOutcome notification(String name) {
    return ses.process(SesFixtures.sharedText("ses-notifications", name));
  }

  private DeliveryEvent last(UUID id) {
    List<DeliveryEvent> events = mail.deliveries().events(id);
    return events.get(events.size() - 1);
  }

  @Test
  void sendThenDelivery_moveTheMessageToDelivered() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");

    assertThat(event("send.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(event("delivery.json")).isInstanceOfSatisfying(
        SesNotificationOutcome.Accepted.class, a -> assertThat(a.kind()).isEqualTo("delivery"));

    DeliveryReport report = mail.deliveries().status(id);
    assertThat(report.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(report.statusOf("recipient@example.com")).contains(DeliveryStatus.DELIVERED);
    DeliveryEvent delivered = last(id);
    assertThat(delivered.sesMessageId()).contains(EVENTS_ID);
    assertThat(delivered.occurredAt()).hasValueSatisfying(
        t -> assertThat(t.toString()).isEqualTo("2016-10-19T23:21:04.133Z"));
    assertThat(delivered.details()).containsEntry("sesEvent", "Delivery")
        .containsEntry("smtpResponse", "250 2.6.0 Message received")
        .containsEntry("reportingMTA", "mta.example.com");
  }

  @Test
  void permanentBounce_recordsTheDiagnosticCodeAndSuppressesTheRecipient() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");

    assertThat(event("bounce-permanent-general.json"))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    DeliveryEvent bounce = last(id);
    assertThat(bounce.status()).isEqualTo(new DeliveryStatus.Bounced("smtp; 550 5.1.1 user unknown"));
    assertThat(bounce.bounceType()).contains(BounceType.PERMANENT);
    assertThat(bounce.recipients()).containsExactly("recipient@example.com");
    assertThat(bounce.details()).containsEntry("bounceType", "Permanent")
        .containsEntry("bounceSubType", "General").containsEntry("status", "5.1.1")
        .containsEntry("diagnosticCode", "smtp; 550 5.1.1 user unknown")
        .containsEntry("reportingMTA", "dsn; mta.example.com");
    assertThat(mail.suppressions().check("recipient@example.com")).hasValueSatisfying(
        s -> assertThat(s.reason()).isEqualTo(SuppressionReason.BOUNCE));
  }

  @Test
  void transientBounce_ownSample_bouncesWithoutSuppressing() {
    String sesId = "0102018e1a2b3c4d-transient-0000-0000-0000-000000000000-000000";
    UUID id = sent(sesId, "ann@customer.test", "bob@customer.test");

    assertThat(ses.process(SesFixtures.own("bounce-transient-mailbox-full.json")))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    DeliveryReport report = mail.deliveries().status(id);
    assertThat(report.statusOf("ann@customer.test")).contains(new DeliveryStatus.Bounced(
        "smtp; 452 4.2.2 The email account that you tried to reach is over quota"));
    assertThat(report.statusOf("bob@customer.test")).contains(DeliveryStatus.SENT);
    assertThat(last(id).bounceType()).contains(BounceType.TRANSIENT);
    assertThat(last(id).details()).containsEntry("bounceSubType", "MailboxFull")
        .containsEntry("status", "4.2.2");
    assertThat(mail.suppressions().check("ann@customer.test")).isEmpty();
  }

  @Test
  void undeterminedBounce_ownSample_isTransientAndSuppressesNobody() {
    String sesId = "0102018e1a2b3c4d-undetermined-0000-0000-000000000000-000000";
    UUID id = sent(sesId, "bob@customer.test");

    assertThat(ses.process(SesFixtures.own("bounce-undetermined.json")))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(last(id).bounceType()).contains(BounceType.TRANSIENT);
    assertThat(last(id).details()).containsEntry("bounceType", "Undetermined");
    assertThat(last(id).status()).isEqualTo(new DeliveryStatus.Bounced("Undetermined/Undetermined"));
    assertThat(mail.suppressions().check("bob@customer.test")).isEmpty();
  }

  @Test
  void complaint_keepsTheFeedbackTypeAndSuppresses() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");
    event("delivery.json");

    assertThat(event("complaint.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).status()).isEqualTo(DeliveryStatus.COMPLAINED);
    assertThat(last(id).details()).containsEntry("complaintFeedbackType", "abuse");
    assertThat(mail.suppressions().check("recipient@example.com")).hasValueSatisfying(
        s -> assertThat(s.reason()).isEqualTo(SuppressionReason.COMPLAINT));
  }

  @Test
  void reject_failsTheMessageWithSesReason() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");

    assertThat(event("reject.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).status())
        .isEqualTo(new DeliveryStatus.Failed("rejected by SES: Bad content"));
  }

  @Test
  void renderingFailure_failsTheMessageWithTheTemplateError() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");

    assertThat(event("rendering-failure.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).status()).isInstanceOfSatisfying(
        DeliveryStatus.Failed.class, f -> assertThat(f.reason())
            .contains("Attribute 'attributeName' is not present"));
    assertThat(last(id).details()).containsEntry("templateName", "MyTemplate");
  }

  @Test
  void deliveryDelay_isKeptInTheHistoryWithoutMovingTheStatus() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");

    assertThat(event("delivery-delay.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).status()).isEqualTo(DeliveryStatus.SENT);
    DeliveryEvent delay = last(id);
    assertThat(delay.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(delay.recipients()).containsExactly("recipient@example.com");
    assertThat(delay.details()).containsEntry("delayType", "TransientCommunicationFailure")
        .containsEntry("sesEvent", "DeliveryDelay");
  }

  @ParameterizedTest
  @ValueSource(strings = {"open.json", "click.json", "subscription.json"})
  void engagementAndSubscriptionEvents_areIgnored(String name) {
    UUID id = sent(EVENTS_ID, "recipient@example.com");
    int before = mail.deliveries().events(id).size();

    assertThat(event(name)).isInstanceOf(SesNotificationOutcome.Ignored.class)
        .matches(SesNotificationOutcome::acknowledge);

    assertThat(mail.deliveries().events(id)).hasSize(before);
  }

  @Test
  void eventForAMessageMailcoreDidNotSend_isIgnored() {
    assertThat(event("bounce-permanent-general.json")).isInstanceOfSatisfying(
        SesNotificationOutcome.Ignored.class, i -> assertThat(i.reason()).contains(EVENTS_ID));
    assertThat(mail.suppressions().check("recipient@example.com")).isEmpty();
  }

  @Test
  void sameNotificationTwice_isRecordedOnce() {
    UUID id = sent(EVENTS_ID, "recipient@example.com");
    event("bounce-permanent-general.json");
    int after = mail.deliveries().events(id).size();

    SesNotificationOutcome again = event("bounce-permanent-general.json");

    assertThat(again).isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
        i -> assertThat(i.reason()).contains("repeat"));
    assertThat(mail.deliveries().events(id)).hasSize(after);
  }

  @Test
  void notificationBounceWithDsn_bouncesJaneOnly() {
    UUID id = sent("00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
        "jane@example.com", "mary@example.com", "richard@example.com");

    assertThat(notification("bounce-permanent-with-dsn.json"))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    DeliveryReport report = mail.deliveries().status(id);
    assertThat(report.statusOf("jane@example.com")).contains(
        new DeliveryStatus.Bounced("smtp; 550 5.1.1 <jane@example.com>... User"));
    assertThat(report.statusOf("mary@example.com")).contains(DeliveryStatus.SENT);
    assertThat(mail.suppressions().check("jane@example.com")).isPresent();
    assertThat(mail.suppressions().check("mary@example.com")).isEmpty();
  }

  @Test
  void notificationBounceWithoutDsn_oneEventPerBouncedRecipient() {
    UUID id = sent("00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000",
        "jane@example.com", "mary@example.com", "richard@example.com");

    notification("bounce-without-dsn.json");

    List<DeliveryEvent> bounces = mail.deliveries().events(id).stream()
        .filter(e -> e.status() instanceof DeliveryStatus.Bounced).toList();
    assertThat(bounces).extracting(e -> e.recipients().get(0))
        .containsExactly("jane@example.com", "richard@example.com");
    assertThat(bounces).allSatisfy(e -> assertThat(e.status())
        .isEqualTo(new DeliveryStatus.Bounced("Permanent/General")));
    assertThat(mail.suppressions().check("richard@example.com")).isPresent();
    assertThat(mail.suppressions().check("mary@example.com")).isEmpty();
  }

  @Test
  void anymailMultipleRecipientsWithoutTimestamps_bouncesBoth() {
    UUID id = sent("00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000",
        "jane@example.com", "mary@example.com", "richard@example.com");

    assertThat(notification("anymail-bounce-multiple-recipients.message.json"))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    DeliveryReport report = mail.deliveries().status(id);
    assertThat(report.statusOf("jane@example.com")).get()
        .isInstanceOf(DeliveryStatus.Bounced.class);
    assertThat(report.statusOf("richard@example.com")).get()
        .isInstanceOf(DeliveryStatus.Bounced.class);
    assertThat(report.statusOf("mary@example.com")).contains(DeliveryStatus.SENT);
  }

  @Test
  void anymailSnsEnvelope_itsMessageIsTheSesJson() throws Exception {
    UUID id = sent("00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
        "jane@example.com", "mary@example.com", "richard@example.com");
    String message = new ObjectMapper().readTree(
        SesFixtures.sharedText("ses-notifications", "anymail-bounce.sns-envelope.json"))
        .get("Message").asText();

    assertThat(ses.process(message)).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).statusOf("jane@example.com")).contains(
        new DeliveryStatus.Bounced("smtp; 550 5.1.1 <jane@example.com>... User unknown"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"complaint-with-feedback-report.json",
      "complaint-without-feedback-report.json"})
  void notificationComplaints_suppressRichard(String name) {
    String sesId = name.contains("without")
        ? "0000013786031775-163e3910-53eb-4c8e-a04a-f29debf88a84-000000"
        : "000001378603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000";
    UUID id = sent(sesId, "jane@example.com", "mary@example.com", "richard@example.com");

    assertThat(notification(name)).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).statusOf("richard@example.com"))
        .contains(DeliveryStatus.COMPLAINED);
    assertThat(mail.suppressions().check("richard@example.com")).isPresent();
    assertThat(mail.suppressions().check("jane@example.com")).isEmpty();
    if (!name.contains("without")) {
      assertThat(last(id).details()).containsEntry("complaintFeedbackType", "abuse")
          .containsEntry("userAgent", "AnyCompany Feedback Loop (V0.01)");
    }
  }

  @Test
  void notificationDelivery_deliversJane() {
    UUID id = sent("0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000",
        "jane@example.com");

    assertThat(notification("delivery.json")).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(mail.deliveries().status(id).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(last(id).details()).containsEntry("remoteMtaIp", "127.0.2.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "[1,2]", "{\"mail\":{}}", "null", "",
      "{\"eventType\":\"Bounce\",\"bounce\":{}}",
      "{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\",\"message\":\"hello\"}"})
  void jsonThatIsNotAUsableSesEvent_isIgnored(String json) {
    assertThat(ses.process(json)).isInstanceOf(SesNotificationOutcome.Ignored.class);
  }

  @Test
  void aBatch_answersInInputOrder() {
    sent(EVENTS_ID, "recipient@example.com");
    List<SesNotificationOutcome> outcomes = ses.process(List.of(
        SesFixtures.sharedText("ses-events", "open.json"),
        SesFixtures.sharedText("ses-events", "delivery.json"),
        "garbage"));

    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(0)).isInstanceOf(SesNotificationOutcome.Ignored.class);
    assertThat(outcomes.get(1)).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(outcomes.get(2)).isInstanceOf(SesNotificationOutcome.Ignored.class);
  }
}
