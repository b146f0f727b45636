package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DeliveryException;
import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.internal.outbound.MimeComposer;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sesv2.SesV2Client;

class SesTransportTest {

  @RegisterExtension
  final SesStandIn ses = new SesStandIn();

  private SesV2Client client;

  @AfterEach
  void noProblems() {
    if (client != null) {
      client.close();
    }
    assertThat(ses.problems()).isEmpty();
  }

  private SesTransport.Builder transport(String region) {
    client = ses.client(region);
    return SesTransport.builder().client(client);
  }

  private static TransportRequest request(String... recipients) {
    MessageId id = MimeComposer.newMessageId("acme.test");
    byte[] raw = new MimeComposer().compose(new MimeComposer.Draft(id,
        Instant.parse("2026-01-05T09:00:00Z"), EmailAddress.of("Acme", "support@acme.test"),
        List.of(EmailAddress.of("ann@one.test")), List.of(EmailAddress.of("cat@two.test")),
        List.of(), "Hello", Optional.of("Body"), Optional.empty(), List.of(), Map.of(),
        Optional.empty(), List.of()));
    return new TransportRequest(id, raw, "bounces@mail.acme.test", List.of(recipients));
  }

  @Test
  void send_postsTheRawBytesWithEnvelopeConfigurationSetAndTags() {
    TransportRequest r = request("ann@one.test", "cat@two.test", "hidden@three.test");

    TransportResult result = transport("eu-west-1").configurationSet("mailcore-events")
        .tag("app", "support").tag("tenant", "org_1").build().send(r);

    assertThat(ses.calls()).containsExactly("POST /v2/email/outbound-emails");
    SesStandIn.Send sent = ses.sends().get(0);
    assertThat(sent.raw()).isEqualTo(r.rawMime());
    assertThat(new String(sent.raw(), StandardCharsets.UTF_8))
        .doesNotContain("hidden@three.test").doesNotContainPattern("(?im)^bcc:");
    assertThat(sent.body().path("FromEmailAddress").asText()).isEqualTo("bounces@mail.acme.test");
    assertThat(sent.destination("ToAddresses")).containsExactly("ann@one.test");
    assertThat(sent.destination("CcAddresses")).containsExactly("cat@two.test");
    assertThat(sent.destination("BccAddresses")).containsExactly("hidden@three.test");
    assertThat(sent.body().path("ConfigurationSetName").asText()).isEqualTo("mailcore-events");
    assertThat(sent.body().path("EmailTags").toString())
        .isEqualTo("[{\"Name\":\"app\",\"Value\":\"support\"},{\"Name\":\"tenant\",\"Value\":\"org_1\"}]");
    assertThat(result.providerId()).isEqualTo(sent.messageId());
  }

  @Test
  void send_withoutConfigurationSetOrTags_leavesThemOut() {
    transport("eu-west-1").build().send(request("ann@one.test"));

    assertThat(ses.sends().get(0).body().has("ConfigurationSetName")).isFalse();
    assertThat(ses.sends().get(0).body().has("EmailTags")).isFalse();
  }

  @Test
  void send_reportsTheMessageIdSesGaveTheMessageInItsRegion() {
    TransportResult eu = transport("eu-west-1").build().send(request("ann@one.test"));
    client.close();
    TransportResult us = transport("us-east-1").build().send(request("ann@one.test"));

    assertThat(eu.deliveredMessageId()).contains(
        new MessageId(eu.providerId() + "@eu-west-1.amazonses.com"));
    assertThat(us.deliveredMessageId()).contains(
        new MessageId(us.providerId() + "@email.amazonses.com"));
  }

  @ParameterizedTest
  @CsvSource({
      "429, TooManyRequestsException, Maximum sending rate exceeded.",
      "400, LimitExceededException, Daily message quota exceeded.",
      "500, InternalFailure, We encountered an internal error. Please try again.",
      "503, ServiceUnavailable, Service is unavailable. Please try again later."})
  void send_whenSesThrottlesOrFails_isRetryableAndNamesTheCode(int status, String code,
      String text) {
    ses.failNext(status, code, text);
    SesTransport t = transport("eu-west-1").build();

    assertThatThrownBy(() -> t.send(request("ann@one.test")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.httpStatus()).isEqualTo(502);
        })
        .hasMessageContaining(code).hasMessageContaining("HTTP " + status)
        .hasMessageContaining(text).hasMessageContaining("may succeed later");
    assertThat(t.send(request("ann@one.test")).providerId()).isNotBlank();
  }

  @ParameterizedTest
  @CsvSource({
      "400, MessageRejected, Email address is not verified. The following identities failed the check in region EU-WEST-1: bounces@mail.acme.test, sending it again will not help",
      "400, MailFromDomainNotVerifiedException, The MAIL FROM domain is not verified., clear the domain's bounce address",
      "400, AccountSuspendedException, Your account has been suspended., contact AWS Support",
      "400, SendingPausedException, Sending is paused for this account., resume it in SES",
      "404, NotFoundException, Configuration set <events> does not exist., configurationSet",
      "400, BadRequestException, Missing required field, refused the request as invalid"})
  void send_whenSesRefuses_isPermanentWithTheCodeAndText(int status, String code, String text,
      String hint) {
    ses.failNext(status, code, text);
    SesTransport t = transport("eu-west-1").build();

    assertThatThrownBy(() -> t.send(request("ann@one.test")))
        .isInstanceOfSatisfying(DeliveryException.class,
            e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining(code).hasMessageContaining(text).hasMessageContaining(hint);
  }

  @Test
  void send_whenSesDoesNotAnswerInTime_isRetryable() {
    ses.hang();
    try (SesTransport t = SesTransport.builder().region("eu-west-1").endpoint(ses.endpoint())
        .credentials(SesStandIn.credentials()).timeout(Duration.ofMillis(800)).build()) {

      assertThatThrownBy(() -> t.send(request("ann@one.test")))
          .isInstanceOfSatisfying(DeliveryException.class,
              e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("may succeed later");
    } finally {
      ses.release();
    }
  }

  @Test
  void send_whenNothingListens_isRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (SesTransport t = SesTransport.builder().region("eu-west-1")
        .endpoint(URI.create("http://127.0.0.1:" + port)).credentials(SesStandIn.credentials())
        .timeout(Duration.ofSeconds(5)).build()) {

      assertThatThrownBy(() -> t.send(request("ann@one.test")))
          .isInstanceOfSatisfying(DeliveryException.class,
              e -> assertThat(e.retryable()).isTrue());
    }
  }

  @Test
  void close_leavesTheHostsClientOpen() {
    SesTransport t = transport("eu-west-1").build();

    t.close();
    t.close();

    assertThatThrownBy(() -> t.send(request("ann@one.test")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(SesTransport.builder().client(client).build().send(request("ann@one.test"))
        .providerId()).as("the host's client still works").isNotBlank();
  }

  @Test
  void build_withoutClientOrRegion_saysWhatToSet() {
    assertThatThrownBy(() -> SesTransport.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client(sesV2Client)")
        .hasMessageContaining("region(");
    assertThatThrownBy(() -> SesTransport.builder().client(ses.client("eu-west-1"))
        .region("eu-west-1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be combined");
    assertThatThrownBy(() -> SesTransport.builder().tag("bad tag", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad tag'");
  }
}
