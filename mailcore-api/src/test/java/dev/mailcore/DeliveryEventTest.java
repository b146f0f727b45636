package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DeliveryEvent.BounceType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryEventTest {

  @Test
  void build_whenPermanentBounce_suppressesAndNormalizesRecipients() {
    DeliveryEvent e = DeliveryEvent.builder().sesMessageId("0102-abc")
        .bounced(BounceType.PERMANENT, "550 user unknown")
        .recipients("Ann@Customer.TEST", "ann@customer.test")
        .occurredAt(Instant.parse("2025-06-03T12:00:00Z"))
        .detail("diagnosticCode", "smtp; 550 5.1.1")
        .build();

    assertThat(e.status()).isEqualTo(new DeliveryStatus.Bounced("550 user unknown"));
    assertThat(e.recipients()).containsExactly("ann@customer.test");
    assertThat(e.suppresses()).isTrue();
    assertThat(e.messageId()).isEmpty();
  }

  @Test
  void suppresses_onlyForPermanentBounceAndComplaint() {
    UUID id = UUID.randomUUID();
    assertThat(DeliveryEvent.builder().messageId(id).complained().build().suppresses()).isTrue();
    assertThat(DeliveryEvent.builder().messageId(id).bounced(BounceType.TRANSIENT, "full")
        .build().suppresses()).isFalse();
    assertThat(DeliveryEvent.builder().messageId(id).delivered().build().suppresses()).isFalse();
    assertThat(DeliveryEvent.builder().messageId(id).failed("x").build().suppresses()).isFalse();
  }

  @Test
  void build_whenNoMessageReference_fails() {
    assertThatThrownBy(() -> DeliveryEvent.builder().delivered().build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("sesMessageId");
  }

  @Test
  void build_whenNoStatus_failsNamingIt() {
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID()).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("status");
  }

  @Test
  void build_whenBouncedWithoutType_fails() {
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID())
        .status(new DeliveryStatus.Bounced("x")).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("PERMANENT or TRANSIENT");
  }

  @Test
  void build_whenBounceTypeOnOtherStatus_fails() {
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID()).delivered()
        .bounceType(BounceType.PERMANENT).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("delivered");
  }

  @Test
  void build_whenRecipientInvalid_fails() {
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID()).delivered()
        .recipients("nope").build())
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void details_acceptJsonShapesAndAreDeeplyUnmodifiable() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("code", 550);
    nested.put("list", List.of("a", true, 1.5));
    DeliveryEvent e = DeliveryEvent.builder().messageId(UUID.randomUUID()).delivered()
        .details(Map.of("remoteMta", "mx.customer.test", "nested", nested)).build();
    nested.put("code", 999);

    @SuppressWarnings("unchecked")
    Map<String, Object> copied = (Map<String, Object>) e.details().get("nested");
    assertThat(copied).containsEntry("code", 550);
    assertThatThrownBy(() -> copied.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void details_whenValueNotJson_failsWithPath() {
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID()).delivered()
        .detail("when", Instant.now()).build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("details.when"));
    assertThatThrownBy(() -> DeliveryEvent.builder().messageId(UUID.randomUUID()).delivered()
        .detail("n", Double.NaN).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("NaN");
  }

  @Test
  void toBuilder_roundTrips() {
    DeliveryEvent e = DeliveryEvent.builder().messageId(UUID.randomUUID()).sesMessageId("p")
        .bounced(BounceType.TRANSIENT, "mailbox full").recipients("a@b.test")
        .occurredAt(Instant.EPOCH).detail("k", "v").build();

    assertThat(e.toBuilder().build()).isEqualTo(e);
    assertThat(e.occurredAt()).isEqualTo(Optional.of(Instant.EPOCH));
  }

  @Test
  void deliveryReport_statusOf_ignoresCase() {
    UUID id = UUID.randomUUID();
    Map<String, DeliveryStatus> recipients = new LinkedHashMap<>();
    recipients.put("ann@customer.test", DeliveryStatus.DELIVERED);
    recipients.put("bob@customer.test", new DeliveryStatus.Bounced("550"));
    DeliveryReport report = new DeliveryReport(id, new DeliveryStatus.Bounced("550"), recipients,
        List.of());

    assertThat(report.statusOf(" Ann@Customer.test")).contains(DeliveryStatus.DELIVERED);
    assertThat(report.statusOf("carol@customer.test")).isEmpty();
    assertThat(report.recipients().keySet()).containsExactly("ann@customer.test",
        "bob@customer.test");
  }
}
