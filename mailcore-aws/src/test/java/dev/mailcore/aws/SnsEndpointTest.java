package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailcore.StorageException;
import dev.mailcore.testkit.internal.SharedFixtures;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.messagemanager.sns.SnsMessageManager;
import software.amazon.awssdk.messagemanager.sns.internal.CertificateRetriever;
import software.amazon.awssdk.regions.Region;

/**
 * {@link SnsEndpoint} against an SNS host stand-in on loopback ({@link SnsLoopback}): messages
 * signed with a test key whose certificate the stand-in serves, and the real SNS messages in the
 * shared fixtures, verified at a fixed clock because their certificate expired on 2026-10-14.
 */
class SnsEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "arn:aws:sns:us-west-2:123456789012:mailcore-events";
  private static final String CERT_URL =
      "https://" + SnsLoopback.SNS_HOST + "/SimpleNotificationService-test.pem";

  @TempDir static Path keys;
  private static SnsLoopback.Signer signer;

  private SnsLoopback sns;
  private SdkHttpClient http;
  private final List<String> handled = new CopyOnWriteArrayList<>();
  private volatile SesNotificationOutcome nextOutcome = new SesNotificationOutcome.Accepted(
      "delivery", "test");
  private SnsEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    synchronized (SnsEndpointTest.class) {
      if (signer == null) {
        signer = SnsLoopback.signer(keys, "sns.amazonaws.com");
      }
    }
    sns = new SnsLoopback();
    sns.serve("/SimpleNotificationService-test.pem", signer.pem());
    http = sns.httpClient();
    endpoint = endpoint(b -> b);
  }

  @AfterEach
  void stop() {
    endpoint.close();
    http.close();
    sns.close();
  }

  private SnsEndpoint endpoint(Function<SnsEndpoint.Builder, SnsEndpoint.Builder> extra) {
    return extra.apply(SnsEndpoint.builder().handler(this::handle).allowTopic(TOPIC)
        .httpClient(http)).build();
  }

  private List<SesNotificationOutcome> handle(List<String> messages) {
    handled.addAll(messages);
    List<SesNotificationOutcome> out = new ArrayList<>();
    messages.forEach(m -> out.add(nextOutcome));
    return out;
  }

  private SnsEndpointResult post(SnsEndpoint e, ObjectNode json) throws Exception {
    return e.handle(Map.of("x-amz-sns-message-type", List.of(json.get("Type").asText())),
        JSON.writeValueAsBytes(json));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void signedNotification_isVerifiedAndHandedOn(int version) throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{\"eventType\":\"Delivery\"}", Instant.now(),
        CERT_URL, version);

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r).isInstanceOf(SnsEndpointResult.Processed.class);
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(handled).containsExactly("{\"eventType\":\"Delivery\"}");
    assertThat(sns.requests).extracting(URI::getPath)
        .containsExactly("/SimpleNotificationService-test.pem");
  }

  @Test
  void tamperedBody_isRejected() throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{\"eventType\":\"Delivery\"}", Instant.now(),
        CERT_URL, 2);
    n.put("Message", "{\"eventType\":\"Bounce\"}");

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r).isInstanceOf(SnsEndpointResult.Rejected.class);
    assertThat(r.httpStatus()).isEqualTo(403);
    assertThat(handled).isEmpty();
  }

  @Test
  void signatureByAnotherKey_isRejected() throws Exception {
    SnsLoopback.Signer other = SnsLoopback.signer(keys, "sns.amazonaws.com");
    ObjectNode n = other.notification(TOPIC, "{}", Instant.now(), CERT_URL, 2);

    assertThat(post(endpoint, n).httpStatus()).isEqualTo(403);
    assertThat(handled).isEmpty();
  }

  @Test
  void certificateForAnotherName_isRejected() throws Exception {
    SnsLoopback.Signer impostor = SnsLoopback.signer(keys, "attacker.example");
    sns.serve("/impostor.pem", impostor.pem());
    ObjectNode n = impostor.notification(TOPIC, "{}", Instant.now(),
        "https://" + SnsLoopback.SNS_HOST + "/impostor.pem", 2);

    assertThat(post(endpoint, n).httpStatus()).isEqualTo(403);
    assertThat(handled).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://my-bucket.s3.amazonaws.com/SimpleNotificationService-test.pem",
      "https://s3.us-west-2.amazonaws.com/bucket/SimpleNotificationService-test.pem",
      "http://sns.us-west-2.amazonaws.com/SimpleNotificationService-test.pem",
      "https://sns.us-west-2.amazonaws.com.attacker.example/SimpleNotificationService-test.pem",
      "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
      "https://attacker@sns.us-west-2.amazonaws.com/SimpleNotificationService-test.pem",
      "https://sns.us-west-2.amazonaws.com:8443/SimpleNotificationService-test.pem"})
  void certificateOffTheSnsHostOfTheTopicsRegion_isRefusedBeforeAnyFetch(String certUrl)
      throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now(), certUrl, 2);

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r.httpStatus()).isEqualTo(403);
    assertThat(((SnsEndpointResult.Rejected) r).reason()).contains("SigningCertURL");
    assertThat(sns.requests).isEmpty();
    assertThat(handled).isEmpty();
  }

  @Test
  void unknownTopic_isRefusedBeforeAnyFetch() throws Exception {
    ObjectNode n = signer.notification("arn:aws:sns:us-west-2:123456789012:someone-else", "{}",
        Instant.now(), CERT_URL, 2);

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r.httpStatus()).isEqualTo(403);
    assertThat(((SnsEndpointResult.Rejected) r).reason()).contains("not allowed");
    assertThat(sns.requests).isEmpty();
    assertThat(handled).isEmpty();
  }

  @Test
  void messageOlderThanMaxAge_isRejectedAsReplay() throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now().minus(Duration.ofMinutes(11)),
        CERT_URL, 2);
    SnsEndpoint strict = endpoint(b -> b.maxAge(Duration.ofMinutes(10)));

    SnsEndpointResult r = post(strict, n);
    strict.close();

    assertThat(r.httpStatus()).isEqualTo(403);
    assertThat(((SnsEndpointResult.Rejected) r).reason()).contains("older than maxAge");
    assertThat(handled).isEmpty();
  }

  @Test
  void sameMessageIdAgain_isAcknowledgedWithoutProcessingTwice() throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now(), CERT_URL, 2);

    assertThat(post(endpoint, n)).isInstanceOf(SnsEndpointResult.Processed.class);
    SnsEndpointResult again = post(endpoint, n);

    assertThat(again).isInstanceOf(SnsEndpointResult.Acknowledged.class);
    assertThat(again.httpStatus()).isEqualTo(200);
    assertThat(handled).hasSize(1);
  }

  @Test
  void retryOutcome_answers500_andTheRedeliveryIsProcessed() throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now(), CERT_URL, 2);
    nextOutcome = new SesNotificationOutcome.Retry(new StorageException("db down", true, null));

    assertThat(post(endpoint, n).httpStatus()).isEqualTo(500);
    nextOutcome = new SesNotificationOutcome.Accepted("delivery", "ok");
    assertThat(post(endpoint, n).httpStatus()).isEqualTo(200);

    assertThat(handled).hasSize(2);
  }

  @Test
  void processingThatThrows_answers500_andIsNotRemembered() throws Exception {
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now(), CERT_URL, 2);
    SnsEndpoint crashing = endpoint(b -> b.handler(m -> {
      handled.addAll(m);
      throw new IllegalStateException("database gone");
    }));

    SnsEndpointResult r = post(crashing, n);
    crashing.close();

    assertThat(r).isInstanceOf(SnsEndpointResult.Failed.class);
    assertThat(r.httpStatus()).isEqualTo(500);
    assertThat(post(endpoint, n)).isInstanceOf(SnsEndpointResult.Processed.class);
    assertThat(handled).hasSize(2);
  }

  @Test
  void malformedBodiesAndHeaderMismatch_areBadRequests() throws Exception {
    assertThat(endpoint.handle(Map.of(), "not json".getBytes(StandardCharsets.UTF_8))
        .httpStatus()).isEqualTo(400);
    assertThat(endpoint.handle(Map.of(), "{\"Type\":\"Notification\"}"
        .getBytes(StandardCharsets.UTF_8)).httpStatus()).isEqualTo(400);
    ObjectNode n = signer.notification(TOPIC, "{}", Instant.now(), CERT_URL, 2);
    assertThat(endpoint.handle(Map.of("X-Amz-Sns-Message-Type",
        List.of("SubscriptionConfirmation")), JSON.writeValueAsBytes(n)).httpStatus())
        .isEqualTo(400);
    assertThat(endpoint(b -> b.maxBodyBytes(100)).handle(Map.of(), JSON.writeValueAsBytes(n))
        .httpStatus()).isEqualTo(413);
    assertThat(handled).isEmpty();
  }

  @Test
  void subscriptionConfirmation_isConfirmedOnTheSnsHostOnlyAfterItsSignatureChecks()
      throws Exception {
    String subscribe = "https://" + SnsLoopback.SNS_HOST
        + "/?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=token123";
    ObjectNode n = signer.confirmation(TOPIC, subscribe, Instant.now(), CERT_URL);

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r).isInstanceOf(SnsEndpointResult.Acknowledged.class);
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(sns.requests).extracting(URI::getQuery).containsOnlyOnce(
        "Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=token123");
    assertThat(sns.requestedHosts).containsOnly(SnsLoopback.SNS_HOST);
    assertThat(handled).isEmpty();
  }

  @Test
  void tamperedSubscriptionConfirmation_isNotConfirmed() throws Exception {
    String subscribe = "https://" + SnsLoopback.SNS_HOST
        + "/?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=token123";
    ObjectNode n = signer.confirmation(TOPIC, subscribe, Instant.now(), CERT_URL);
    n.put("SubscribeURL", subscribe + "&extra=1");

    assertThat(post(endpoint, n).httpStatus()).isEqualTo(403);
    assertThat(sns.requests).extracting(URI::getPath)
        .containsOnly("/SimpleNotificationService-test.pem");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://attacker.example/?Action=ConfirmSubscription&TopicArn=" + TOPIC,
      "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TOPIC,
      "http://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TOPIC,
      "https://sns.us-west-2.amazonaws.com/?Action=Publish&TopicArn=" + TOPIC,
      "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
          + "arn:aws:sns:us-west-2:123456789012:other"})
  void signedConfirmationWhoseSubscribeUrlPointsElsewhere_isRefused(String subscribe)
      throws Exception {
    ObjectNode n = signer.confirmation(TOPIC, subscribe, Instant.now(), CERT_URL);

    SnsEndpointResult r = post(endpoint, n);

    assertThat(r.httpStatus()).isEqualTo(403);
    assertThat(((SnsEndpointResult.Rejected) r).reason()).contains("SubscribeURL");
    assertThat(sns.requests).extracting(URI::getPath)
        .containsOnly("/SimpleNotificationService-test.pem");
  }

  @Test
  void confirmationAnsweredWithAnError_isAFailureSnsRetries() throws Exception {
    sns.confirmStatus = 503;
    String subscribe = "https://" + SnsLoopback.SNS_HOST
        + "/?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=token123";

    SnsEndpointResult r = post(endpoint, signer.confirmation(TOPIC, subscribe, Instant.now(),
        CERT_URL));

    assertThat(r).isInstanceOf(SnsEndpointResult.Failed.class);
    assertThat(r.httpStatus()).isEqualTo(500);
  }

  // --- the real SNS messages from the shared fixtures -------------------------------------

  private static final Instant FIXTURE_NOW = Instant.parse("2026-03-07T00:00:00Z");
  private static final String FIXTURE_TOPIC =
      "arn:aws:sns:us-west-2:131990247566:dongie-standard-topic";
  private static final String FIXTURE_CERT = "SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";

  private static Path snsFixtures() {
    Optional<Path> dir = SharedFixtures.dir("sns");
    assumeTrue(dir.isPresent(), "no SNS fixtures at " + SharedFixtures.whereLooked());
    return dir.get();
  }

  /**
   * The SDK's message manager as production builds it, except that its certificate retriever
   * (the SDK's own class, through its test hook) judges the certificate's validity at
   * {@link #FIXTURE_NOW} instead of the wall clock.
   */
  private SnsMessageManager fixedClockManager(Region region, byte[] pem) {
    CertificateRetriever retriever = new CertificateRetriever(http, SnsLoopback.SNS_HOST,
        "sns.amazonaws.com") {
      @Override
      public PublicKey retrieveCertificate(URI url) {
        assertThat(url.getHost()).isEqualTo(SnsLoopback.SNS_HOST);
        try {
          X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
              .generateCertificate(new java.io.ByteArrayInputStream(pem));
          cert.checkValidity(Date.from(FIXTURE_NOW));
          assertThat(cert.getSubjectX500Principal().getName()).contains("CN=sns.amazonaws.com");
          return cert.getPublicKey();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
    try {
      SnsMessageManager.Builder b = SnsMessageManager.builder();
      Method hook = b.getClass().getDeclaredMethod("certificateRetriever",
          CertificateRetriever.class);
      hook.setAccessible(true);
      hook.invoke(b, retriever);
      return b.region(region).build();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private SnsEndpoint fixtureEndpoint(boolean fixedClockCertificate) throws Exception {
    byte[] pem = Files.readAllBytes(snsFixtures().resolve(FIXTURE_CERT));
    sns.serve("/" + FIXTURE_CERT, pem);
    return SnsEndpoint.builder().handler(this::handle).allowTopic(FIXTURE_TOPIC)
        .httpClient(http).clock(Clock.fixed(FIXTURE_NOW, ZoneOffset.UTC))
        .maxAge(Duration.ofHours(6)) // the messages were sent 4-5 hours before FIXTURE_NOW
        .messageManagers(fixedClockCertificate ? r -> fixedClockManager(r, pem)
            : r -> SnsMessageManager.builder().region(r).httpClient(http).build())
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"test-notification-no-subject.json",
      "test-notification-with-subject.json", "test-notification-signature-v2.json"})
  void realSnsNotifications_verify(String file) throws Exception {
    byte[] body = Files.readAllBytes(snsFixtures().resolve(file));
    try (SnsEndpoint e = fixtureEndpoint(true)) {
      SnsEndpointResult r = e.handle(Map.of(), body);

      assertThat(r).isInstanceOf(SnsEndpointResult.Processed.class);
      assertThat(handled).containsExactly(JSON.readTree(body).get("Message").asText());
    }
  }

  @Test
  void realSnsNotification_tampered_isRejected() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(
        snsFixtures().resolve("test-notification-signature-v2.json").toFile());
    n.put("Message", "This message uses signature version 3.");
    try (SnsEndpoint e = fixtureEndpoint(true)) {
      assertThat(post(e, n).httpStatus()).isEqualTo(403);
    }
    assertThat(handled).isEmpty();
  }

  @Test
  void realSubscriptionConfirmation_isConfirmedThroughTheSnsHost() throws Exception {
    byte[] body = Files.readAllBytes(snsFixtures().resolve("test-subscription-confirmation.json"));
    try (SnsEndpoint e = fixtureEndpoint(true)) {
      SnsEndpointResult r = e.handle(Map.of(), body);

      assertThat(r).isInstanceOf(SnsEndpointResult.Acknowledged.class);
    }
    assertThat(sns.requests).extracting(URI::getQuery)
        .anyMatch(q -> q != null && q.startsWith("Action=ConfirmSubscription&TopicArn="
            + FIXTURE_TOPIC + "&Token=2336412f"));
  }

  @Test
  void realUnsubscribeConfirmation_isAcknowledgedAndNothingElse() throws Exception {
    byte[] body = Files.readAllBytes(snsFixtures().resolve("test-unsubscribe-confirmation.json"));
    try (SnsEndpoint e = fixtureEndpoint(true)) {
      SnsEndpointResult r = e.handle(Map.of(), body);

      assertThat(r).isInstanceOf(SnsEndpointResult.Acknowledged.class);
    }
    assertThat(handled).isEmpty();
    assertThat(sns.requests).as("no Subscribe/ConfirmSubscription call").isEmpty();
  }

  @Test
  void realSnsNotification_withTheProductionCertificateCheck_isRefusedNowItsCertificateExpired()
      throws Exception {
    byte[] body = Files.readAllBytes(snsFixtures().resolve("test-notification-signature-v2.json"));
    try (SnsEndpoint e = fixtureEndpoint(false)) {
      SnsEndpointResult r = e.handle(Map.of(), body);

      assertThat(r.httpStatus()).isEqualTo(403);
      assertThat(((SnsEndpointResult.Rejected) r).reason()).contains("expired");
    }
    assertThat(handled).isEmpty();
  }
}
