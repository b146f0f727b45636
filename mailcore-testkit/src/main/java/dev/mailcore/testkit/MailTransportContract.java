package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.MessageId;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.mailcore.spi.TransportResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MailTransport} must do, as a JUnit 5 suite: subclass it, return the
 * transport under test from {@link #transport()} and what each recipient received from
 * {@link #receivedBy(String)}. The testkit runs it against {@link RecordingTransport} and
 * {@code dev.mailcore.smtp.SmtpTransport} (on GreenMail); adapters run it against theirs.
 */
public abstract class MailTransportContract {

  /** For subclasses. */
  protected MailTransportContract() {}

  /**
   * The transport under test; the same instance for the whole test method.
   *
   * @return the transport
   */
  protected abstract MailTransport transport();

  /**
   * The raw bytes of each message the recipient has received so far, oldest first.
   *
   * @param recipient a normalized address
   * @return the messages as delivered (a receiving server may prepend trace headers; a provider
   *     that reports a delivered Message-ID has put it in place of mailcore's)
   */
  protected abstract List<byte[]> receivedBy(String recipient);

  /**
   * A request for a two-part message (text and a small attachment) built with jakarta.mail, as
   * any sender's bytes would arrive: the contract is about moving bytes, not composing them.
   */
  private static TransportRequest request(String subject, String... recipients) {
    MessageId id = new MessageId(UUID.randomUUID() + "@sender.test");
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
        @Override
        protected void updateMessageID() throws MessagingException {
          setHeader("Message-ID", id.bracketed());
        }
      };
      m.setFrom(new InternetAddress("app@sender.test", "Sender", "UTF-8"));
      m.setRecipients(Message.RecipientType.TO, "ann@one.test");
      m.setSubject(subject, "UTF-8");
      m.setSentDate(Date.from(Instant.parse("2026-01-05T09:00:00Z")));
      MimeBodyPart body = new MimeBodyPart();
      body.setText("Body of " + subject, "UTF-8");
      MimeBodyPart attachment = new MimeBodyPart();
      attachment.setContent("attached", "text/plain; charset=us-ascii");
      attachment.setFileName("a.txt");
      m.setContent(new MimeMultipart(body, attachment));
      m.saveChanges();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      m.writeTo(raw);
      return new TransportRequest(id, raw.toByteArray(), "bounces@sender.test",
          List.of(recipients));
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("could not build the contract's test message", e);
    }
  }

  private static String text(byte[] raw) {
    return new String(raw, StandardCharsets.UTF_8);
  }

  @Test
  void send_returnsNonBlankProviderId() {
    TransportResult result = transport().send(request("contract 1", "ann@one.test"));

    assertThat(result.providerId()).isNotBlank();
  }

  /**
   * Recipients get the bytes as built, except that a provider which reports a delivered
   * Message-ID has put that one in place of mailcore's.
   */
  @Test
  void send_deliversTheMessageToEveryEnvelopeRecipientWithoutBcc() {
    TransportRequest r = request("contract 2", "ann@one.test", "hidden@two.test");

    TransportResult result = transport().send(r);

    MessageId seen = result.deliveredMessageId().orElse(r.messageId());
    String expected = text(r.rawMime()).replace(r.messageId().bracketed(), seen.bracketed());
    for (String rcpt : List.of("ann@one.test", "hidden@two.test")) {
      List<byte[]> got = receivedBy(rcpt);
      assertThat(got).as("messages for %s", rcpt).hasSize(1);
      String received = text(got.get(0));
      assertThat(received).contains("Message-ID: " + seen.bracketed())
          .contains("Subject: contract 2")
          .doesNotContainPattern("(?im)^bcc:");
      assertThat(received.replaceAll("\r\n$", ""))
          .endsWith(expected.replaceAll("\r\n$", ""));
    }
  }

  @Test
  void send_givesEachMessageItsOwnProviderId() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ids.add(transport().send(request("contract 3." + i, "ann@one.test")).providerId());
    }
    assertThat(ids).hasSize(3);
  }

  @Test
  void send_whenCalledConcurrently_deliversEveryMessage() throws Exception {
    MailTransport t = transport();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<TransportResult>> sends = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TransportRequest r = request("contract 4." + i, "ann@one.test");
        sends.add(() -> t.send(r));
      }
      for (Future<TransportResult> f : pool.invokeAll(sends)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(receivedBy("ann@one.test")).hasSize(8);
  }
}
