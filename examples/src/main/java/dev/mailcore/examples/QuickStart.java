package dev.mailcore.examples;

import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryReport;
import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveResult;
import dev.mailcore.Reply;
import dev.mailcore.SendResult;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.RecordingTransport;
import java.nio.charset.StandardCharsets;

/**
 * The README's quick start: a support inbox receives a short conversation and a separate
 * question, mailcore threads them, support replies (recorded instead of sent) and its delivery
 * is reported, and the threads are printed. Runs entirely in memory.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    RecordingTransport transport = new RecordingTransport();
    try (MailCore mail = MailCore.builder()
        .store(new InMemoryMailStore())
        .blobStore(new InMemoryBlobStore())
        .transport(transport)
        .build()) {
      Domain acme = mail.domains().create("org_acme", "mail.acme.test");
      Inbox support = mail.mailboxes().create(acme.id(), InboxSpec.of("support", "Acme Support"));
      System.out.println("Inbox: support@" + acme.name());

      receive(mail, """
          Message-ID: <q1@customer.example>
          From: Ann Lee <ann@customer.example>
          To: support@mail.acme.test
          Subject: Order #1042 has not arrived
          Date: Mon, 05 Jan 2026 09:00:00 +0000

          Hi, my order #1042 still has not arrived. Can you check?
          """);
      receive(mail, """
          Message-ID: <q2@customer.example>
          In-Reply-To: <q1@customer.example>
          References: <q1@customer.example>
          From: Ann Lee <ann@customer.example>
          To: support+orders@mail.acme.test
          Subject: RE: Order #1042 has not arrived
          Date: Mon, 05 Jan 2026 10:30:00 +0000

          Adding my tracking number: ZX-88.
          """);
      receive(mail, """
          Message-ID: <b1@other.example>
          From: "Bo Chen" <bo@other.example>
          To: support@mail.acme.test
          Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=
          Date: Tue, 06 Jan 2026 08:15:00 +0000
          MIME-Version: 1.0
          Content-Type: text/plain; charset=UTF-8

          Where is my invoice?
          """);
      // An SES or SMTP redelivery of the first message is recognized, not stored twice.
      ReceiveResult again = receive(mail, """
          Message-ID: <q1@customer.example>
          From: Ann Lee <ann@customer.example>
          To: support@mail.acme.test
          Subject: Order #1042 has not arrived
          Date: Mon, 05 Jan 2026 09:00:00 +0000

          Hi, my order #1042 still has not arrived. Can you check?
          """);
      System.out.println("Redelivery detected as duplicate: "
          + again.deliveries().get(0).duplicate());

      // Answer the first thread, then play the provider reporting delivery.
      EmailThread orders = mail.threads().list(support.id(), PageRequest.first()).items()
          .stream().filter(t -> t.subject().startsWith("Order")).findFirst().orElseThrow();
      EmailMessage question = mail.threads().messages(orders.id(), PageRequest.first())
          .items().get(0);
      SendResult reply = mail.sender().reply(question.id(), Reply.builder()
          .text("Hi Ann, #1042 left our warehouse today. Tracking: ZX-88.")
          .idempotencyKey("reply-1042").build());
      System.out.println("Reply sent as " + reply.message().messageId() + ", status "
          + reply.status().code() + ", provider id " + reply.message().providerMessageId().orElse("-"));
      DeliveryReport report = mail.deliveries().record(DeliveryEvent.builder()
          .sesMessageId(reply.message().providerMessageId().orElseThrow()).delivered().build());
      System.out.println("Delivery status now: " + report.status().code() + " " + report.recipients());

      System.out.println();
      for (EmailThread t : mail.threads().list(support.id(), PageRequest.first()).items()) {
        System.out.printf("Thread \"%s\" (%d messages)%n", t.subject(), t.messageCount());
        for (EmailMessage m : mail.threads().messages(t.id(), PageRequest.first()).items()) {
          System.out.printf("  %s  %-28s %s%n", m.sentAt(), m.from().address(), m.subject());
        }
      }
    }
  }

  private static ReceiveResult receive(MailCore mail, String text) {
    byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    return mail.mailboxes().receive(InboundMail.of(raw));
  }
}
