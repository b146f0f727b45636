package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.testkit.MailCoreTestkit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SES notifications from SQS (ElasticMQ on loopback, real SDK client) through {@link SqsIntake}
 * and the real {@link SesNotifications} into a mailcore whose store the subclass chooses:
 * inbound mail stored once whatever SQS redelivers, poison messages in the DLQ.
 */
abstract class SqsIntakeEndToEnd {
  private static final AtomicInteger QUEUES = new AtomicInteger();
  private static ElasticMq mq;
  static SqsClient sqs;

  private MailCoreTestkit kit;
  private MailCore mail;
  private Inbox inbox;
  private SesNotifications ses;
  private final List<SqsIntake> intakes = new ArrayList<>();

  /** The testkit on the store under test (fresh and empty for each test). */
  abstract MailCoreTestkit newKit();

  @BeforeAll
  static void startSqs() {
    mq = new ElasticMq();
    sqs = mq.client();
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
    mq.close();
  }

  @BeforeEach
  void wire() {
    kit = newKit();
    mail = kit.mail();
    inbox = kit.inbox("inbound@example.com");
    ses = SesNotifications.builder().mailCore(mail).build();
  }

  @AfterEach
  void close() {
    intakes.forEach(SqsIntake::close);
    kit.close();
  }

  private String queue(Duration visibility) {
    return ElasticMq.queue(sqs, getClass().getSimpleName() + QUEUES.incrementAndGet(), visibility);
  }

  private SqsIntake.Builder intake(String queue) {
    return SqsIntake.builder().client(sqs).queueUrl(queue).waitTime(Duration.ofSeconds(1));
  }

  private SqsIntake started(SqsIntake i) {
    intakes.add(i);
    i.start();
    return i;
  }

  private void sendInbound(String queue, int n, boolean enveloped) {
    String json = SesInboundSamples.received(n, "inbound@example.com",
        SesInboundSamples.rawMail(n, "inbound@example.com", 2000));
    String body = enveloped ? SesInboundSamples.snsEnvelope(json, "sns-" + n) : json;
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
  }

  private List<EmailMessage> stored() {
    List<EmailMessage> all = new ArrayList<>();
    PageRequest page = PageRequest.first();
    while (true) {
      var threads = mail.threads().list(inbox.id(), page);
      threads.items().forEach(t -> all.addAll(
          mail.threads().messages(t.id(), PageRequest.first()).items()));
      if (threads.nextCursor().isEmpty()) {
        return all;
      }
      page = PageRequest.after(threads.nextCursor().get());
    }
  }

  @Test
  void inboundMail_rawAndEnveloped_isStoredAndDeleted() {
    String q = queue(Duration.ofSeconds(30));
    for (int n = 0; n < 25; n++) {
      sendInbound(q, n, n % 2 == 0);
    }

    started(intake(q).notifications(ses).build());

    await().atMost(Duration.ofSeconds(60)).until(() -> ElasticMq.count(sqs, q) == 0);
    assertThat(stored()).hasSize(25).allSatisfy(m -> assertThat(m.subject())
        .startsWith("Inbound "));
  }

  @Test
  void crashBetweenCommitAndDelete_redeliversAndStoresOnce() {
    String q = queue(Duration.ofSeconds(1));
    sendInbound(q, 1, false);
    AtomicInteger calls = new AtomicInteger();

    started(intake(q).handler(bodies -> {
      List<SesNotificationOutcome> out = ses.process(bodies);
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("host died after the receive committed");
      }
      return out;
    }).build());

    await().atMost(Duration.ofSeconds(60)).until(() -> ElasticMq.count(sqs, q) == 0);
    assertThat(calls.get()).isGreaterThanOrEqualTo(2);
    assertThat(stored()).singleElement().satisfies(m -> assertThat(m.messageId().value())
        .isEqualTo("inbound-1@example.org"));
  }

  @Test
  void twoConsumers_withSesDeliveringSomeNotificationsTwice_storeEachMessageOnce() {
    String q = queue(Duration.ofSeconds(30));
    for (int n = 0; n < 40; n++) {
      sendInbound(q, n, n % 3 == 0);
      if (n % 5 == 0) {
        sendInbound(q, n, n % 2 == 0); // at-least-once upstream: the same mail again
      }
    }

    started(intake(q).notifications(ses).build());
    started(intake(q).notifications(ses).workers(2).build());

    await().atMost(Duration.ofSeconds(90)).until(() -> ElasticMq.count(sqs, q) == 0);
    List<EmailMessage> got = stored();
    assertThat(got).hasSize(40);
    assertThat(got).extracting(m -> m.messageId().value()).doesNotHaveDuplicates();
  }

  @Test
  void poisonMessage_endsInTheDeadLetterQueue_otherMailIsStored() {
    String dlq = queue(Duration.ofSeconds(30));
    String q = ElasticMq.queueWithDlq(sqs, getClass().getSimpleName() + "-main"
        + QUEUES.incrementAndGet(), Duration.ofSeconds(1), dlq, 2);
    // an S3 action, but this SesNotifications has no S3 client: retried, never succeeds
    String poison = SesInboundSamples.receivedInS3(99, "inbound@example.com", "bucket", "k");
    sqs.sendMessage(b -> b.queueUrl(q).messageBody(poison));
    sendInbound(q, 1, true);

    started(intake(q).notifications(ses).build());

    await().atMost(Duration.ofSeconds(60)).until(() -> ElasticMq.count(sqs, dlq) == 1
        && ElasticMq.count(sqs, q) == 0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq)).messages()).extracting(Message::body)
        .containsExactly(poison);
    assertThat(stored()).hasSize(1);
  }

  @Test
  void close_withABatchInFlight_finishesIt() {
    String q = queue(Duration.ofSeconds(30));
    for (int n = 0; n < 10; n++) {
      sendInbound(q, n, false);
    }
    AtomicInteger inFlight = new AtomicInteger();
    SqsIntake i = started(intake(q).handler(bodies -> {
      inFlight.incrementAndGet();
      try {
        Thread.sleep(500); // still processing when close() is called
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ses.process(bodies);
    }).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() > 0);

    i.close();

    int left = ElasticMq.count(sqs, q);
    assertThat(stored()).hasSize(10 - left);
    assertThat(stored()).isNotEmpty();
  }
}
