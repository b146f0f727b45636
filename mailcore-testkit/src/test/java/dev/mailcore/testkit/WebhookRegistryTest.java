package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.mailcore.DnsRecord;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.NotFoundException;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookDeliveryStatus;
import dev.mailcore.WebhookEndpoint;
import dev.mailcore.WebhookEndpointStatus;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookNotice;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.WebhookVerificationException;
import dev.mailcore.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry, endpoint health, operational notices, the SSRF guard and signature interop, on
 * the in-memory store with real HTTP on loopback.
 */
class WebhookRegistryTest {
  private static final String ORG = MailCoreTestkit.DEFAULT_ORGANIZATION;

  private final MailCoreTestkit kit = MailCoreTestkit.builder()
      .startAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
      .webhooks(WebhookSettings.builder().allowLoopback(true).jitter(0).warningAfter(2)
          .disableAfter(3).retryDelays(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)))
          .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1))
          .leaseDuration(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).build())
      .build();
  private final MailCore mail = kit.mail();
  private final Inbox support = kit.inbox("support@acme.test");
  private final WebhookReceiver receiver = WebhookReceiver.start();
  private final WebhookReceiver ops = WebhookReceiver.start();
  private final List<WebhookNotice> notices = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    receiver.close();
    ops.close();
    kit.close();
  }

  @Test
  void delivery_verifiesWithTheIndependentStandardWebhooksLibrary() throws Exception {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    kit.receive(TestEmail.builder().to("support@acme.test").subject("Interop").build());
    mail.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(w.signature()).startsWith("v1,");
    assertThatCode(() -> new Webhook(r.secret()).verify(w.bodyText(), w.headers()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder()
        .encodeToString("another secret entirely".getBytes(StandardCharsets.UTF_8)))
        .verify(w.bodyText(), w.headers()))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void verifier_acceptsWhatTheIndependentLibrarySigns_andRefusesStaleOrForged() throws Exception {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    byte[] body = "{\"type\":\"message.received\"}".getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String theirs = new Webhook(secret).sign("evt_1", now, new String(body,
        StandardCharsets.UTF_8));
    WebhookVerifier verifier = WebhookVerifier.builder().secret("whsec_"
        + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})).secret(secret)
        .build();

    assertThat(WebhookVerifier.sign(secret, "evt_1", now, body)).isEqualTo(theirs);
    assertThatCode(() -> verifier.verify("evt_1", Long.toString(now), "v1,bogus " + theirs, body))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> verifier.verify("evt_2", Long.toString(now), theirs, body))
        .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("no v1 signature");
    WebhookVerifier later = WebhookVerifier.builder().secret(secret)
        .clock(Clock.fixed(Instant.ofEpochSecond(now + 301), ZoneOffset.UTC)).build();
    assertThatThrownBy(() -> later.verify("evt_1", Long.toString(now), theirs, body))
        .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("away from now");
    assertThatThrownBy(() -> verifier.verify(Map.of(), body))
        .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("missing");
  }

  @Test
  void gone410_disablesTheEndpointAtOnce_andTellsListenersAndSubscribedEndpoints() {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    register(ops, WebhookEventType.ENDPOINT_DISABLED);
    mail.webhooks().addListener(notices::add);
    receiver.enqueue(WebhookReceiver.Answer.status(410));

    kit.receive(TestEmail.builder().to("support@acme.test").build());
    mail.webhooks().dispatcher().dispatchDue();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(mail.webhooks().get(r.endpoint().id()).orElseThrow().status())
        .isEqualTo(WebhookEndpointStatus.DISABLED);
    assertThat(onlyDelivery(r).status()).isEqualTo(WebhookDeliveryStatus.FAILED);
    assertThat(notices).singleElement().isInstanceOf(WebhookNotice.EndpointDisabled.class);
    ReceivedWebhook op = ops.takeDelivery(Duration.ofSeconds(5));
    assertThat(op.type()).isEqualTo("endpoint.disabled");
    assertThat(op.json().path("data").path("endpoint_id").asText())
        .isEqualTo(r.endpoint().id().toString());
  }

  @Test
  void consecutiveFailures_moveActiveToWarningToDisabled_andExhaustionIsReported() {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    register(ops, WebhookEventType.DELIVERY_EXHAUSTED, WebhookEventType.ENDPOINT_DISABLED);
    mail.webhooks().addListener(notices::add);
    receiver.otherwise(WebhookReceiver.Answer.status(503));
    kit.receive(TestEmail.builder().to("support@acme.test").build());

    mail.webhooks().dispatcher().dispatchDue();
    assertThat(status(r)).isEqualTo(WebhookEndpointStatus.ACTIVE);
    kit.clock().advance(Duration.ofSeconds(5));
    mail.webhooks().dispatcher().dispatchDue();
    assertThat(status(r)).isEqualTo(WebhookEndpointStatus.WARNING);
    kit.clock().advance(Duration.ofSeconds(5));
    mail.webhooks().dispatcher().dispatchDue();
    mail.webhooks().dispatcher().dispatchDue(); // the notices' own deliveries

    assertThat(status(r)).isEqualTo(WebhookEndpointStatus.DISABLED);
    assertThat(onlyDelivery(r)).satisfies(d -> {
      assertThat(d.status()).isEqualTo(WebhookDeliveryStatus.FAILED);
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(d.lastError()).contains("HTTP 503");
    });
    assertThat(notices).hasSize(2).hasAtLeastOneElementOfType(WebhookNotice.DeliveryExhausted.class)
        .hasAtLeastOneElementOfType(WebhookNotice.EndpointDisabled.class);
    assertThat(ops.deliveries()).extracting(ReceivedWebhook::type)
        .containsExactlyInAnyOrder("delivery.exhausted", "endpoint.disabled");
  }

  @Test
  void success_afterFailures_resetsTheCountAndReportsRecovery() {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    mail.webhooks().addListener(notices::add);
    receiver.enqueue(WebhookReceiver.Answer.status(500)).enqueue(WebhookReceiver.Answer.status(500));
    kit.receive(TestEmail.builder().to("support@acme.test").build());

    mail.webhooks().dispatcher().dispatchDue();
    kit.clock().advance(Duration.ofSeconds(5));
    mail.webhooks().dispatcher().dispatchDue();
    assertThat(status(r)).isEqualTo(WebhookEndpointStatus.WARNING);
    kit.clock().advance(Duration.ofSeconds(5));
    mail.webhooks().dispatcher().dispatchDue();

    WebhookEndpoint e = mail.webhooks().get(r.endpoint().id()).orElseThrow();
    assertThat(e.status()).isEqualTo(WebhookEndpointStatus.ACTIVE);
    assertThat(e.failureCount()).isZero();
    assertThat(e.lastSuccessAt()).contains(kit.clock().instant());
    assertThat(notices).singleElement().isInstanceOf(WebhookNotice.EndpointRecovered.class);
  }

  @Test
  void readTimeout_isAFailedAttempt() {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    receiver.enqueue(WebhookReceiver.Answer.hang());
    kit.receive(TestEmail.builder().to("support@acme.test").build());

    mail.webhooks().dispatcher().dispatchDue();

    assertThat(onlyDelivery(r)).satisfies(d -> {
      assertThat(d.status()).isEqualTo(WebhookDeliveryStatus.PENDING);
      assertThat(d.lastError().orElseThrow()).containsIgnoringCase("timeout");
      assertThat(d.nextAttemptAt()).isEqualTo(kit.clock().instant().plusSeconds(5));
    });
  }

  @Test
  void hangingEndpoint_doesNotDelayDeliveriesToAnother() {
    MailCoreTestkit slow = MailCoreTestkit.builder().webhooks(WebhookSettings.builder()
        .allowLoopback(true).workers(8).perEndpointConcurrency(4)
        .readTimeout(Duration.ofSeconds(60)).leaseDuration(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(50)).build()).build();
    try (WebhookReceiver healthy = WebhookReceiver.start()) {
      slow.inbox("support@acme.test");
      MailCore m = slow.mail();
      WebhookRegistration stuck = m.webhooks().register(ORG, WebhookSpec.of(receiver.url(),
          WebhookEventType.MESSAGE_RECEIVED));
      receiver.secrets(stuck.secret()).otherwise(WebhookReceiver.Answer.hang());
      healthy.secrets(m.webhooks().register(ORG, WebhookSpec.of(healthy.url(),
          WebhookEventType.MESSAGE_RECEIVED)).secret());
      m.webhooks().dispatcher().start();
      for (int i = 0; i < 6; i++) {
        slow.receive(TestEmail.builder().to("support@acme.test").subject("n" + i).build());
      }

      for (int i = 0; i < 6; i++) {
        assertThat(healthy.takeDelivery(Duration.ofSeconds(20)).verified()).isTrue();
      }
      // the stuck endpoint's requests are all still open (60 s timeout), holding only its 4 slots
      assertThat(receiver.requestCount()).isBetween(1, 4);
      assertThat(m.webhooks().deliveries(stuck.endpoint().id(), WebhookDeliveryFilter.all(),
          PageRequest.first()).items()).allSatisfy(d -> assertThat(d.lastError()).isEmpty());
    } finally {
      receiver.releaseHung();
      slow.close();
    }
  }

  @Test
  void register_refusesNonPublicAndNonHttpUrls_whenLoopbackIsNotAllowed() {
    MailCoreTestkit strict = MailCoreTestkit.builder()
        .webhooks(WebhookSettings.builder().build()).build();
    try {
      for (String url : List.of("http://127.0.0.1:8080/h", "http://localhost/h",
          "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/h", "http://192.168.0.9/",
          "http://[::1]/h", "http://[::ffff:127.0.0.1]/h", "http://[fd00::1]/h",
          "http://100.64.0.1/h", "http://0.0.0.0/h", "ftp://example.com/h",
          "http://user:pw@example.com/h", "not a url")) {
        assertThatThrownBy(() -> strict.mail().webhooks().register(ORG,
            WebhookSpec.of(url, WebhookEventType.MESSAGE_RECEIVED)))
            .as(url).isInstanceOf(ValidationException.class)
            .hasMessageContaining("url");
      }
    } finally {
      strict.close();
    }
  }

  @Test
  void register_refusesAnInboxOfAnotherOrganization_andReturnsTheSecretOnce() {
    Inbox foreign = mail.mailboxes().create(mail.domains().create("org_other", "other.test")
        .id(), dev.mailcore.InboxSpec.of("sales", "Sales"));

    assertThatThrownBy(() -> mail.webhooks().register(ORG, WebhookSpec.of(receiver.url(),
        WebhookEventType.MESSAGE_RECEIVED).withInboxes(Set.of(foreign.id()))))
        .isInstanceOf(ValidationException.class).hasMessageContaining(foreign.id().toString());
    WebhookRegistration r = mail.webhooks().register(ORG, WebhookSpec.of(receiver.url(),
        WebhookEventType.MESSAGE_RECEIVED).withInboxes(Set.of(support.id())));
    assertThat(r.secret()).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(r.secret().substring(6))).hasSize(32);
    assertThat(r.toString()).doesNotContain(r.secret());
    assertThat(r.endpoint().inboxIds()).containsExactly(support.id());
  }

  @Test
  void inboxFilter_andOrganization_decideWhoGetsAnEvent() {
    Inbox sales = kit.inbox("sales@acme.test");
    register(receiver, WebhookEventType.MESSAGE_RECEIVED);
    WebhookRegistration onlySales = mail.webhooks().register(ORG, WebhookSpec.of(ops.url(),
        WebhookEventType.MESSAGE_RECEIVED).withInboxes(Set.of(sales.id())));
    ops.secrets(onlySales.secret());
    mail.webhooks().register("org_other", WebhookSpec.of(ops.url(),
        WebhookEventType.MESSAGE_RECEIVED));

    kit.receive(TestEmail.builder().to("support@acme.test").build());
    kit.receive(TestEmail.builder().to("sales@acme.test").build());
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(receiver.deliveries()).hasSize(2);
    assertThat(ops.deliveries()).singleElement().satisfies(w ->
        assertThat(w.json().path("inbox_id").asText()).isEqualTo(sales.id().toString()));
  }

  @Test
  void endpointLifecycle_updateDisableEnableDelete_andDeliveryListingFilters() {
    WebhookRegistration r = register(receiver, WebhookEventType.MESSAGE_RECEIVED,
        WebhookEventType.THREAD_CREATED, WebhookEventType.THREAD_DELETED);
    WebhookEndpoint updated = mail.webhooks().update(r.endpoint().id(),
        WebhookSpec.of(receiver.url(), WebhookEventType.MESSAGE_RECEIVED,
            WebhookEventType.THREAD_CREATED).withDescription("crm"));
    assertThat(updated.description()).contains("crm");
    assertThat(updated.events()).containsExactlyInAnyOrder(WebhookEventType.MESSAGE_RECEIVED,
        WebhookEventType.THREAD_CREATED);
    assertThat(mail.webhooks().list(ORG, PageRequest.first()).items())
        .extracting(WebhookEndpoint::id).containsExactly(r.endpoint().id());

    mail.webhooks().disable(r.endpoint().id());
    kit.receive(TestEmail.builder().to("support@acme.test").build());
    assertThat(mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all(),
        PageRequest.first()).items()).isEmpty();
    mail.webhooks().enable(r.endpoint().id());
    kit.receive(TestEmail.builder().to("support@acme.test").build());

    assertThat(mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all()
        .withEventType(WebhookEventType.MESSAGE_RECEIVED), PageRequest.first()).items())
        .hasSize(1);
    assertThat(mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all()
        .withStatus(WebhookDeliveryStatus.PENDING), PageRequest.first(1)).nextCursor())
        .isPresent();
    mail.webhooks().delete(r.endpoint().id());
    assertThat(mail.webhooks().get(r.endpoint().id())).isEmpty();
    assertThatThrownBy(() -> mail.webhooks().delete(r.endpoint().id()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void threadDeleted_andDomainVerified_areEmittedWithTheirChange() {
    register(receiver, WebhookEventType.THREAD_DELETED, WebhookEventType.DOMAIN_VERIFIED);
    kit.receive(TestEmail.builder().to("support@acme.test").build());
    mail.threads().delete(mail.threads().list(support.id(), PageRequest.first()).items().get(0)
        .id());
    List<DnsRecord> records = mail.domains().dnsRecords(support.domainId());
    mail.domains().verify(support.domainId()); // nothing published yet: no event
    for (DnsRecord r : records) {
      switch (r.type()) {
        case "MX" -> kit.dns().addMx(r.name(), r.value());
        case "CNAME" -> kit.dns().addCname(r.name(), r.value());
        default -> kit.dns().addTxt(r.name(), r.value());
      }
    }
    kit.identities().markDkimVerified("acme.test");
    assertThat(mail.domains().verify(support.domainId()).verification().allVerified()).isTrue();
    mail.domains().verify(support.domainId()); // still verified: no second event

    mail.webhooks().dispatcher().dispatchDue();

    assertThat(receiver.deliveries()).extracting(ReceivedWebhook::type)
        .containsExactlyInAnyOrder("thread.deleted", "domain.verified");
  }

  @Test
  void threadMerged_namesTheAbsorbedIdAndTheSurvivor() {
    register(receiver, WebhookEventType.THREAD_MERGED);
    EmailMessage a = kit.receive(TestEmail.builder().to("support@acme.test")
        .messageId("<a@x.example>").build()).deliveries().get(0).message();
    EmailMessage b = kit.receive(TestEmail.builder().to("support@acme.test")
        .messageId("<b@x.example>").build()).deliveries().get(0).message();
    kit.receive(TestEmail.builder().to("support@acme.test").inReplyTo("<b@x.example>")
        .references("<a@x.example> <b@x.example>").build());

    mail.webhooks().dispatcher().dispatchDue();

    assertThat(receiver.deliveries()).hasSize(1);
    ReceivedWebhook merged = receiver.deliveries().get(0);
    assertThat(merged.type()).isEqualTo("thread.merged");
    assertThat(merged.json().at("/data/merged_thread_id").asText())
        .isEqualTo(b.threadId().toString());
    assertThat(merged.json().at("/data/thread/id").asText())
        .isEqualTo(a.threadId().toString());
    assertThat(merged.json().at("/data/thread/message_count").asInt()).isEqualTo(3);
  }

  private WebhookRegistration register(WebhookReceiver to, WebhookEventType... types) {
    WebhookRegistration r = mail.webhooks().register(ORG, new WebhookSpec(to.url(),
        Set.of(types), Set.of(), Optional.empty()));
    to.secrets(r.secret());
    return r;
  }

  private WebhookEndpointStatus status(WebhookRegistration r) {
    return mail.webhooks().get(r.endpoint().id()).orElseThrow().status();
  }

  private WebhookDelivery onlyDelivery(WebhookRegistration r) {
    List<WebhookDelivery> all = mail.webhooks().deliveries(r.endpoint().id(),
        WebhookDeliveryFilter.all(), PageRequest.first()).items();
    assertThat(all).hasSize(1);
    return all.get(0);
  }
}
