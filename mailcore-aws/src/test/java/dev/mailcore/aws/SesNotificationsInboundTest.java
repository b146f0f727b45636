package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.Limits;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.testkit.MailCoreTestkit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
    return SesFixtures.messages(mail, inbox);
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
      assertThat(m.verdicts()).isEqualTo(new ReceiptVerdicts(Optional.of(Verdict.PASS),
          Optional.of(Verdict.PASS), Optional.of(Verdict.PASS), Optional.of(Verdict.PASS),
          Optional.of(Verdict.PASS)));
      assertThat(m.messageId().value()).isEqualTo("CAEPk3RKsi@mail.example.org");
      assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("It's a body\u2026"));
    });
    assertThat(messages(someoneElse)).isEmpty();
  }

  @Test
  void snsActionBase64_decodesToTheSameMessage() {
    ses.process(inboundSample("anymail-received-sns-base64.message.json"));

    assertThat(messages(inbound)).singleElement().satisfies(m -> {
      assertThat(m.subject()).isEqualTo("Test inbound message");
      assertThat(m.verdicts()).isEqualTo(ReceiptVerdicts.builder().spam(Verdict.FAIL).build());
    });
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
    String json = inS3("anymail-received-s3-with-prefix.message.json", "ses-inbound-prefix",
        n -> n);

    SesNotificationOutcome o = ses.process(json);

    assertThat(o).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(messages(inbound)).singleElement().satisfies(m -> {
      assertThat(m.subject()).isEqualTo("Test inbound message");
      assertThat(m.verdicts()).isEqualTo(ReceiptVerdicts.builder().spam(Verdict.GRAY).build());
    });
    assertThat(messages(someoneElse)).isEmpty();
  }

  /** An SES S3-action JSON with its bucket renamed to one S3 accepts, holding the .eml. */
  private String inS3(String sample, String bucket, JsonPath path) throws Exception {
    server.createBuckets(bucket);
    ObjectNode n = (ObjectNode) JSON.readTree(inboundSample(sample));
    ObjectNode root = path.of(n);
    ObjectNode action = (ObjectNode) root.path("receipt").path("action");
    action.put("bucketName", bucket);
    String key = action.path("objectKey").asText();
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(Files.readAllBytes(
        SesFixtures.shared("ses-inbound", "anymail-inbound-message.eml"))));
    return JSON.writeValueAsString(root);
  }

  private interface JsonPath {
    ObjectNode of(ObjectNode n);
  }

  @Test
  void s3Action_awsDocSample_storesItsVerdicts_dmarcNotChecked() throws Exception {
    Inbox recipient = kit.inbox("recipient@example.com");
    String json = inS3("received-s3-action.json", "ses-doc-sample", n -> n);

    assertThat(ses.process(json)).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(messages(recipient)).singleElement().satisfies(m -> assertThat(m.verdicts())
        .isEqualTo(ReceiptVerdicts.builder().spam(Verdict.PASS).virus(Verdict.PASS)
            .spf(Verdict.PASS).dkim(Verdict.PASS).build()));
  }

  @Test
  void lambdaRecord_sesObjectIsAReceivedNotification() throws Exception {
    Inbox recipient = kit.inbox("recipient@example.com");
    String json = inS3("lambda-go-ses-s3-event.lambda-records.json", "ses-lambda-sample",
        n -> (ObjectNode) n.path("Records").path(0).path("ses"));

    assertThat(ses.process(json)).isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(messages(recipient)).singleElement().satisfies(m -> assertThat(
        m.verdicts().dmarc()).contains(Verdict.PASS));
  }

  @Test
  void s3ActionWithoutRecipients_isIgnoredWithoutReadingS3() {
    assertThat(ses.process(inboundSample("anymail-received-s3-minimal.message.json")))
        .isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
            i -> assertThat(i.reason()).contains("receipt.recipients"));
  }

  private String withVirusVerdict(String status) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(
        inboundSample("anymail-received-sns-utf8.message.json"));
    ((ObjectNode) n.path("receipt").path("virusVerdict")).put("status", status);
    return JSON.writeValueAsString(n);
  }

  @Test
  void virusFail_isDroppedByDefault() throws Exception {
    assertThat(ses.process(withVirusVerdict("FAIL")))
        .isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
            i -> assertThat(i.reason()).contains("virus"));

    assertThat(messages(inbound)).isEmpty();
  }

  @Test
  void virusFail_withFlagPolicy_isStoredWithItsVerdict() throws Exception {
    SesNotifications flagging = SesNotifications.builder().mailCore(mail)
        .virusPolicy(SesNotifications.VirusPolicy.FLAG).build();

    assertThat(flagging.process(withVirusVerdict("FAIL")))
        .isInstanceOf(SesNotificationOutcome.Accepted.class);

    assertThat(messages(inbound)).singleElement().satisfies(
        m -> assertThat(m.verdicts().virus()).contains(Verdict.FAIL));
  }

  @Test
  void s3Unreachable_isLeftForRedelivery_thenReceived() throws Exception {
    String json = inS3("anymail-received-s3-with-prefix.message.json", "ses-outage", n -> n);
    server.stop();
    SesNotificationOutcome during;
    try (S3Client impatient = server.clientBuilder()
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build()) {
      during = SesNotifications.builder().mailCore(mail).s3(impatient).build().process(json);
    } finally {
      server.restart();
    }

    assertThat(during).isInstanceOfSatisfying(SesNotificationOutcome.Retry.class,
        r -> assertThat(r.cause().retryable()).isTrue());
    assertThat(during.acknowledge()).isFalse();
    assertThat(messages(inbound)).isEmpty();
    assertThat(ses.process(json)).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(messages(inbound)).hasSize(1);
  }

  @Test
  void s3AccessDenied_isLeftForRedelivery() throws Exception {
    String json = inS3("anymail-received-s3-with-prefix.message.json", "ses-denied", n -> n);
    try (S3Client wrongKey = server.clientBuilder().credentialsProvider(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(
            S3ProxyServer.ACCESS_KEY, "not-the-secret"))).build()) {
      SesNotificationOutcome o =
          SesNotifications.builder().mailCore(mail).s3(wrongKey).build().process(json);

      assertThat(o).isInstanceOf(SesNotificationOutcome.Retry.class);
    }
    assertThat(messages(inbound)).isEmpty();
  }

  @Test
  void s3ActionWithoutAnS3Client_isLeftForRedelivery() {
    SesNotifications noS3 = SesNotifications.builder().mailCore(mail).build();

    assertThat(noS3.process(inboundSample("anymail-received-s3-with-prefix.message.json")))
        .isInstanceOfSatisfying(SesNotificationOutcome.Retry.class,
            r -> assertThat(r.cause().getMessage()).contains("builder().s3("));
  }

  @Test
  void s3ObjectMissing_isIgnored() throws Exception {
    String json = inS3("anymail-received-s3-with-prefix.message.json", "ses-inbound-missing",
        n -> n);
    s3.deleteObject(r -> r.bucket("ses-inbound-missing")
        .key("inbound/fqef5sop459utgdf4o9lqbsv7jeo73pejig34301"));

    SesNotificationOutcome o = ses.process(json);

    assertThat(o).isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
        i -> assertThat(i.reason()).contains("does not exist"));
    assertThat(messages(inbound)).isEmpty();
  }

  @Test
  void contentThatIsNotBase64_isIgnored() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(
        inboundSample("anymail-received-sns-base64.message.json"));
    n.put("content", "not base64 at all: %%%");

    assertThat(ses.process(JSON.writeValueAsString(n)))
        .isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
            i -> assertThat(i.reason()).contains("base64"));
    assertThat(messages(inbound)).isEmpty();
  }

  @Test
  void s3ObjectOverTheSizeLimit_isIgnoredAndNothingStored() throws Exception {
    try (MailCoreTestkit small = MailCoreTestkit.builder()
        .limits(Limits.defaults().maxMessageBytes(1024)).build()) {
      Inbox smallInbox = small.inbox("inbound@example.com");
      String json = inS3("anymail-received-s3-with-prefix.message.json", "ses-too-large",
          n -> n);
      byte[] big = ("From: a@example.org\r\nTo: inbound@example.com\r\nSubject: big\r\n\r\n"
          + "x".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      s3.putObject(r -> r.bucket("ses-too-large")
          .key("inbound/fqef5sop459utgdf4o9lqbsv7jeo73pejig34301"), RequestBody.fromBytes(big));

      SesNotificationOutcome o = SesNotifications.builder().mailCore(small.mail()).s3(s3)
          .build().process(json);

      assertThat(o).isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
          i -> assertThat(i.reason()).contains("Limits.maxMessageBytes = 1024"));
      assertThat(SesFixtures.messages(small.mail(), smallInbox)).isEmpty();
    }
  }

  @Test
  void mixedBatch_inboundAndEvents_outcomesInInputOrder() {
    List<SesNotificationOutcome> outcomes = ses.process(List.of(
        inboundSample("anymail-received-sns-utf8.message.json"),
        SesFixtures.sharedText("ses-events", "open.json"),
        inboundSample("received-sns-action-no-encoding-field.json"),
        "{"));

    assertThat(outcomes).hasSize(4);
    assertThat(outcomes.get(0)).isInstanceOf(SesNotificationOutcome.Accepted.class);
    assertThat(outcomes.get(1)).isInstanceOf(SesNotificationOutcome.Ignored.class);
    assertThat(outcomes.get(2)).as("recipient@example.com has no inbox")
        .isInstanceOfSatisfying(SesNotificationOutcome.Ignored.class,
            i -> assertThat(i.reason()).contains("no inbox for [recipient@example.com]"));
    assertThat(outcomes.get(3)).isInstanceOf(SesNotificationOutcome.Ignored.class);
    assertThat(messages(inbound)).hasSize(1);
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
