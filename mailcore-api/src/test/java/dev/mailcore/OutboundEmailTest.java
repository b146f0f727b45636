package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundEmailTest {

  private static final UUID INBOX = UUID.randomUUID();

  private static OutboundEmail.Builder minimal() {
    return OutboundEmail.builder().inboxId(INBOX).to("ann@customer.test").text("hi");
  }

  @Test
  void build_whenMinimal_hasDefaults() {
    OutboundEmail e = minimal().build();

    assertThat(e.subject()).isEmpty();
    assertThat(e.to()).containsExactly(EmailAddress.of("ann@customer.test"));
    assertThat(e.cc()).isEmpty();
    assertThat(e.headers()).isEmpty();
    assertThat(e.idempotencyKey()).isEmpty();
    assertThat(e.skipSuppressed()).isFalse();
    assertThat(e.fromName()).isEmpty();
  }

  @Test
  void to_whenHeaderSyntax_parsesNameAndAddress() {
    OutboundEmail e = minimal().cc("Bob Smith <Bob@Customer.TEST>").build();

    assertThat(e.cc()).containsExactly(EmailAddress.of("Bob Smith", "Bob@customer.test"));
  }

  @Test
  void to_whenAddressInvalid_failsNamingFieldAndValue() {
    assertThatThrownBy(() -> minimal().bcc("not an address"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("bcc[0]"))
        .hasMessageContaining("not an address");
  }

  @Test
  void build_whenNoRecipient_fails() {
    assertThatThrownBy(() -> OutboundEmail.builder().inboxId(INBOX).text("x").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("recipient is required");
  }

  @Test
  void build_whenNoBody_fails() {
    assertThatThrownBy(() -> OutboundEmail.builder().inboxId(INBOX).to("a@b.test").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("text or HTML body");
  }

  @Test
  void build_whenNoInbox_failsNamingIt() {
    assertThatThrownBy(() -> OutboundEmail.builder().to("a@b.test").text("x").build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("inboxId");
  }

  @Test
  void build_whenSameRecipientInToAndBcc_fails() {
    assertThatThrownBy(() -> minimal().bcc("ANN@customer.test").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("more than once");
  }

  @Test
  void build_whenTooManyRecipients_fails() {
    OutboundEmail.Builder b = minimal();
    for (int i = 0; i < OutboundEmail.MAX_RECIPIENTS; i++) {
      b.bcc("user" + i + "@customer.test");
    }
    assertThatThrownBy(b::build).isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 50 recipients").hasMessageContaining("got 51");
  }

  @Test
  void subject_whenContainsLineBreak_fails() {
    assertThatThrownBy(() -> minimal().subject("Hi\r\nBcc: victim@x.test").build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("subject"))
        .hasMessageContaining("header injection");
  }

  @Test
  void subjectAndBodies_withNulOrControlCharacters_failNamingTheField() {
    assertThatThrownBy(() -> minimal().subject("Hi\u0000there").build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("subject"))
        .hasMessageContaining("control characters (code 0 at position 2)");
    assertThatThrownBy(() -> minimal().text("a\u0000b").build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("text"))
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> minimal().html("<p>\u0000</p>").build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("html"));
    assertThat(minimal().subject("Tab\tseparated").text("form\ffeed ok").build().subject())
        .isEqualTo("Tab\tseparated");
  }

  @ParameterizedTest
  @ValueSource(strings = {"From", "to", "CC", "Bcc", "Message-ID", "Date", "In-Reply-To",
      "References", "MIME-Version", "Content-Type", "content-transfer-encoding", "Subject",
      "Reply-To", "Sender", "Return-Path"})
  void header_whenOwnedByMailcore_fails(String name) {
    assertThatThrownBy(() -> minimal().header(name, "x"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("sets this header itself");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nBcc: victim@x.test", "a\nb", "a\rb", "nul\u0000"})
  void header_whenValueHasLineBreakOrControl_fails(String value) {
    assertThatThrownBy(() -> minimal().header("X-Tag", value))
        .isInstanceOf(ValidationException.class).hasMessageContaining("X-Tag");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "X Tag", "X:Tag", "X-Täg"})
  void header_whenNameInvalid_fails(String name) {
    assertThatThrownBy(() -> minimal().header(name, "v"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("header name");
  }

  @Test
  void header_whenSetTwiceIgnoringCase_keepsLast() {
    OutboundEmail e = minimal().header("X-Tag", "a").header("x-tag", "b").build();

    assertThat(e.headers()).containsExactly(java.util.Map.entry("x-tag", "b"));
  }

  @Test
  void constructor_whenHeadersDifferOnlyInCase_fails() {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("X-Tag", "a");
    headers.put("x-tag", "b");
    assertThatThrownBy(() -> new OutboundEmail(INBOX, java.util.List.of(EmailAddress.of("a@b.test")),
        java.util.List.of(), java.util.List.of(), "", java.util.Optional.of("x"),
        java.util.Optional.empty(), java.util.List.of(), headers, java.util.Optional.empty(),
        java.util.List.of(), java.util.Optional.empty(), false))
        .isInstanceOf(ValidationException.class).hasMessageContaining("given twice");
  }

  @Test
  void idempotencyKey_whenTooLong_fails() {
    assertThatThrownBy(() -> minimal().idempotencyKey("k".repeat(256)).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("idempotencyKey");
  }

  @Test
  void toBuilder_roundTripsEveryField() {
    OutboundEmail e = minimal().cc("b@customer.test").bcc("c@customer.test").subject("S")
        .html("<p>h</p>").attach(OutboundAttachment.of("a.txt", "text/plain", new byte[] {1}))
        .header("X-Tag", "t").fromName("Support").replyTo("help@example.com")
        .idempotencyKey("k1").skipSuppressed(true).build();

    assertThat(e.toBuilder().build()).isEqualTo(e);
    assertThat(e.toBuilder().clearRecipients().to("z@customer.test").build().allRecipients())
        .containsExactly(EmailAddress.of("z@customer.test"));
    assertThat(e.attachmentBytes()).isEqualTo(1);
  }

  @Test
  void attachments_whenContentIdUsedTwice_fails() {
    assertThatThrownBy(() -> minimal()
        .attach(OutboundAttachment.inline("a.png", "image/png", new byte[] {1}, "logo"),
            OutboundAttachment.inline("b.png", "image/png", new byte[] {2}, "<logo>"))
        .build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("Content-ID 'logo'");
  }
}
