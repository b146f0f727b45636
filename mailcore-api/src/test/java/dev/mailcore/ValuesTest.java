package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void messageId_of_stripsBracketsAndWhitespace() {
    assertThat(MessageId.of("  <abc@example.com> ").value()).isEqualTo("abc@example.com");
    assertThat(MessageId.of("abc@example.com").bracketed()).isEqualTo("<abc@example.com>");
  }

  @Test
  void messageId_isCaseSensitive() {
    assertThat(MessageId.of("<ABC@example.com>")).isNotEqualTo(MessageId.of("<abc@example.com>"));
  }

  @Test
  void messageId_whenItContainsWhitespace_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> MessageId.of("<a b@example.com>"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("a b@example.com");
  }

  @Test
  void emailAddress_lowerCasesTheDomainOnlyAndNormalizesFully() {
    EmailAddress a = EmailAddress.of("Ann Lee", "Ann.Lee@Example.COM");

    assertThat(a.address()).isEqualTo("Ann.Lee@example.com");
    assertThat(a.normalized()).isEqualTo("ann.lee@example.com");
    assertThat(a.localPart()).isEqualTo("Ann.Lee");
    assertThat(a.domain()).isEqualTo("example.com");
    assertThat(a.name()).contains("Ann Lee");
  }

  @Test
  void emailAddress_parse_readsDisplayName() {
    EmailAddress a = EmailAddress.parse("\"Lee, Ann\" <ann@example.com>");

    assertThat(a.name()).contains("Lee, Ann");
    assertThat(a.address()).isEqualTo("ann@example.com");
  }

  @Test
  void emailAddress_whenInvalid_failsWithValidationExceptionNamingTheValue() {
    assertThatThrownBy(() -> EmailAddress.of("not-an-address"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not-an-address");
    assertThatThrownBy(() -> EmailAddress.of("a@b@"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> EmailAddress.parse("a@example.com, b@example.com"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("exactly one");
  }

  @Test
  void emailAddress_blankNameCountsAsNone() {
    assertThat(EmailAddress.of("  ", "a@example.com").name()).isEmpty();
  }

  @Test
  void inboxSpec_normalizesAndRejectsPlusAndBadCharacters() {
    assertThat(InboxSpec.of(" Support ", "Support").localPart()).isEqualTo("support");
    assertThatThrownBy(() -> InboxSpec.of("sup+port", "x"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("plus-addressing");
    assertThatThrownBy(() -> InboxSpec.of("a..b", "x")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> InboxSpec.of("ok", " ")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("name");
  }

  @Test
  void pageRequest_rejectsOutOfRangeLimits() {
    assertThatThrownBy(() -> PageRequest.first(0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> PageRequest.first(PageRequest.MAX_LIMIT + 1))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void deliveryStatus_neverMovesBackwards() {
    DeliveryStatus bounced = new DeliveryStatus.Bounced("550 no such user");

    assertThat(DeliveryStatus.PENDING.canAdvanceTo(DeliveryStatus.SENT)).isTrue();
    assertThat(DeliveryStatus.SENT.canAdvanceTo(DeliveryStatus.DELIVERED)).isTrue();
    assertThat(DeliveryStatus.SENT.canAdvanceTo(bounced)).isTrue();
    assertThat(DeliveryStatus.DELIVERED.canAdvanceTo(DeliveryStatus.SENT)).isFalse();
    assertThat(DeliveryStatus.DELIVERED.canAdvanceTo(bounced)).isFalse();
    assertThat(bounced.canAdvanceTo(DeliveryStatus.DELIVERED)).isFalse();
    assertThat(DeliveryStatus.DELIVERED.canAdvanceTo(DeliveryStatus.COMPLAINED)).isTrue();
    assertThat(DeliveryStatus.SENT.canAdvanceTo(DeliveryStatus.SENT)).isFalse();
    assertThat(DeliveryStatus.PENDING.canAdvanceTo(new DeliveryStatus.Failed("rejected"))).isTrue();
  }

  @Test
  void deliveryStatus_fromCode_roundTripsEveryCode() {
    for (String code : new String[] {"pending", "sent", "delivered", "bounced", "complained", "failed"}) {
      assertThat(DeliveryStatus.fromCode(code, "r").code()).isEqualTo(code);
    }
    assertThatThrownBy(() -> DeliveryStatus.fromCode("lost", null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("lost");
  }

  @Test
  void errors_mapToTheSeedHttpStatuses() {
    assertThat(new ValidationException("f", "r").httpStatus()).isEqualTo(400);
    assertThat(new NotFoundException("inbox", "x").httpStatus()).isEqualTo(404);
    assertThat(new ConflictException("inbox", "x", "taken").httpStatus()).isEqualTo(409);
    assertThat(new AttachmentTooLargeException(2, 1).httpStatus()).isEqualTo(413);
    assertThat(new MessageTooLargeException(2048, 1024).httpStatus()).isEqualTo(413);
    assertThat(new MessageTooLargeException(2048, 1024)).isInstanceOf(TooLargeException.class)
        .hasMessageContaining("maxMessageBytes");
    assertThat(new SuppressedRecipientException(java.util.List.of("a@x.test")).httpStatus()).isEqualTo(422);
    assertThat(new MalformedMessageException("bad", "k", null).httpStatus()).isEqualTo(422);
    assertThat(new StorageException("db down", true, null).httpStatus()).isEqualTo(500);
    assertThat(new StorageException("db down", true, null).retryable()).isTrue();
    assertThat(new DeliveryException("ses throttled", true, true, null).httpStatus()).isEqualTo(502);
    assertThat(new DeliveryException("bad mime", false, false, null).httpStatus()).isEqualTo(500);
    assertThat(new ValidationException("f", "r").retryable()).isFalse();
  }

  @Test
  void limits_rejectImpossibleValuesNamingTheSetting() {
    assertThatThrownBy(() -> Limits.defaults().maxMimeDepth(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMimeDepth");
    assertThat(Limits.defaults().maxMessageBytes(1 << 20).maxMessageBytes()).isEqualTo(1 << 20);
    assertThat(Limits.defaults().maxMessageBytes()).isEqualTo(40L << 20);
  }

  @Test
  void limitsBuilder_startsFromTheDefaultsAndRoundTripsThroughToBuilder() {
    Limits built = Limits.builder().maxMessageBytes(20 << 20).maxMimeDepth(16).build();

    assertThat(built.maxMessageBytes()).isEqualTo(20 << 20);
    assertThat(built.maxMimeDepth()).isEqualTo(16);
    assertThat(built.maxParts()).isEqualTo(Limits.defaults().maxParts());
    assertThat(Limits.builder().build()).isEqualTo(Limits.defaults());
    assertThat(built.toBuilder().build()).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(built.toBuilder().maxParts(10).build().maxMimeDepth()).isEqualTo(16);
    assertThat(Limits.defaults().maxMimeDepth(16).maxMessageBytes(20 << 20)).isEqualTo(built);
    assertThatThrownBy(() -> Limits.builder().maxHeaderCount(15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxHeaderCount must be at least 16, got 15");
  }

  @Test
  void mailCoreBuilder_whenStoreMissing_failsFastSayingWhatToDo() {
    assertThatThrownBy(() -> MailCore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("store(...) is required");
  }

  @Test
  void displayNames_withLineBreaksOrControlCharacters_failNamingTheField() {
    assertThatThrownBy(() -> InboxSpec.of("support", "Support\u0000"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> DomainSettings.NONE.withFromName("Acme\r\nBcc: x@y.test"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("fromName"))
        .hasMessageContaining("header injection");
    assertThat(InboxSpec.of("support", "Acme\tSupport").name()).isEqualTo("Acme\tSupport");
  }

  @Test
  void emailAddress_withControlCharactersOrSpaces_failsNamingThePosition() {
    assertThatThrownBy(() -> EmailAddress.of("bob@example.or\u0000"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("code 0, at position 14");
    assertThatThrownBy(() -> EmailAddress.of("bo b@example.org"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("code 32");
    assertThatThrownBy(() -> EmailAddress.of("Bob\r\nBcc: x@y.test", "bob@example.org"))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("name"));
  }
  @Test
  void addressesAreAcceptedExactlyWhenInternetAddressAcceptsThem() {
    // EmailAddress skips InternetAddress's strict check for plain dot-atom addresses (the cost
    // of most inbound parsing): on addresses with neither spaces, controls nor angle brackets,
    // which it refuses itself, both must still agree, on each side of that shortcut.
    List<String> cases = new ArrayList<>(List.of("ann@example.com",
        "a.b-c+tag@mail.example.co.uk", "x@localhost", "o'neil@example.com", "{w}|~`^@1.2.3",
        "a@b-c.d", "A.B@EXAMPLE.COM", "a..b@x.com", ".a@x.com", "a.@x.com", "a@-x.com",
        "a@x-.com", "a@x..com", "a@.x.com", "a@x.com.", "a@x_y.com", "a\"b@x.com",
        "\"a.b\"@x.com", "a@[1.2.3.4]", "a(c)@x.com", "a,b@x.com", "a;b@x.com", "a:b@x.com",
        "a[b@x.com", "a\\b@x.com", "ä@x.com", "a@ä.com", "a@x.c-", "a@x.-c", "a@@x.com"));
    Random random = new Random(11);
    String alphabet = "aZ09.-_+!#$%&'*/=?^`{|}~\"(),;:[]\\@é";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = 1 + random.nextInt(10); i > 0; i--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      b.append('@');
      for (int i = 1 + random.nextInt(8); i > 0; i--) {
        b.append("aZ09.-_".charAt(random.nextInt(7)));
      }
      cases.add(b.toString());
    }
    for (String a : cases) {
      String normalized = a.substring(0, a.lastIndexOf('@') + 1)
          + a.substring(a.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
      boolean jakarta;
      try {
        new InternetAddress(normalized, true).validate();
        jakarta = true;
      } catch (AddressException e) {
        jakarta = false;
      }
      boolean ours;
      try {
        EmailAddress.of(a);
        ours = true;
      } catch (ValidationException e) {
        ours = false;
      }
      assertThat(ours).as(a).isEqualTo(jakarta);
    }
  }
}
