package dev.mailcore.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailcore.DeliveryException;
import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.OutboundAttachment;
import dev.mailcore.internal.outbound.MimeComposer;
import dev.mailcore.smtp.SmtpTransport.StartTls;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpTransportTest {

  private static final MimeComposer COMPOSER = new MimeComposer();

  private static ServerSetup loopbackSmtp() {
    return new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
  }

  private static byte[] compose(MessageId id, String subject) {
    return COMPOSER.compose(new MimeComposer.Draft(id, Instant.parse("2025-06-03T11:05:30Z"),
        EmailAddress.of("Support Tëam", "support@example.com"),
        List.of(EmailAddress.of("Ann", "ann@customer.test")), List.of(), List.of(), subject,
        Optional.of("Hello Ann,\nyour order ships today."), Optional.of("<p>Hello Ann</p>"),
        List.of(OutboundAttachment.of("receipt.txt", "text/plain", "total: 10".getBytes(US_ASCII))),
        Map.of("X-Order", "1234"), Optional.empty(), List.of()));
  }

  private static TransportRequest request(MessageId id, byte[] raw, String... recipients) {
    return new TransportRequest(id, raw, "bounces@example.com", List.of(recipients));
  }

  private static SmtpTransport.Builder local(int port) {
    return SmtpTransport.builder().host("127.0.0.1").port(port).startTls(StartTls.DISABLED)
        .localHost("mailcore.test");
  }

  @Nested
  class AgainstGreenMail {

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(loopbackSmtp())
        .withPerMethodLifecycle(true);

    private SmtpTransport transport() {
      return local(greenMail.getSmtp().getPort()).build();
    }

    @Test
    void send_deliversTheBytesUnchangedWithOurMessageId() throws Exception {
      MessageId id = MimeComposer.newMessageId("example.com");
      byte[] raw = compose(id, "Grüße zur Bestellung");

      transport().send(request(id, raw, "ann@customer.test"));

      MimeMessage[] received = greenMail.getReceivedMessages();
      assertThat(received).hasSize(1);
      MimeMessage m = received[0];
      assertThat(m.getHeader("Message-ID", null)).isEqualTo(id.bracketed());
      assertThat(m.getSubject()).isEqualTo("Grüße zur Bestellung");
      assertThat(m.getHeader("Date", null)).isEqualTo("Tue, 3 Jun 2025 11:05:30 +0000");
      assertThat(m.getHeader("X-Order", null)).isEqualTo("1234");
      Multipart mixed = (Multipart) m.getContent();
      assertThat(mixed.getCount()).isEqualTo(2);
      Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
      assertThat((String) alternative.getBodyPart(0).getContent())
          .isEqualTo("Hello Ann,\r\nyour order ships today.");
      assertThat((String) alternative.getBodyPart(1).getContent()).isEqualTo("<p>Hello Ann</p>");
      assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("receipt.txt");
      // GreenMail prepends Return-Path and Received; everything after is byte-for-byte ours.
      String whole = GreenMailUtil.getWholeMessage(m);
      String sent = new String(raw, US_ASCII);
      assertThat(whole.replaceAll("\r\n$", "")).endsWith(sent.replaceAll("\r\n$", ""));
    }

    @Test
    void send_whenBccRecipient_deliversWithoutBccHeader() throws Exception {
      MessageId id = MimeComposer.newMessageId("example.com");
      byte[] raw = compose(id, "Hi");

      transport().send(request(id, raw, "ann@customer.test", "carol@hidden.test"));

      List<MimeMessage> forCarol = greenMail.findReceivedMessages(
          user -> user.getEmail().equals("carol@hidden.test"), m -> true).toList();
      assertThat(forCarol).hasSize(1);
      assertThat(forCarol.get(0).getHeader("Bcc")).isNull();
      assertThat(GreenMailUtil.getWholeMessage(forCarol.get(0)).split("\r\n\r\n", 2)[1])
          .doesNotContain("carol@hidden.test");
      assertThat(forCarol.get(0).getHeader("To", null)).isEqualTo("Ann <ann@customer.test>");
      assertThat(greenMail.findReceivedMessages(
          user -> user.getEmail().equals("ann@customer.test"), m -> true)).hasSize(1);
    }

    @Test
    void send_whenServerGivesNoQueueId_returnsMessageId() {
      MessageId id = MimeComposer.newMessageId("example.com");

      TransportResult result = transport().send(request(id, compose(id, "x"), "ann@customer.test"));

      assertThat(result).isEqualTo(TransportResult.of(id.value()));
    }

    @Test
    void send_whenCalledFromManyThreads_deliversEveryMessage() throws Exception {
      SmtpTransport transport = transport();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<TransportResult>> sends = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          MessageId id = MimeComposer.newMessageId("example.com");
          byte[] raw = compose(id, "message " + i);
          sends.add(() -> transport.send(request(id, raw, "ann@customer.test")));
        }
        for (Future<TransportResult> f : pool.invokeAll(sends)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(greenMail.getReceivedMessages()).hasSize(12);
    }
  }

  @Nested
  class WithAuthentication {

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(loopbackSmtp())
        .withConfiguration(GreenMailConfiguration.aConfig()
            .withUser("app@example.com", "app", "s3cret"))
        .withPerMethodLifecycle(true);

    @Test
    void send_whenCredentialsRight_delivers() {
      MessageId id = MimeComposer.newMessageId("example.com");

      local(greenMail.getSmtp().getPort()).credentials("app", "s3cret").build()
          .send(request(id, compose(id, "x"), "ann@customer.test"));

      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void send_whenPasswordWrong_throwsPermanentDeliveryExceptionWithoutThePassword() {
      MessageId id = MimeComposer.newMessageId("example.com");
      SmtpTransport transport = local(greenMail.getSmtp().getPort())
          .credentials("app", "wrong-password").build();

      assertThatThrownBy(() -> transport.send(request(id, compose(id, "x"), "ann@customer.test")))
          .isInstanceOfSatisfying(DeliveryException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.httpStatus()).isEqualTo(502);
            assertThat(e.getMessage()).contains("refused the credentials of user 'app'")
                .doesNotContain("wrong-password");
          });
      assertThat(greenMail.getReceivedMessages()).isEmpty();
      assertThat(transport.toString()).doesNotContain("wrong-password");
    }
  }

  @Nested
  class ServerReplies {

    @Test
    void send_whenRecipientGets4xx_throwsRetryableWithServerText() throws Exception {
      try (ScriptedSmtpServer server = new ScriptedSmtpServer()
          .rcptReply(r -> "450 4.2.1 Mailbox busy, try later")) {
        MessageId id = MimeComposer.newMessageId("example.com");

        assertThatThrownBy(() -> local(server.port()).build()
            .send(request(id, compose(id, "x"), "ann@customer.test")))
            .isInstanceOfSatisfying(DeliveryException.class, e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(502);
              assertThat(e.getMessage()).contains("450 4.2.1 Mailbox busy");
            });
        assertThat(server.messages).isEmpty();
      }
    }

    @Test
    void send_whenOneRecipientGets5xx_sendsNothingAndThrowsPermanent() throws Exception {
      try (ScriptedSmtpServer server = new ScriptedSmtpServer().rcptReply(
          r -> r.contains("nobody") ? "550 5.1.1 <nobody@customer.test>: user unknown"
              : "250 2.1.5 Ok")) {
        MessageId id = MimeComposer.newMessageId("example.com");

        assertThatThrownBy(() -> local(server.port()).build().send(
            request(id, compose(id, "x"), "ann@customer.test", "nobody@customer.test")))
            .isInstanceOfSatisfying(DeliveryException.class, e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).contains("550 5.1.1").contains("user unknown")
                  .contains("nobody@customer.test");
            });
        assertThat(server.messages).as("no DATA after a refused recipient").isEmpty();
      }
    }

    @Test
    void send_whenDataRefusedWith5xx_throwsPermanent() throws Exception {
      try (ScriptedSmtpServer server = new ScriptedSmtpServer()
          .dataEndReply("554 5.7.1 Message rejected as spam")) {
        MessageId id = MimeComposer.newMessageId("example.com");

        assertThatThrownBy(() -> local(server.port()).build()
            .send(request(id, compose(id, "x"), "ann@customer.test")))
            .isInstanceOfSatisfying(DeliveryException.class, e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).contains("554 5.7.1 Message rejected as spam");
            });
      }
    }

    @Test
    void send_whenServerNamesQueueId_returnsItAndUsesOurEnvelope() throws Exception {
      try (ScriptedSmtpServer server = new ScriptedSmtpServer()
          .dataEndReply("250 2.0.0 Ok: queued as 4Ld0Yq1Z2Hz9sQ")) {
        MessageId id = MimeComposer.newMessageId("example.com");

        TransportResult result = local(server.port()).build()
            .send(request(id, compose(id, "x"), "ann@customer.test", "carol@hidden.test"));

        assertThat(result).isEqualTo(TransportResult.of("4Ld0Yq1Z2Hz9sQ"));
        assertThat(server.commands).contains("EHLO mailcore.test")
            .anyMatch(c -> c.startsWith("MAIL FROM:<bounces@example.com>"))
            .anyMatch(c -> c.startsWith("RCPT TO:<ann@customer.test>"))
            .anyMatch(c -> c.startsWith("RCPT TO:<carol@hidden.test>"));
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0)).doesNotContainIgnoringCase("bcc:")
            .contains("Message-ID: " + id.bracketed());
      }
    }

    @Test
    void send_whenStartTlsRequiredButNotOffered_throwsPermanent() throws Exception {
      try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
        MessageId id = MimeComposer.newMessageId("example.com");
        SmtpTransport transport = local(server.port()).startTls(StartTls.REQUIRED).build();

        assertThatThrownBy(() -> transport.send(request(id, compose(id, "x"), "a@customer.test")))
            .isInstanceOfSatisfying(DeliveryException.class,
                e -> assertThat(e.retryable()).isFalse())
            .hasMessageContaining("STARTTLS");
        assertThat(server.messages).isEmpty();
      }
    }
  }

  @Nested
  class ConnectionFailures {

    @Test
    void send_whenNothingListens_throwsRetryableProviderError() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      MessageId id = MimeComposer.newMessageId("example.com");
      SmtpTransport transport = local(port).connectTimeout(Duration.ofSeconds(2)).build();

      assertThatThrownBy(() -> transport.send(request(id, compose(id, "x"), "a@customer.test")))
          .isInstanceOfSatisfying(DeliveryException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.httpStatus()).isEqualTo(502);
            assertThat(e.getMessage()).contains("cannot connect to SMTP server 127.0.0.1:" + port);
          });
    }

    @Test
    void send_whenServerNeverGreets_timesOutWithConfiguredReadTimeout() throws IOException {
      // The kernel completes the TCP handshake from the backlog; nobody ever writes a greeting.
      try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        MessageId id = MimeComposer.newMessageId("example.com");
        SmtpTransport transport = local(silent.getLocalPort())
            .readTimeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> transport.send(request(id, compose(id, "x"), "a@customer.test")))
            .isInstanceOfSatisfying(DeliveryException.class, e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("did not answer in time")
                  .contains("read timeout PT0.3S");
            });
      }
    }
  }

  @Nested
  class Builder {

    @Test
    void build_whenHostMissing_failsNamingIt() {
      assertThatThrownBy(() -> SmtpTransport.builder().build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("host is required");
    }

    @Test
    void host_whenBlank_fails() {
      assertThatThrownBy(() -> SmtpTransport.builder().host(" "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void port_whenOutOfRange_failsWithTheValue() {
      assertThatThrownBy(() -> SmtpTransport.builder().port(0))
          .hasMessage("port must be between 1 and 65535, got 0");
      assertThatThrownBy(() -> SmtpTransport.builder().port(70000))
          .hasMessageContaining("got 70000");
    }

    @Test
    void timeouts_whenZeroOrNegative_failNamingTheSetting() {
      assertThatThrownBy(() -> SmtpTransport.builder().connectTimeout(Duration.ZERO))
          .hasMessageContaining("connectTimeout must be at least 1 ms");
      assertThatThrownBy(() -> SmtpTransport.builder().readTimeout(Duration.ofSeconds(-1)))
          .hasMessageContaining("readTimeout");
      assertThatThrownBy(() -> SmtpTransport.builder().writeTimeout(Duration.ofDays(30)))
          .hasMessageContaining("writeTimeout must be at most");
    }

    @Test
    void credentials_whenUserBlank_fails() {
      assertThatThrownBy(() -> SmtpTransport.builder().credentials("", "x"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_namesServerButNeverPassword() {
      SmtpTransport t = SmtpTransport.builder().host("smtp.example.com").port(2525)
          .credentials("app", "hunter2").build();

      assertThat(t.toString()).isEqualTo(
          "SmtpTransport[smtp.example.com:2525, user=app, startTls=REQUIRED]");
    }
  }

  @Nested
  class QueueIds {

    @Test
    void queueId_readsCommonServerReplies() {
      assertThat(SmtpTransport.queueId("250 2.0.0 Ok: queued as 4Ld0Yq1Z2Hz9sQ"))
          .contains("4Ld0Yq1Z2Hz9sQ");
      assertThat(SmtpTransport.queueId("250 OK id=1tXyZa-0001Ab-C2")).contains("1tXyZa-0001Ab-C2");
      assertThat(SmtpTransport.queueId("250 2.0.0 5BF8k3qW012345 Message accepted for delivery"))
          .contains("5BF8k3qW012345");
      assertThat(SmtpTransport.queueId(
          "250 Ok 0102018f2d6c9e1b-8d1b7c1a-6a2e-4a5c-9b1e-4f2d3c1b0a99-000000"))
          .contains("0102018f2d6c9e1b-8d1b7c1a-6a2e-4a5c-9b1e-4f2d3c1b0a99-000000");
    }

    @Test
    void queueId_whenReplyNamesNone_isEmpty() {
      assertThat(SmtpTransport.queueId("250 OK")).isEmpty();
      assertThat(SmtpTransport.queueId("250 2.0.0 OK")).isEmpty();
      assertThat(SmtpTransport.queueId(null)).isEmpty();
    }
  }
}
