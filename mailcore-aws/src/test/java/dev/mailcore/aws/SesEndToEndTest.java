package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DeliveryException;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.InboundMail;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.Reply;
import dev.mailcore.SendResult;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * mailcore sending through {@link SesTransport} (real SDK client, SES stand-in) on the in-memory
 * store: SES's replaced Message-ID threads replies, and SES failures leave the message as ADR 0007
 * says (Pending and resumable on the same idempotency key, or Failed with SES's reason).
 */
class SesEndToEndTest {

  @RegisterExtension
  final SesStandIn ses = new SesStandIn();

  private SesV2Client client;
  private SesTransport transport;
  private MailCore mail;
  private Inbox support;

  @BeforeEach
  void wire() {
    client = ses.client("eu-west-1");
    transport = SesTransport.builder().client(client).configurationSet("events").build();
    mail = MailCore.builder().store(new InMemoryMailStore()).blobStore(new InMemoryBlobStore())
        .transport(transport).build();
    Domain d = mail.domains().create("org_1", "acme.test",
        DomainSettings.NONE.withBounceAddress("bounces@mail.acme.test"));
    support = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  @AfterEach
  void close() {
    mail.close();
    transport.close();
    client.close();
    assertThat(ses.problems()).isEmpty();
  }

  private OutboundEmail.Builder email() {
    return OutboundEmail.builder().inboxId(support.id()).to("ann@customer.test")
        .bcc("audit@customer.test").subject("Your order").text("It ships today.");
  }

  private static String messageIdHeader(byte[] delivered) {
    Matcher m = Pattern.compile("(?im)^Message-ID: (<[^>]+>)")
        .matcher(new String(delivered, StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void replyNamingOnlySesMessageId_joinsTheThread() {
    SendResult sent = mail.sender().send(email().build());
    SesStandIn.Send atSes = ses.sends().get(0);
    String seen = messageIdHeader(atSes.delivered());
    assertThat(seen).isEqualTo("<" + atSes.messageId() + "@eu-west-1.amazonses.com>")
        .doesNotContain("acme.test");
    assertThat(sent.message().providerMessageId()).contains(atSes.messageId());
    assertThat(atSes.destination("BccAddresses")).containsExactly("audit@customer.test");

    EmailMessage answer = mail.mailboxes().receive(InboundMail.of((
        "Message-ID: <a1@customer.test>\n"
        + "In-Reply-To: " + seen + "\nReferences: " + seen + "\n"
        + "From: Ann <ann@customer.test>\nTo: support@acme.test\n"
        + "Subject: Re: Your order\n\nThanks!\n").replace("\n", "\r\n")
        .getBytes(StandardCharsets.UTF_8))).deliveries().get(0).message();

    assertThat(answer.threadId()).isEqualTo(sent.message().threadId());
    assertThat(mail.threads().get(sent.message().threadId()).orElseThrow().messageCount())
        .isEqualTo(2);
  }

  @Test
  void replyToASentMessage_referencesTheIdItsRecipientsSaw() {
    SendResult first = mail.sender().send(email().build());
    String seen = messageIdHeader(ses.sends().get(0).delivered());

    mail.sender().reply(first.message().id(), Reply.text("One more thing"));

    String followUp = new String(ses.sends().get(1).raw(), StandardCharsets.UTF_8);
    assertThat(followUp).contains("In-Reply-To: " + seen).containsPattern(
        "(?m)^References: " + Pattern.quote(seen) + "$")
        .doesNotContain("References: " + first.message().messageId().bracketed());
  }

  @ParameterizedTest
  @CsvSource({"429, TooManyRequestsException", "500, InternalFailure",
      "503, ServiceUnavailable"})
  void sendWhenSesThrottlesOrFails_staysPendingAndTheSameKeySendsItOnce(int status,
      String code) {
    ses.failNext(status, code, "try again");
    OutboundEmail e = email().idempotencyKey("order-1042").build();

    assertThatThrownBy(() -> mail.sender().send(e))
        .isInstanceOfSatisfying(DeliveryException.class, x -> assertThat(x.retryable()).isTrue())
        .hasMessageContaining(code);
    EmailMessage stored = onlyMessage();
    assertThat(mail.deliveries().status(stored.id()).status())
        .isEqualTo(DeliveryStatus.PENDING);
    assertThat(ses.sends()).isEmpty();

    SendResult retry = mail.sender().send(e);
    SendResult again = mail.sender().send(e);

    assertThat(retry.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(retry.message().id()).isEqualTo(stored.id());
    assertThat(again.duplicate()).isTrue();
    assertThat(ses.sends()).hasSize(1);
    assertThat(ses.sends().get(0).raw()).isEqualTo(readAll(mail.messages().raw(stored.id())));
    assertThat(mail.messages().get(stored.id()).orElseThrow().providerMessageId())
        .contains(ses.sends().get(0).messageId());
  }

  @Test
  void sendWhenSesRejectsTheMessage_recordsAPermanentFailureWithSesReason() {
    ses.failNext(400, "MessageRejected", "Email address is not verified.");
    OutboundEmail e = email().idempotencyKey("order-1043").build();

    assertThatThrownBy(() -> mail.sender().send(e))
        .isInstanceOfSatisfying(DeliveryException.class,
            x -> assertThat(x.retryable()).isFalse());

    EmailMessage stored = onlyMessage();
    DeliveryStatus status = mail.deliveries().status(stored.id()).status();
    assertThat(status).isInstanceOfSatisfying(DeliveryStatus.Failed.class, f -> assertThat(
        f.reason()).contains("MessageRejected").contains("Email address is not verified."));
    assertThat(mail.sender().send(e).duplicate()).as("the same key does not send again")
        .isTrue();
    assertThat(ses.sends()).isEmpty();
  }

  private EmailMessage onlyMessage() {
    var threads = mail.threads().list(support.id(), PageRequest.first()).items();
    assertThat(threads).hasSize(1);
    List<EmailMessage> messages = mail.threads().messages(threads.get(0).id(),
        PageRequest.first()).items();
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static byte[] readAll(java.io.InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
