package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.AttachmentTooLargeException;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryException;
import dev.mailcore.DeliveryReport;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Direction;
import dev.mailcore.DomainSettings;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.Limits;
import dev.mailcore.MailCore;
import dev.mailcore.MessageId;
import dev.mailcore.NotFoundException;
import dev.mailcore.OutboundAttachment;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveResult;
import dev.mailcore.Reply;
import dev.mailcore.SendResult;
import dev.mailcore.SuppressedRecipientException;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through the public API: send, reply, idempotency, delivery status and suppression,
 * with the testkit's {@link RecordingTransport}. Part of the behaviour suite every store runs
 * ({@link MailCoreBehaviorContract}); a store does not subclass it directly. Not thread-safe;
 * JUnit runs each test on a fresh instance.
 */
public abstract class SendingScenarios {

  private MailCoreTestkit kit;
  private MailCore mail;
  private Inbox support;

  /** Creates the suite; subclasses are created by JUnit. */
  protected SendingScenarios() {}

  /**
   * Builds a testkit on a fresh, empty store of the store under test.
   *
   * @param builder the testkit settings the test wants (clock, limits, window)
   * @return the testkit; the test closes it
   */
  protected abstract MailCoreTestkit newKit(MailCoreTestkit.Builder builder);

  @BeforeEach
  void open() {
    kit = newKit(MailCoreTestkit.builder());
    mail = kit.mail();
    support = kit.inbox("support@acme.test");
  }

  @AfterEach
  void close() {
    kit.close();
  }

  private OutboundEmail.Builder email() {
    return OutboundEmail.builder().inboxId(support.id()).to("Ann Lee <ann@customer.test>")
        .subject("Your order").text("It ships today.");
  }

  @Test
  void send_storesOutboundMessageSentWithProviderIdAndTransportGetsIt() throws Exception {
    SendResult r = mail.sender().send(email().cc("bob@customer.test")
        .bcc("audit@customer.test").header("X-Order", "1042").build());

    assertThat(r.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(r.duplicate()).isFalse();
    EmailMessage m = r.message();
    assertThat(m.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(m.messageId().value()).endsWith("@acme.test");
    assertThat(m.from().address()).isEqualTo("support@acme.test");
    assertThat(m.bcc()).containsExactly(EmailAddress.of("audit@customer.test"));

    SentMail sent = kit.transport().takeSent();
    assertThat(m.providerMessageId()).contains(sent.providerId());
    assertThat(sent.messageId()).isEqualTo(m.messageId());
    assertThat(sent.subject()).isEqualTo("Your order");
    assertThat(sent.text()).contains("It ships today.");
    assertThat(sent.header("X-Order")).contains("1042");
    assertThat(sent.header("Bcc")).isEmpty();
    assertThat(sent.envelopeRecipients()).containsExactly("ann@customer.test",
        "bob@customer.test", "audit@customer.test");

    assertThat(mail.messages().get(m.id()).orElseThrow().providerMessageId())
        .contains(sent.providerId());
    try (InputStream raw = mail.messages().raw(m.id())) {
      assertThat(raw.readAllBytes()).isEqualTo(sent.raw());
    }
    assertThat(mail.threads().list(support.id(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void send_appliesDomainDefaultsForFromNameAndReplyTo() {
    var domain = mail.domains().byName("acme.test").orElseThrow();
    mail.domains().update(domain.id(), DomainSettings.NONE.withFromName("Acme Support")
        .withReplyTo("help@acme.test"));

    mail.sender().send(email().build());

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.from()).isEqualTo(EmailAddress.of("Acme Support", "support@acme.test"));
    assertThat(sent.header("Reply-To")).contains("help@acme.test");
  }

  @Test
  void send_whenSameIdempotencyKeyWithin24h_returnsFirstResultAndSendsNothing() {
    SendResult first = mail.sender().send(email().idempotencyKey("order-1042").build());
    kit.clock().advance(Duration.ofHours(23));

    SendResult second = mail.sender().send(email().idempotencyKey("order-1042").build());

    assertThat(second.duplicate()).isTrue();
    assertThat(second.message().id()).isEqualTo(first.message().id());
    assertThat(second.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(kit.transport().sentCount()).isEqualTo(1);

    kit.clock().advance(Duration.ofHours(2));
    SendResult later = mail.sender().send(email().idempotencyKey("order-1042").build());
    assertThat(later.duplicate()).isFalse();
    assertThat(kit.transport().sentCount()).isEqualTo(2);
  }

  @Test
  void reply_threadsWithParentAndCustomersAnswerJoinsTheSameThread() {
    ReceiveResult in = kit.receive("""
        Message-ID: <q1@customer.test>
        References: <older@customer.test>
        From: Ann Lee <ann@customer.test>
        Reply-To: Ann Private <ann.private@customer.test>
        To: support@acme.test
        Cc: bob@customer.test
        Subject: Re: RE: Order #1042
        Date: Mon, 05 Jan 2026 08:00:00 +0000

        Where is it?
        """.replace("\n", "\r\n"));
    EmailMessage parent = in.deliveries().get(0).message();

    SendResult r = mail.sender().reply(parent.id(), Reply.builder().text("On its way.")
        .replyAll(true).build());

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.subject()).isEqualTo("Re: Order #1042");
    assertThat(sent.header("In-Reply-To")).contains("<q1@customer.test>");
    assertThat(sent.header("References")).contains("<older@customer.test> <q1@customer.test>");
    assertThat(sent.to()).containsExactly(EmailAddress.of("Ann Private",
        "ann.private@customer.test"));
    assertThat(sent.cc()).extracting(EmailAddress::address)
        .containsExactly("bob@customer.test");
    assertThat(r.message().threadId()).isEqualTo(parent.threadId());

    ReceiveResult answer = kit.receive(("Message-ID: <q2@customer.test>\n"
        + "In-Reply-To: " + r.message().messageId().bracketed() + "\n"
        + "From: ann@customer.test\nTo: support@acme.test\nSubject: Re: Order #1042\n\n"
        + "Thanks!\n").replace("\n", "\r\n"));
    assertThat(answer.deliveries().get(0).message().threadId()).isEqualTo(parent.threadId());
    assertThat(mail.threads().get(parent.threadId()).orElseThrow().messageCount()).isEqualTo(3);
  }

  @Test
  void reply_withoutReplyTo_goesToFromAndNotToTheInboxItself() {
    EmailMessage parent = kit.receive(("Message-ID: <p@customer.test>\nFrom: ann@customer.test\n"
        + "To: support@acme.test, other@customer.test\nSubject: Hi\n\nx\n")
        .replace("\n", "\r\n"), "support@acme.test").deliveries().get(0).message();

    mail.sender().reply(parent.id(), Reply.text("Hello"));

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.to()).extracting(EmailAddress::address).containsExactly("ann@customer.test");
    assertThat(sent.cc()).isEmpty();
    assertThat(sent.subject()).isEqualTo("Re: Hi");
  }

  @Test
  void reply_toOwnSentMessage_followsUpToSameRecipientsInSameThreadWithOneRe() {
    SendResult first = mail.sender().send(email().subject("Re: Your order").build());
    kit.transport().takeSent();

    SendResult followUp = mail.sender().reply(first.message().id(),
        Reply.builder().text("One more thing").idempotencyKey("f-1").build());

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.subject()).isEqualTo("Re: Your order");
    assertThat(sent.to()).extracting(EmailAddress::address).containsExactly("ann@customer.test");
    assertThat(sent.header("In-Reply-To")).contains(first.message().messageId().bracketed());
    assertThat(sent.header("References")).contains(first.message().messageId().bracketed());
    assertThat(followUp.message().threadId()).isEqualTo(first.message().threadId());
    assertThat(followUp.message().inReplyTo()).contains(first.message().messageId());
  }

  @Test
  void send_whenTheProviderReplacesTheMessageId_repliesNamingOnlyItsIdJoinTheThread() {
    kit.transport().replaceMessageIds("eu-west-1.amazonses.com");
    SendResult sent = mail.sender().send(email().build());
    String seen = "<" + kit.transport().takeSent().providerId() + "@eu-west-1.amazonses.com>";

    ReceiveResult answer = kit.receive(("Message-ID: <a1@customer.test>\n"
        + "In-Reply-To: " + seen + "\nReferences: " + seen + "\n"
        + "From: ann@customer.test\nTo: support@acme.test\nSubject: Re: Your order\n\n"
        + "Thanks!\n").replace("\n", "\r\n"));

    assertThat(answer.deliveries().get(0).message().threadId())
        .isEqualTo(sent.message().threadId());
  }

  @Test
  void reply_toASentMessageTheProviderRenamed_referencesTheIdItsRecipientsSaw() {
    kit.transport().replaceMessageIds("email.amazonses.com");
    SendResult first = mail.sender().send(email().build());
    MessageId seen = new MessageId(kit.transport().takeSent().providerId()
        + "@email.amazonses.com");

    SendResult followUp = mail.sender().reply(first.message().id(), Reply.text("Also..."));

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.header("In-Reply-To")).contains(seen.bracketed());
    assertThat(sent.header("References")).contains(seen.bracketed());
    assertThat(followUp.message().inReplyTo()).contains(seen);
    assertThat(followUp.message().threadId()).isEqualTo(first.message().threadId());
  }

  @Test
  void send_whenRecipientSuppressed_refusesNamingItOrSkipsWhenAsked() {
    mail.suppressions().add("bob@customer.test");

    assertThatThrownBy(() -> mail.sender().send(email().cc("Bob@Customer.test").build()))
        .isInstanceOfSatisfying(SuppressedRecipientException.class,
            e -> assertThat(e.addresses()).containsExactly("bob@customer.test"));
    assertThat(kit.transport().sentCount()).isZero();

    SendResult r = mail.sender().send(email().cc("bob@customer.test").skipSuppressed(true)
        .build());
    assertThat(r.skippedRecipients()).containsExactly("bob@customer.test");
    assertThat(kit.transport().takeSent().envelopeRecipients())
        .containsExactly("ann@customer.test");
  }

  @Test
  void send_whenAttachmentsOverLimit_throws413WithSizeAndLimit() {
    try (MailCoreTestkit small = newKit(MailCoreTestkit.builder()
        .limits(Limits.defaults().maxAttachmentBytes(1024)))) {
      Inbox inbox = small.inbox("support@acme.test");
      OutboundEmail e = OutboundEmail.builder().inboxId(inbox.id()).to("a@customer.test")
          .text("x").attach(OutboundAttachment.of("big.bin", "application/octet-stream",
              new byte[2000])).build();

      assertThatThrownBy(() -> small.mail().sender().send(e))
          .isInstanceOfSatisfying(AttachmentTooLargeException.class, x -> {
            assertThat(x.httpStatus()).isEqualTo(413);
            assertThat(x.sizeBytes()).isEqualTo(2000);
            assertThat(x.limitBytes()).isEqualTo(1024);
          });
      assertThat(small.transport().sentCount()).isZero();
    }
  }

  @Test
  void send_whenDomainDeleted_cannotSendAndNothingLeaves() {
    mail.domains().delete(support.domainId());

    assertThatThrownBy(() -> mail.sender().send(email().build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(support.domainId().toString());
    assertThat(kit.transport().sentCount()).isZero();
  }

  @Test
  void send_whenInboxDeleted_cannotSend() {
    mail.mailboxes().delete(support.id());

    assertThatThrownBy(() -> mail.sender().send(email().build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(support.id().toString());
  }

  @Test
  void send_whenTransportFailsPermanently_marksFailedWithReason() {
    kit.transport().failNext(RecordingTransport.permanentFailure());

    assertThatThrownBy(() -> mail.sender().send(email().build()))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());

    EmailMessage stored = onlyMessage();
    DeliveryReport report = mail.deliveries().status(stored.id());
    assertThat(report.status()).isInstanceOf(DeliveryStatus.Failed.class);
    assertThat(((DeliveryStatus.Failed) report.status()).reason()).contains("554 5.7.1");
    assertThat(stored.providerMessageId()).isEmpty();
  }

  @Test
  void send_whenRetryableFailureWithKey_staysPendingAndSameKeyResendsSameMessage() {
    kit.transport().failNext(RecordingTransport.retryableFailure());
    OutboundEmail e = email().idempotencyKey("k-1").build();

    assertThatThrownBy(() -> mail.sender().send(e))
        .isInstanceOfSatisfying(DeliveryException.class, x -> assertThat(x.retryable()).isTrue());
    EmailMessage stored = onlyMessage();
    assertThat(mail.deliveries().status(stored.id()).status()).isEqualTo(DeliveryStatus.PENDING);

    SendResult retry = mail.sender().send(e);

    assertThat(retry.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(retry.message().id()).isEqualTo(stored.id());
    assertThat(kit.transport().takeSent().messageId()).isEqualTo(stored.messageId());
    assertThat(kit.transport().sentCount()).isEqualTo(1);
  }

  @Test
  void deliveries_moveForwardOnlyAndTrackEachRecipient() {
    SendResult r = mail.sender().send(email().cc("bob@customer.test").build());
    String providerId = r.message().providerMessageId().orElseThrow();

    mail.deliveries().record(DeliveryEvent.builder().sesMessageId(providerId)
        .bounced(DeliveryEvent.BounceType.PERMANENT, "550 5.1.1 user unknown")
        .recipients("bob@customer.test").occurredAt(kit.clock().instant())
        .build());
    kit.clock().advance(Duration.ofMinutes(1));
    kit.simulateDelivery(r.message().id(), "ann@customer.test");
    // A late Sent and a duplicate bounce change nothing.
    mail.deliveries().record(DeliveryEvent.builder().messageId(r.message().id())
        .status(DeliveryStatus.SENT).build());
    DeliveryReport report = mail.deliveries().record(DeliveryEvent.builder()
        .sesMessageId(providerId)
        .bounced(DeliveryEvent.BounceType.PERMANENT, "550 5.1.1 user unknown")
        .recipients("bob@customer.test").occurredAt(MailCoreTestkit.DEFAULT_START)
        .build());

    assertThat(report.status()).isEqualTo(new DeliveryStatus.Bounced("550 5.1.1 user unknown"));
    assertThat(report.statusOf("ann@customer.test")).contains(DeliveryStatus.DELIVERED);
    assertThat(report.statusOf("bob@customer.test"))
        .contains(new DeliveryStatus.Bounced("550 5.1.1 user unknown"));
    assertThat(report.events()).extracting(e -> e.status().code())
        .containsExactly("pending", "sent", "bounced", "delivered", "sent");
    Suppression s = mail.suppressions().check("BOB@customer.test").orElseThrow();
    assertThat(s.reason()).isEqualTo(SuppressionReason.BOUNCE);
    assertThat(s.detail()).contains("550 5.1.1 user unknown");
    assertThat(mail.suppressions().check("ann@customer.test")).isEmpty();
  }

  @Test
  void deliveries_complaintSuppressesAndTransientBounceDoesNot() {
    SendResult r = mail.sender().send(email().cc("bob@customer.test").build());

    mail.deliveries().record(DeliveryEvent.builder().messageId(r.message().id())
        .bounced(DeliveryEvent.BounceType.TRANSIENT, "452 mailbox full")
        .recipients("ann@customer.test").build());
    kit.simulateComplaint(r.message().id(), "bob@customer.test");

    assertThat(mail.suppressions().check("ann@customer.test")).isEmpty();
    assertThat(mail.suppressions().check("bob@customer.test").orElseThrow().reason())
        .isEqualTo(SuppressionReason.COMPLAINT);
    assertThat(mail.deliveries().events(r.message().id()).get(3).details())
        .containsEntry("feedbackType", "abuse");
  }

  @Test
  void deliveries_recordIfNew_tellsARepeatFromANewEventAndStoresItOnce() {
    SendResult r = mail.sender().send(email().build());
    String providerId = r.message().providerMessageId().orElseThrow();
    DeliveryEvent delivered = DeliveryEvent.builder().sesMessageId(providerId).delivered()
        .recipients("ann@customer.test").occurredAt(kit.clock().instant()).build();
    DeliveryEvent untimed = DeliveryEvent.builder().sesMessageId(providerId).delivered()
        .recipients("ann@customer.test").build();

    Optional<DeliveryReport> first = mail.deliveries().recordIfNew(delivered);
    Optional<DeliveryReport> repeat = mail.deliveries().recordIfNew(delivered);
    Optional<DeliveryReport> withoutTime = mail.deliveries().recordIfNew(untimed);

    assertThat(first).hasValueSatisfying(
        x -> assertThat(x.status()).isEqualTo(DeliveryStatus.DELIVERED));
    assertThat(repeat).isEmpty();
    assertThat(withoutTime).as("no provider timestamp: never a repeat").isPresent();
    assertThat(mail.deliveries().events(r.message().id())).extracting(e -> e.status().code())
        .containsExactly("pending", "sent", "delivered", "delivered");
  }

  @Test
  void deliveries_whenProviderIdUnknown_notFound() {
    assertThatThrownBy(() -> mail.deliveries().record(DeliveryEvent.builder()
        .sesMessageId("nope").delivered().build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
  }

  @Test
  void suppressions_addRemoveCheckAndListInKeysetPages() {
    for (String a : List.of("c@x.test", "a@x.test", "b@x.test")) {
      mail.suppressions().add(a);
    }
    var first = mail.suppressions().list(PageRequest.first(2));
    assertThat(first.items()).extracting(Suppression::address).containsExactly("a@x.test",
        "b@x.test");
    var second = mail.suppressions().list(PageRequest.after(first.nextCursor().orElseThrow())
        .withLimit(2));
    assertThat(second.items()).extracting(Suppression::address).containsExactly("c@x.test");
    assertThat(second.hasNext()).isFalse();

    assertThat(mail.suppressions().remove("A@x.test")).isTrue();
    assertThat(mail.suppressions().remove("a@x.test")).isFalse();
    assertThat(mail.suppressions().check("a@x.test")).isEmpty();
  }

  @Test
  void send_nonAsciiSubjectAndAttachmentRoundTripThroughTheTransport() {
    mail.sender().send(email().subject("Grüße – заказ").attach(OutboundAttachment.of(
        "Übersicht.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII))).build());

    SentMail sent = kit.transport().takeSent();
    assertThat(sent.subject()).isEqualTo("Grüße – заказ");
    assertThat(sent.attachments()).singleElement().satisfies(a -> {
      assertThat(a.filename()).isEqualTo("Übersicht.pdf");
      assertThat(a.content()).isEqualTo("%PDF".getBytes(StandardCharsets.US_ASCII));
    });
  }

  private EmailMessage onlyMessage() {
    var threads = mail.threads().list(support.id(), PageRequest.first()).items();
    assertThat(threads).hasSize(1);
    return mail.threads().messages(threads.get(0).id(), PageRequest.first()).items().get(0);
  }
}
