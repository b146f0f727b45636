package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.testkit.MailCoreTestkit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SES inbound mail ({@code Received}) through {@link SesNotifications} into the in-memory
 * mailcore: the SNS action's inline content (BASE64, UTF8, no encoding) and the S3 action's
 * object read from S3Proxy on loopback, routed on the receipt's recipients, stored once.
 */
class SesNotificationsInboundTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static S3ProxyServer server;
  private static S3Client s3;

  private MailCoreTestkit kit;
  private MailCore mail;
  private Inbox inbound;
  private Inbox someoneElse;
  private SesNotifications ses;

  @BeforeAll
  static void startS3() {
    server = new S3ProxyServer();
    s3 = server.newClient();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
    server.close();
  }

  @BeforeEach
  void wire() {
    kit = MailCoreTestkit.inMemory();
    mail = kit.mail();
    inbound = kit.inbox("inbound@example.com");
    // named in the sample's To header but not in receipt.recipients: must receive nothing
    someoneElse = kit.inbox("someone-else@example.org");
    ses = SesNotifications.builder().mailCore(mail).s3(s3).build();
  }

  @AfterEach
  void close() {
    kit.close();
  }

  private List<EmailMessage> messages(Inbox inbox) {
    return mail.threads().list(inbox.id(), PageRequest.first()).items().stream()
        .flatMap(t -> mail.threads().messages(t.id(), PageRequest.first()).items().stream())
        .toList();
  }

  private String inboundSample(String name) {
    return SesFixtures.sharedText("ses-inbound", name);
  }

  @Test
  void snsActionUtf8_isReceivedForTheReceiptRecipientsOnly() {
    SesNotificationOutcome o = ses.process(inboundSample("anymail-received-sns-utf8.message.json"));

    assertThat(o).isInstanceOfSatisfying(SesNotificationOutcome.Accepted.class,
        a -> assertThat(a.kind()).isEqualTo("inbound"));
    List<EmailMessage> got = messages(inbound);
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.subject()).isEqualTo("Test inbound message");
      assertThat(m.messageId().value()).isEqualTo("CAEPk3RKsi@mail.example.org");
      assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("It's a body\u2026"));
    });
    assertThat(messages(someoneElse)).isEmpty();
  }

  @Test
  void snsActionBase64_decodesToTheSameMessage() {
    ses.process(inboundSample("anymail-received-sns-base64.message.json"));

    assertThat(messages(inbound)).singleElement().satisfies(m ->
        assertThat(m.subject()).isEqualTo("Test inbound message"));
    assertThat(messages(someoneElse)).isEmpty();
  }

  @Test
  void snsActionWithoutEncoding_isUtf8() {
    Inbox recipient = kit.inbox("recipient@example.com");

    assertThat(ses.process(inboundSample("received-sns-action-no-encoding-field.json")))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(messages(recipient)).singleElement().satisfies(m -> {
      assertThat(m.subject()).isEqualTo("Example subject");
      assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("Example content"));
    });
  }

  @Test
  void theSameNotificationTwice_storesTheMessageOnce() {
    String json = inboundSample("anymail-received-sns-utf8.message.json");

    ses.process(json);
    SesNotificationOutcome again = ses.process(json);

    assertThat(again.acknowledge()).isTrue();
    assertThat(messages(inbound)).hasSize(1);
  }

  @Test
  void s3Action_readsTheObjectFromS3() throws Exception {
    String bucket = "ses-inbound-prefix";
    server.createBuckets(bucket);
    ObjectNode n = (ObjectNode) JSON.readTree(
        inboundSample("anymail-received-s3-with-prefix.message.json"));
    ((ObjectNode) n.path("receipt").path("action")).put("bucketName", bucket);
    String key = n.path("receipt").path("action").path("objectKey").asText();
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(Files.readAllBytes(
        SesFixtures.shared("ses-inbound", "anymail-inbound-message.eml"))));

    SesNotificationOutcome o = ses.process(JSON.writeValueAsString(n));

    assertThat(o).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(messages(inbound)).singleElement().satisfies(m ->
        assertThat(m.subject()).isEqualTo("Test inbound message"));
    assertThat(messages(someoneElse)).isEmpty();
  }

  @Test
  void s3ObjectMissing_isIgnored() throws Exception {
    String bucket = "ses-inbound-missing";
    server.createBuckets(bucket);
    ObjectNode n = (ObjectNode) JSON.readTree(
        inboundSample("anymail-received-s3-with-prefix.message.json"));
    ((ObjectNode) n.path("receipt").path("action")).put("bucketName", bucket);

    SesNotificationOutcome o = ses.process(JSON.writeValueAsString(n));

    assertThat(o).isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
        i -> assertThat(i.reason()).contains("does not exist"));
    assertThat(messages(inbound)).isEmpty();
  }

  @Test
  void invalidJsonFromTheAwsDocs_isIgnored() {
    assertThat(ses.process(inboundSample("received-s3-action.doc-original-invalid-json.txt")))
        .isInstanceOf(SesNotificationOutcome.Ignored.class);
  }

  @Test
  void rawBytesOfTheUtf8Sample_areStoredAsSent() throws Exception {
    ses.process(inboundSample("anymail-received-sns-utf8.message.json"));

    EmailMessage m = messages(inbound).get(0);
    byte[] raw = mail.messages().raw(m.id()).readAllBytes();
    assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo(
        Files.readString(SesFixtures.shared("ses-inbound", "anymail-inbound-message.eml")));
  }
}
