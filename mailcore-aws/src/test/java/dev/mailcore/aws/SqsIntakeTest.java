package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The queue mechanics of {@link SqsIntake} with the real SDK SQS client against ElasticMQ on
 * loopback, the SES processing replaced by handlers that record, fail or block.
 */
class SqsIntakeTest {
  private static ElasticMq mq;
  private static SqsClient sqs;
  private static final AtomicInteger QUEUES = new AtomicInteger();

  private String queue;
  private final List<SqsIntake> intakes = new ArrayList<>();
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void server() {
    mq = new ElasticMq();
    sqs = mq.client();
  }

  @AfterAll
  static void stopServer() {
    sqs.close();
    mq.close();
  }

  @BeforeEach
  void freshQueue() {
    queue = ElasticMq.queue(sqs, "q" + QUEUES.incrementAndGet(), Duration.ofSeconds(30));
  }

  @AfterEach
  void closeIntakes() {
    intakes.forEach(SqsIntake::close);
  }

  private SqsIntake intake(String url,
      Function<List<String>, List<SesNotificationOutcome>> handler) {
    SqsIntake i = SqsIntake.builder().client(sqs).queueUrl(url).handler(handler)
        .waitTime(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(30)).build();
    intakes.add(i);
    return i;
  }

  private List<SesNotificationOutcome> accept(List<String> bodies) {
    handled.addAll(bodies);
    List<SesNotificationOutcome> out = new ArrayList<>();
    bodies.forEach(b -> out.add(new SesNotificationOutcome.Accepted("test", b)));
    return out;
  }

  private void send(String url, String body) {
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
  }

  private static String envelope(String sesJson) {
    return "{\"Type\":\"Notification\",\"MessageId\":\"m1\",\"TopicArn\":"
        + "\"arn:aws:sns:eu-west-1:123456789012:ses\",\"Message\":"
        + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(sesJson) + "}";
  }

  @Test
  void rawAndEnvelopedBodies_bothReachTheHandlerAsSesJson_andAreDeleted() {
    send(queue, "{\"eventType\":\"Delivery\",\"n\":1}");
    send(queue, envelope("{\"eventType\":\"Delivery\",\"n\":2}"));

    SqsIntake i = intake(queue, this::accept);
    int received = 0;
    for (int k = 0; k < 5 && received < 2; k++) {
      received += i.pollOnce();
    }

    assertThat(handled).containsExactlyInAnyOrder("{\"eventType\":\"Delivery\",\"n\":1}",
        "{\"eventType\":\"Delivery\",\"n\":2}");
    assertThat(ElasticMq.count(sqs, queue)).isZero();
  }

  @Test
  void batchesHoldAtMostTen() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    for (int n = 0; n < 25; n++) {
      send(queue, "{\"n\":" + n + "}");
    }
    SqsIntake i = intake(queue, bodies -> {
      sizes.add(bodies.size());
      return accept(bodies);
    });
    while (handled.size() < 25) {
      i.pollOnce();
    }
    assertThat(sizes).allMatch(s -> s <= 10);
    assertThat(ElasticMq.count(sqs, queue)).isZero();
  }

  @Test
  void batchSize_gathersABacklogIntoOneBatch_andDeletesEveryMessage() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    for (int n = 0; n < 35; n++) {
      send(queue, "{\"n\":" + n + "}");
    }
    SqsIntake i = SqsIntake.builder().client(sqs).queueUrl(queue).handler(bodies -> {
      sizes.add(bodies.size());
      return accept(bodies);
    }).batchSize(20).waitTime(Duration.ofSeconds(1)).build();
    intakes.add(i);

    assertThat(i.pollOnce()).isEqualTo(20); // two full receives
    assertThat(i.pollOnce()).isEqualTo(15); // a full receive, then a short one ends the batch

    assertThat(sizes).containsExactly(20, 15);
    assertThat(handled).hasSize(35).doesNotHaveDuplicates();
    // deleted ten per call, not merely hidden until their visibility timeout
    assertThat(ElasticMq.count(sqs, queue)).isZero();
  }

  @Test
  void batchSize_aQuietQueueIsProcessedAfterItsFirstReceive() {
    send(queue, "{\"alone\":1}");
    List<Long> receives = new CopyOnWriteArrayList<>();
    try (SqsClient counting = mq.client(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context,
          ExecutionAttributes attributes) {
        if (context.request() instanceof ReceiveMessageRequest) {
          receives.add(System.nanoTime());
        }
      }
    })) {
      SqsIntake i = SqsIntake.builder().client(counting).queueUrl(queue).handler(this::accept)
          .batchSize(100).waitTime(Duration.ofSeconds(1)).build();
      assertThat(i.pollOnce()).isEqualTo(1);
    }
    assertThat(receives).hasSize(1); // a short receive ends the gathering at once
    assertThat(handled).containsExactly("{\"alone\":1}");
  }

  @Test
  void batchSize_aFailingFollowUpReceive_processesWhatWasGathered_andLosesNothing() {
    for (int n = 0; n < 15; n++) {
      send(queue, "{\"n\":" + n + "}");
    }
    AtomicInteger receives = new AtomicInteger();
    try (SqsClient failing = mq.client(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context,
          ExecutionAttributes attributes) {
        if (context.request() instanceof ReceiveMessageRequest
            && receives.incrementAndGet() == 2) {
          throw SdkClientException.create("injected: SQS unreachable");
        }
      }
    })) {
      SqsIntake i = SqsIntake.builder().client(failing).queueUrl(queue).handler(this::accept)
          .batchSize(20).waitTime(Duration.ofSeconds(1)).build();
      assertThat(i.pollOnce()).isEqualTo(10); // the first receive's messages, processed
      assertThat(ElasticMq.count(sqs, queue)).isEqualTo(5);
      assertThat(i.pollOnce()).isEqualTo(5);
    }
    assertThat(handled).hasSize(15).doesNotHaveDuplicates();
    assertThat(ElasticMq.count(sqs, queue)).isZero();
  }

  @Test
  void batchSize_outOfRange_namesTheSetting() {
    for (int bad : new int[] {0, 101}) {
      assertThatThrownBy(() -> SqsIntake.builder().batchSize(bad))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("batchSize(" + bad + "): must be 1 to 100");
    }
  }

  @Test
  void onlyAcknowledgedMessagesAreDeleted_retriesStayQueued() {
    send(queue, "{\"ok\":1}");
    send(queue, "{\"fail\":1}");
    send(queue, "{\"ignore\":1}");
    SqsIntake i = intake(queue, bodies -> {
      handled.addAll(bodies);
      List<SesNotificationOutcome> out = new ArrayList<>();
      for (String b : bodies) {
        out.add(b.contains("fail")
            ? new SesNotificationOutcome.Retry(new StorageException("db down", true, null))
            : b.contains("ignore") ? new SesNotificationOutcome.Ignored("unknown type")
            : new SesNotificationOutcome.Accepted("test", b));
      }
      return out;
    });
    while (handled.size() < 3) {
      i.pollOnce();
    }

    assertThat(ElasticMq.count(sqs, queue)).isEqualTo(1);
    List<Message> left = sqs.receiveMessage(b -> b.queueUrl(queue).visibilityTimeout(0)
        .waitTimeSeconds(0)).messages();
    assertThat(left).isEmpty(); // still invisible: redelivered once its visibility timeout ends
  }

  @Test
  void crashAfterCommitBeforeDelete_isDeliveredAgain() {
    String shortQueue = ElasticMq.queue(sqs, "crash" + QUEUES.incrementAndGet(),
        Duration.ofSeconds(1));
    send(shortQueue, "{\"inbound\":1}");
    AtomicInteger calls = new AtomicInteger();
    SqsIntake i = intake(shortQueue, bodies -> {
      List<SesNotificationOutcome> committed = accept(bodies);
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("process died after its transaction committed");
      }
      return committed;
    });
    i.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> ElasticMq.count(sqs, shortQueue) == 0);
    assertThat(handled).containsExactly("{\"inbound\":1}", "{\"inbound\":1}");
  }

  @Test
  void poisonMessage_movesToTheDeadLetterQueue() {
    String dlq = ElasticMq.queue(sqs, "dlq" + QUEUES.incrementAndGet(), Duration.ofSeconds(30));
    String main = ElasticMq.queueWithDlq(sqs, "main" + QUEUES.incrementAndGet(),
        Duration.ofSeconds(1), dlq, 2);
    send(main, "{\"poison\":1}");
    send(main, "{\"fine\":1}");
    SqsIntake i = intake(main, bodies -> {
      handled.addAll(bodies);
      List<SesNotificationOutcome> out = new ArrayList<>();
      for (String b : bodies) {
        out.add(b.contains("poison")
            ? new SesNotificationOutcome.Retry(new StorageException("cannot", true, null))
            : new SesNotificationOutcome.Accepted("test", b));
      }
      return out;
    });
    i.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> ElasticMq.count(sqs, dlq) == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> ElasticMq.count(sqs, main) == 0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq)).messages()).extracting(Message::body)
        .containsExactly("{\"poison\":1}");
    assertThat(handled).filteredOn(b -> b.contains("poison")).hasSize(2);
    assertThat(handled).filteredOn(b -> b.contains("fine")).hasSize(1);
  }

  @Test
  void twoConsumersOnOneQueue_shareTheWorkAndLoseNothing() {
    Set<String> sent = new HashSet<>();
    for (int n = 0; n < 60; n++) {
      String body = "{\"n\":" + n + "}";
      sent.add(body);
      send(queue, body);
    }
    Set<String> byFirst = ConcurrentHashMap.newKeySet();
    Set<String> bySecond = ConcurrentHashMap.newKeySet();
    intake(queue, bodies -> {
      byFirst.addAll(bodies);
      return accept(bodies);
    }).start();
    intake(queue, bodies -> {
      bySecond.addAll(bodies);
      return accept(bodies);
    }).start();

    await().atMost(Duration.ofSeconds(60)).until(() -> ElasticMq.count(sqs, queue) == 0);
    assertThat(new HashSet<>(handled)).isEqualTo(sent);
    assertThat(handled).hasSize(60); // visibility 30 s: nobody received a message twice
  }

  /** An intake whose handler signals {@code inHandler}, then waits for {@code release}. */
  private SqsIntake heldIntake(CountDownLatch inHandler, CountDownLatch release) {
    return intake(queue, bodies -> {
      inHandler.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return accept(bodies);
    });
  }

  @Test
  void close_letsTheInFlightBatchFinishAndDeleteIt() throws Exception {
    send(queue, "{\"slow\":1}");
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SqsIntake i = heldIntake(inHandler, release);
    i.start();
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(i::close);
    assertThat(closing).isNotDone(); // close waits for the batch in flight
    release.countDown();
    closing.get(30, TimeUnit.SECONDS);

    assertThat(handled).containsExactly("{\"slow\":1}");
    assertThat(ElasticMq.count(sqs, queue)).isZero();
  }

  @Test
  void close_handsAPrefetchedBatchBackUndeleted_forImmediateRedelivery() throws Exception {
    send(queue, "{\"first\":1}");
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SqsIntake i = heldIntake(inHandler, release);
    i.start();
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    send(queue, "{\"prefetched\":1}");
    // the worker receives the next batch while the first is still being processed
    await().atMost(Duration.ofSeconds(30)).until(() -> notVisible(queue) == 2);

    Thread closing = new Thread(i::close);
    closing.start();
    // close() has signalled the stop once it waits for the worker
    await().atMost(Duration.ofSeconds(30))
        .until(() -> closing.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    closing.join(30_000);

    assertThat(closing.isAlive()).isFalse();
    assertThat(handled).containsExactly("{\"first\":1}"); // in flight: processed and deleted
    assertThat(ElasticMq.count(sqs, queue)).isEqualTo(1);
    // prefetched, never processed: not deleted, and visible again at once (visibility 30 s)
    assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0)).messages())
        .extracting(Message::body).containsExactly("{\"prefetched\":1}");
  }

  private static int notVisible(String url) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Test
  void sqsErrors_areRetriedWithBackoffNotInABusyLoop() throws Exception {
    List<Long> receives = new CopyOnWriteArrayList<>();
    try (SqsClient counting = mq.client(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context,
          ExecutionAttributes attributes) {
        receives.add(System.nanoTime());
      }
    })) {
      SqsIntake i = SqsIntake.builder().client(counting)
          .queueUrl(queue.replace("/q", "/missing-q")).handler(this::accept)
          .waitTime(Duration.ofSeconds(1)).build();
      i.start();
      // retried, not given up: a fourth receive comes
      await().atMost(Duration.ofSeconds(30)).until(() -> receives.size() >= 4);
      i.close();
    }
    // each failed receive is logged, then the worker sleeps 100 ms doubling up to 20 s, with
    // jitter down to half: at least 50 + 100 + 200 ms between the first and the fourth receive,
    // where a busy loop against a local server takes a few milliseconds. A lower bound only, so a
    // loaded machine cannot fail it.
    assertThat(Duration.ofNanos(receives.get(3) - receives.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));
    assertThat(handled).isEmpty();
  }

}
