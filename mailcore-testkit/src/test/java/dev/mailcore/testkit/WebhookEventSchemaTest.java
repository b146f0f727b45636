package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.DnsRecord;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The published event catalogue: every {@link WebhookEventType} has a JSON Schema (draft
 * 2020-12) at {@code dev/mailcore/webhooks/schema/<type>.v<version>.json} in mailcore-api, and
 * the payloads mailcore really emits for every type validate against it (checked with the
 * independent networknt validator). A new event type needs its schema file and a line in the
 * scenario below.
 */
class WebhookEventSchemaTest {
  private static final String ORG = MailCoreTestkit.DEFAULT_ORGANIZATION;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final MailCoreTestkit kit = MailCoreTestkit.builder()
      .startAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
      .webhooks(WebhookSettings.builder().allowLoopback(true).jitter(0).warningAfter(1)
          .disableAfter(2).retryDelays(List.of(Duration.ofSeconds(5)))
          .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build())
      .build();
  private final MailCore mail = kit.mail();
  private final Inbox support = kit.inbox("support@acme.test");
  private final List<WebhookReceiver> receivers = new ArrayList<>();

  @AfterEach
  void close() {
    receivers.forEach(WebhookReceiver::close);
    kit.close();
  }

  @Test
  void everyEventType_hasASchema_thatIsValidJsonSchema() throws IOException {
    for (WebhookEventType t : WebhookEventType.values()) {
      JsonNode schema = schemaJson(t);
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("properties").path("type").path("const").asText())
          .isEqualTo(t.wireName());
      assertThat(schema.path("properties").path("version").path("const").asInt())
          .isEqualTo(t.payloadVersion());
    }
  }

  @Test
  void emittedPayloadsOfEveryType_validateAgainstTheirSchema() throws IOException {
    WebhookRegistration all = register(WebhookEventType.values());
    WebhookReceiver flaky = receiver();
    WebhookReceiver dying = receiver();
    mail.webhooks().register(ORG, WebhookSpec.of(flaky.url(), WebhookEventType.MESSAGE_RECEIVED));
    mail.webhooks().register(ORG, WebhookSpec.of(dying.url(), WebhookEventType.MESSAGE_RECEIVED));
    flaky.enqueue(WebhookReceiver.Answer.status(500));
    dying.enqueue(WebhookReceiver.Answer.status(500)).enqueue(WebhookReceiver.Answer.status(500));

    // message.received, thread.created; flaky and dying fail once (warning)
    kit.receive(TestEmail.builder().to("support@acme.test").subject("Where is my order?")
        .build());
    mail.webhooks().dispatcher().dispatchDue();
    // flaky recovers (endpoint.recovered); dying exhausts its retries (delivery.exhausted) and
    // is disabled (endpoint.disabled)
    kit.clock().advance(Duration.ofSeconds(6));
    mail.webhooks().dispatcher().dispatchDue();

    // message.sent, thread.created, then every provider report
    UUID sent = mail.sender().send(OutboundEmail.builder().inboxId(support.id())
        .to("bob@customer.test").subject("Shipped").text("On its way").build()).message().id();
    record(DeliveryEvent.builder().messageId(sent).status(new DeliveryStatus.Pending()));
    kit.simulateDelivery(sent, "bob@customer.test");
    kit.simulateComplaint(sent, "bob@customer.test");
    kit.simulateBounce(sent, "bob@customer.test");
    record(DeliveryEvent.builder().messageId(sent).failed("554 simulated: rejected"));

    // thread.merged: two unlinked messages start two threads; a reply naming both merges them
    kit.receive(TestEmail.builder().to("support@acme.test").subject("Part one")
        .messageId("<part-1@customer.test>").build());
    kit.receive(TestEmail.builder().to("support@acme.test").subject("Part two")
        .messageId("<part-2@customer.test>").build());
    kit.receive(TestEmail.builder().to("support@acme.test").subject("Re: Part two")
        .inReplyTo("<part-2@customer.test>")
        .references("<part-1@customer.test> <part-2@customer.test>").build());

    // thread.deleted, domain.verified
    mail.threads().delete(mail.threads().list(support.id(), PageRequest.first()).items().get(0)
        .id());
    publishDns();
    assertThat(mail.domains().verify(support.domainId()).verification().allVerified()).isTrue();

    List<WebhookDelivery> emitted = mail.webhooks().deliveries(all.endpoint().id(),
        WebhookDeliveryFilter.all(), PageRequest.first(100)).items();
    Set<WebhookEventType> seen = EnumSet.noneOf(WebhookEventType.class);
    for (WebhookDelivery d : emitted) {
      JsonNode payload = JSON.readTree(d.payload());
      List<Error> errors = schema(d.eventType()).validate(payload);
      assertThat(errors).as("%s payload %s", d.eventType().wireName(), payload).isEmpty();
      seen.add(d.eventType());
    }
    assertThat(seen).containsExactlyInAnyOrder(WebhookEventType.values());
  }

  @Test
  void aPayloadMissingARequiredField_isRefusedByItsSchema() throws IOException {
    JsonNode bad = JSON.readTree("{\"id\":\"" + UUID.randomUUID() + "\","
        + "\"type\":\"endpoint.recovered\",\"version\":1,\"created_at\":\"2026-11-30T10:00:00Z\","
        + "\"organization_id\":\"org_1\",\"sequence\":0,\"data\":{}}");

    List<Error> errors = schema(WebhookEventType.ENDPOINT_RECOVERED).validate(bad);

    assertThat(errors).extracting(Error::getKeyword).contains("required", "minimum");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String resource(WebhookEventType t) {
    return "/dev/mailcore/webhooks/schema/" + t.wireName() + ".v" + t.payloadVersion() + ".json";
  }

  private static JsonNode schemaJson(WebhookEventType t) throws IOException {
    try (InputStream in = WebhookEventType.class.getResourceAsStream(resource(t))) {
      assertThat(in).as("schema %s in mailcore-api", resource(t)).isNotNull();
      return JSON.readTree(in);
    }
  }

  private static Schema schema(WebhookEventType t) throws IOException {
    return SCHEMAS.getSchema(schemaJson(t));
  }

  private WebhookReceiver receiver() {
    WebhookReceiver r = WebhookReceiver.start();
    receivers.add(r);
    return r;
  }

  private WebhookRegistration register(WebhookEventType... types) {
    WebhookReceiver r = receiver();
    return mail.webhooks().register(ORG, new WebhookSpec(r.url(), Set.of(types), Set.of(),
        Optional.empty()));
  }

  private void record(DeliveryEvent.Builder event) {
    mail.deliveries().record(event.recipients("bob@customer.test").build());
  }

  private void publishDns() {
    for (DnsRecord r : mail.domains().dnsRecords(support.domainId())) {
      switch (r.type()) {
        case "MX" -> kit.dns().addMx(r.name(), r.value());
        case "CNAME" -> kit.dns().addCname(r.name(), r.value());
        default -> kit.dns().addTxt(r.name(), r.value());
      }
    }
    kit.identities().markDkimVerified("acme.test");
  }
}
