package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.InboundMail;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.Reply;
import dev.mailcore.SendResult;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.RecordingTransport;
import dev.mailcore.testkit.SentMail;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine on {@link PostgresMailStore} with a transport that, like SES, replaces the
 * Message-ID of what it sends: replies naming only the provider's id join the thread, and
 * {@code reply()} references that id (ADR 0012).
 */
class PostgresMessageAliasTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private final RecordingTransport transport =
      new RecordingTransport().replaceMessageIds("eu-west-1.amazonses.com");
  private PostgresMailStore store;
  private MailCore mail;
  private Inbox support;

  @BeforeEach
  void open() {
    store = DB.emptyStore();
    mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore())
        .transport(transport).build();
    Domain d = mail.domains().create("org_1", "acme.test");
    support = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  @AfterEach
  void close() {
    mail.close();
    store.close();
  }

  @Test
  void replyNamingOnlyTheProvidersMessageId_joinsTheThreadAndReplyReferencesIt() {
    SendResult sent = mail.sender().send(OutboundEmail.builder().inboxId(support.id())
        .to("ann@customer.test").subject("Your order").text("It ships today.").build());
    String seen = "<" + transport.takeSent().providerId() + "@eu-west-1.amazonses.com>";

    EmailMessage answer = mail.mailboxes().receive(InboundMail.of(("Message-ID: <a1@c.test>\n"
        + "In-Reply-To: " + seen + "\nReferences: " + seen + "\nFrom: ann@customer.test\n"
        + "To: support@acme.test\nSubject: Re: Your order\n\nThanks!\n")
        .replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))).deliveries().get(0).message();
    SendResult followUp = mail.sender().reply(sent.message().id(), Reply.text("Also..."));

    assertThat(answer.threadId()).isEqualTo(sent.message().threadId());
    SentMail out = transport.takeSent();
    assertThat(out.header("In-Reply-To")).contains(seen);
    assertThat(followUp.message().threadId()).isEqualTo(sent.message().threadId());
  }
}
