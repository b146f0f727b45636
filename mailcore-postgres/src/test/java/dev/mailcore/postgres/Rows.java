package dev.mailcore.postgres;

import dev.mailcore.Direction;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ThreadId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Builders of SPI rows for the store tests. Times are whole microseconds, as PostgreSQL keeps. */
final class Rows {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  private Rows() {}

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds).truncatedTo(ChronoUnit.MICROS);
  }

  static Domain domain(String org, String name) {
    return new Domain(UUID.randomUUID(), org, name, Optional.of("arn:aws:ses:eu-west-1:1:identity/" + name),
        List.of("tok1", "tok2", "tok3"), Optional.of("Acme"),
        Optional.of(EmailAddress.of("Help Desk", "help@" + name)), Optional.empty(),
        new DnsVerification(true, false, true, false), T0, T0, Optional.empty());
  }

  static Inbox inbox(UUID domainId, String localPart, boolean catchAll) {
    return new Inbox(UUID.randomUUID(), domainId, "Inbox " + localPart, localPart, catchAll, T0, T0,
        Optional.empty());
  }

  static EmailThread thread(UUID inboxId, String subject, Instant updatedAt) {
    return new EmailThread(new ThreadId(UUID.randomUUID()), inboxId, subject, T0, updatedAt, 1,
        Optional.empty());
  }

  static EmailMessage message(UUID inboxId, ThreadId threadId, String messageId, Instant sentAt,
      Optional<String> inReplyTo, List<String> references) {
    return new EmailMessage(UUID.randomUUID(), new MessageId(messageId), threadId, inboxId,
        Direction.INBOUND, EmailAddress.of("Ann Lee", "Ann@Example.com"),
        List.of(EmailAddress.of("support@acme.test"), EmailAddress.of("Bo", "bo@acme.test")),
        List.of(EmailAddress.of("cc@other.test")), List.of(),
        List.of(EmailAddress.of("Ann Replies", "ann-replies@example.com")), "Re: Order 42", sentAt,
        inReplyTo.map(MessageId::new), references.stream().map(MessageId::new).toList(),
        Optional.of("hello"), Optional.of("<p>hello</p>"),
        List.of(new EmailAttachment(UUID.randomUUID(), "a.pdf", "application/pdf", 1234,
                "2026/03/01/x/a.pdf", Optional.empty(), false),
            new EmailAttachment(UUID.randomUUID(), "logo.png", "image/png", 99,
                "2026/03/01/x/logo.png", Optional.of("logo@x"), true)),
        "2026/03/01/abc.eml", Optional.empty(), sentAt, ReceiptVerdicts.NONE);
  }

  /** The participant keys the engine would store for {@link #message}: From, To, Cc. */
  static java.util.Set<String> participants(EmailMessage m) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    out.add(m.from().normalized());
    m.to().forEach(a -> out.add(a.normalized()));
    m.cc().forEach(a -> out.add(a.normalized()));
    return out;
  }
}
