package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.OutboundAttachment;
import dev.mailcore.internal.outbound.MimeComposer;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MailTransport} must do, as a JUnit 5 suite: subclass it, return the
 * transport under test from {@link #transport()} and what each recipient received from
 * {@link #receivedBy(String)}. The testkit runs it against {@link RecordingTransport} and
 * {@code SmtpTransport} (on GreenMail); adapters run it against theirs.
 */
public abstract class MailTransportContract {

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

  private static TransportRequest request(String subject, String... recipients) {
    MessageId id = MimeComposer.newMessageId("sender.test");
    byte[] raw = new MimeComposer().compose(new MimeComposer.Draft(id,
        Instant.parse("2026-01-05T09:00:00Z"), EmailAddress.of("Sender", "app@sender.test"),
        List.of(EmailAddress.of("ann@one.test")), List.of(), List.of(), subject,
        Optional.of("Body of " + subject), Optional.empty(),
        List.of(OutboundAttachment.of("a.txt", "text/plain", "attached".getBytes(
            StandardCharsets.US_ASCII))), Map.of(), Optional.empty(), List.of()));
    return new TransportRequest(id, raw, "bounces@sender.test", List.of(recipients));
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
