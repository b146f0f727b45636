package dev.mailcore.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.Mailboxes;
import dev.mailcore.ValidationException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Consumes SES notifications from one or more SQS queues subscribed to the SNS topics SES
 * publishes to, for hosts without a public URL and for scaling out: several instances on several
 * machines may consume one queue.
 *
 * <pre>{@code
 * SqsIntake intake = SqsIntake.builder()
 *     .client(sqsClient)                                      // yours: never closed by mailcore
 *     .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/mailcore-inbound")
 *     .notifications(SesNotifications.builder().mailCore(mail).build())
 *     .workers(2)                                             // per queue
 *     .build();
 * intake.start();   // ... intake.close() on shutdown
 * }</pre>
 *
 * <p>Each worker long-polls its queue for up to 10 messages (or gathers up to
 * {@link Builder#batchSize} from several receives while the queue has a backlog), unwraps each
 * body (an SNS
 * {@code Notification} envelope when the subscription's raw message delivery is off, the SES JSON
 * itself when it is on), hands the batch to {@link SesNotifications#process} (inbound mail in as
 * few {@code receiveAll} calls as possible) and deletes exactly the messages whose outcome
 * {@link SesNotificationOutcome#acknowledge() acknowledges} them, after their work committed.
 * The rest stay in the queue: SQS delivers them again when their visibility timeout ends, and
 * the queue's redrive policy moves a message that keeps failing to its dead-letter queue. A
 * crash between commit and delete redelivers work already done, which mailcore stores once
 * (per-inbox Message-ID dedupe, idempotent events), so consumers may run anywhere.
 *
 * <p>The queue's access policy decides who may send to it, so the SNS signature inside an
 * envelope is not checked again here (that is {@link SnsEndpoint}'s job on a public URL).
 *
 * <p>A started worker keeps SQS off its critical path: while it processes one batch, the
 * next receive (at most one batch ahead) and the previous batch's delete run on two helper
 * threads of that worker. The prefetched batch's visibility timeout runs while the current batch
 * is processed, so it must cover two batches (see {@link Builder#visibilityTimeout}); a message
 * that outlives it is received again elsewhere and found already processed.
 *
 * <p>SQS errors are logged and retried with exponential backoff (100 ms doubling to 20 s, with
 * jitter), never in a busy loop.
 *
 * <p>Lifecycle: {@link #start()} starts the workers (daemon threads); {@link #close()} stops
 * polling, lets every in-flight batch finish processing and deleting, hands a prefetched batch
 * not yet processed back to the queue (visibility 0, so it is delivered again at once; this
 * needs {@code sqs:ChangeMessageVisibility}, without which it comes back after its visibility
 * timeout) and waits for the workers (up to {@link Builder#shutdownTimeout}). Hosts with their
 * own scheduler call {@link #pollOnce()} instead, which neither prefetches nor defers the
 * delete. Thread-safe. The SQS client and the {@code SesNotifications} are the caller's and are
 * never closed.
 */
public final class SqsIntake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsIntake.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIN_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 20_000;
  /** SQS's limit per receive, delete and visibility change call. */
  private static final int SQS_MAX_BATCH = 10;

  private final SqsClient client;
  private final List<String> queueUrls;
  private final Function<List<String>, List<SesNotificationOutcome>> handler;
  private final int workers;
  private final int batchSize;
  private final int waitSeconds;
  private final @Nullable Integer visibilitySeconds;
  private final Duration shutdownTimeout;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger threadIds = new AtomicInteger();
  private boolean started;

  private SqsIntake(Builder b) {
    if (b.client == null) {
      throw new ValidationException("client", "SqsIntake.builder() has no SQS client: call"
          + " .client(SqsClient.builder().region(region).build())");
    }
    if (b.queueUrls.isEmpty()) {
      throw new ValidationException("queueUrl", "SqsIntake.builder() has no queue: call"
          + " .queueUrl(\"https://sqs.<region>.amazonaws.com/<account>/<queue>\")");
    }
    if (b.handler == null) {
      throw new ValidationException("notifications", "SqsIntake.builder() has no notifications:"
          + " call .notifications(SesNotifications.builder().mailCore(mail).build())");
    }
    this.client = b.client;
    this.queueUrls = List.copyOf(b.queueUrls);
    this.handler = b.handler;
    this.workers = b.workers;
    this.batchSize = b.batchSize;
    this.waitSeconds = b.waitSeconds;
    this.visibilitySeconds = b.visibilitySeconds;
    this.shutdownTimeout = b.shutdownTimeout;
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts {@link Builder#workers} polling threads per queue; returns at once.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (started || stopping.getCount() == 0) {
      throw new IllegalStateException("SqsIntake already " + (started ? "started" : "closed"));
    }
    started = true;
    for (String queue : queueUrls) {
      for (int i = 0; i < workers; i++) {
        Thread t = new Thread(() -> run(queue), "mailcore-sqs-" + threadIds.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }
  }

  /**
   * Receives one batch from each queue (long-polling up to {@link Builder#waitTime}), processes
   * it and deletes what committed; for hosts that schedule polling themselves.
   *
   * @return how many messages were received
   * @throws SdkException if SQS refuses or cannot be reached (nothing was lost: messages not
   *     deleted are delivered again)
   */
  public int pollOnce() {
    int received = 0;
    for (String queue : queueUrls) {
      received += pollQueue(queue);
    }
    return received;
  }

  /**
   * A started worker: while it processes one batch, its next receive (the prefetch: at most one
   * batch per worker) and the previous batch's delete run on two helper threads. A batch is
   * deleted only after {@code process} returned for it; a prefetched batch not yet processed when
   * the intake closes is handed back (its visibility set to 0), never deleted.
   */
  private void run(String queue) {
    String name = Thread.currentThread().getName();
    AtomicInteger helperIds = new AtomicInteger();
    ExecutorService io = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, name + "-io-" + helperIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Future<List<Message>> next = null;
    Future<?> deleting = null;
    long backoff = 0;
    try {
      while (stopping.getCount() > 0) {
        try {
          Future<List<Message>> receiving = next != null ? next
              : io.submit(() -> receive(queue));
          next = null;
          List<Message> batch = await(receiving);
          if (stopping.getCount() == 0) {
            release(queue, batch);
            return;
          }
          if (!batch.isEmpty()) {
            next = io.submit(() -> receive(queue)); // overlaps the processing below
            List<DeleteMessageBatchRequestEntry> done = process(queue, batch);
            awaitQuietly(deleting); // at most one delete in flight per worker
            deleting = done.isEmpty() ? null
                : io.submit(() -> deleteQuietly(queue, batch, done));
          }
          backoff = 0;
        } catch (RuntimeException e) {
          backoff = backoff == 0 ? MIN_BACKOFF_MILLIS : Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
          long sleep = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
          LOG.warn("SQS intake from {} failed, retrying in {} ms: {}", queue, sleep,
              e.toString());
          if (stopping.await(sleep, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      awaitQuietly(deleting);
      if (next != null) {
        try {
          release(queue, await(next));
        } catch (RuntimeException | InterruptedException e) {
          // its messages come back after their visibility timeout
          LOG.debug("SQS receive from {} ended with {} while closing", queue, e.toString());
        }
      }
      io.shutdown();
    }
  }

  /**
   * One batch: a long poll, then, while each receive comes back full and the batch is short of
   * {@link Builder#batchSize}, further receives that do not wait. A quiet queue's batch is
   * processed as soon as its first receive returns; a backlog is gathered into larger batches.
   * A follow-up receive that fails ends the gathering: what was received is processed, and the
   * failure is retried at the next batch.
   *
   * @throws SdkException if the first receive fails (nothing was received)
   */
  private List<Message> receive(String queue) {
    List<Message> gathered = new ArrayList<>();
    int wait = waitSeconds; // only the first receive long-polls
    while (gathered.size() < batchSize) {
      int want = Math.min(SQS_MAX_BATCH, batchSize - gathered.size());
      List<Message> more;
      try {
        more = receiveOnce(queue, want, wait);
      } catch (RuntimeException e) {
        if (gathered.isEmpty()) {
          throw e;
        }
        LOG.warn("SQS receive from {} failed while gathering a batch; processing the {} messages"
            + " received: {}", queue, gathered.size(), e.toString());
        break;
      }
      gathered.addAll(more);
      if (more.size() < want) {
        break; // the backlog is drained: process now rather than wait
      }
      wait = 0;
    }
    return gathered;
  }

  private List<Message> receiveOnce(String queue, int max, int wait) {
    ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder().queueUrl(queue)
        .maxNumberOfMessages(max).waitTimeSeconds(wait);
    if (visibilitySeconds != null) {
      request.visibilityTimeout(visibilitySeconds);
    }
    return client.receiveMessage(request.build()).messages();
  }

  /** {@code entries} in the groups of at most {@value #SQS_MAX_BATCH} that one SQS call takes. */
  private static <T> List<List<T>> perCall(List<T> entries) {
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += SQS_MAX_BATCH) {
      out.add(entries.subList(from, Math.min(entries.size(), from + SQS_MAX_BATCH)));
    }
    return out;
  }

  /** The future's value; its failure rethrown as it was thrown. */
  private static <T> T await(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Waits for a delete (which logs its own failures); keeps the interrupt. */
  private static void awaitQuietly(@Nullable Future<?> f) {
    if (f == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private int pollQueue(String queue) {
    List<Message> messages = receive(queue);
    if (messages.isEmpty()) {
      return 0;
    }
    List<DeleteMessageBatchRequestEntry> done = process(queue, messages);
    if (!done.isEmpty()) {
      delete(queue, messages, done);
    }
    return messages.size();
  }

  /**
   * Hands a batch to the handler; returns the delete entries of the acknowledged messages.
   *
   * @throws RuntimeException if the handler threw (nothing of the batch may be deleted)
   */
  private List<DeleteMessageBatchRequestEntry> process(String queue, List<Message> messages) {
    List<String> bodies = new ArrayList<>(messages.size());
    for (Message m : messages) {
      bodies.add(sesJson(m.body()));
    }
    List<SesNotificationOutcome> outcomes;
    try {
      outcomes = handler.apply(bodies);
    } catch (RuntimeException e) {
      // nothing is deleted: SQS delivers the batch again after the visibility timeout
      LOG.error("Processing {} SQS messages from {} failed; they stay queued for redelivery",
          messages.size(), queue, e);
      throw e;
    }
    if (outcomes.size() != messages.size()) {
      throw new IllegalStateException("SesNotifications.process returned " + outcomes.size()
          + " outcomes for " + messages.size() + " messages");
    }
    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      SesNotificationOutcome outcome = outcomes.get(i);
      Message m = messages.get(i);
      if (outcome.acknowledge()) {
        done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(m.receiptHandle()).build());
        if (outcome instanceof SesNotificationOutcome.Ignored ignored) {
          LOG.info("SQS message {} ignored: {}", m.messageId(), ignored.reason());
        }
      } else if (outcome instanceof SesNotificationOutcome.Retry retry) {
        LOG.warn("SQS message {} from {} failed, left for redelivery: {}", m.messageId(), queue,
            retry.cause().getMessage());
      }
    }
    return done;
  }

  /**
   * Deletes the acknowledged messages, ten per call; every call is tried.
   *
   * @throws RuntimeException the first call's failure, after the others were tried (the
   *     messages it did not delete are delivered again and found already processed)
   */
  private void delete(String queue, List<Message> messages,
      List<DeleteMessageBatchRequestEntry> done) {
    RuntimeException first = null;
    for (List<DeleteMessageBatchRequestEntry> entries : perCall(done)) {
      try {
        DeleteMessageBatchResponse deleted = client.deleteMessageBatch(
            b -> b.queueUrl(queue).entries(entries));
        for (BatchResultErrorEntry failed : deleted.failed()) {
          LOG.warn("Deleting SQS message {} from {} failed ({} {}); it will be delivered again"
              + " and found already processed",
              messages.get(Integer.parseInt(failed.id())).messageId(), queue, failed.code(),
              failed.message());
        }
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A started worker's delete, off its thread: a failure is logged, the work stays done. */
  private void deleteQuietly(String queue, List<Message> messages,
      List<DeleteMessageBatchRequestEntry> done) {
    try {
      delete(queue, messages, done);
    } catch (RuntimeException e) {
      LOG.warn("Deleting {} processed SQS messages from {} failed; they will be delivered again"
          + " and found already processed: {}", done.size(), queue, e.toString());
    }
  }

  /**
   * Hands received but unprocessed messages back: visibility 0, so any consumer receives them
   * at once. Best effort (it needs {@code sqs:ChangeMessageVisibility}): if it fails they come
   * back when their visibility timeout ends.
   */
  private void release(String queue, List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout(0).build());
    }
    for (List<ChangeMessageVisibilityBatchRequestEntry> call : perCall(entries)) {
      try {
        ChangeMessageVisibilityBatchResponse r = client.changeMessageVisibilityBatch(
            b -> b.queueUrl(queue).entries(call));
        if (!r.failed().isEmpty()) {
          LOG.info("{} of {} unprocessed SQS messages from {} not handed back ({}); they return"
              + " after their visibility timeout", r.failed().size(), call.size(), queue,
              r.failed().get(0).code());
        }
      } catch (RuntimeException e) {
        LOG.info("Handing {} unprocessed SQS messages back to {} failed; they return after"
            + " their visibility timeout: {}", call.size(), queue, e.toString());
      }
    }
  }

  /**
   * The SES JSON in an SQS body: the {@code Message} of an SNS {@code Notification} envelope
   * (raw message delivery off), else the body itself (raw delivery on, or not JSON at all, which
   * {@code SesNotifications} reports as ignored).
   */
  static String sesJson(String body) {
    if (body.indexOf("\"TopicArn\"") < 0) {
      return body; // cheap: SES JSON never names a TopicArn at its top level
    }
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.isObject() && "Notification".equals(json.path("Type").asText())
          && json.path("TopicArn").isTextual() && json.path("Message").isTextual()) {
        return json.get("Message").asText();
      }
    } catch (IOException e) {
      // not JSON: handed on as it is
    }
    return body;
  }

  /**
   * Stops polling: in-flight batches finish processing and deleting, then the workers end;
   * waits up to {@link Builder#shutdownTimeout} for them (a long poll in progress returns within
   * {@link Builder#waitTime}). Messages received but not processed (a prefetched batch, or what
   * a long poll brings after close) are never deleted: they are handed back to the queue with
   * visibility 0, or, if that fails, return after their visibility timeout. Idempotent. Closes
   * neither the SQS client nor the notifications processor.
   */
  @Override
  public void close() {
    List<Thread> running;
    synchronized (this) {
      stopping.countDown();
      running = List.copyOf(threads);
    }
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    for (Thread t : running) {
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left > 0) {
          t.join(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        LOG.warn("SQS intake worker {} still running after shutdownTimeout {}; its unfinished"
            + " messages stay queued for redelivery", t.getName(), shutdownTimeout);
      }
    }
  }

  /** Options for {@link SqsIntake}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SqsClient client;
    private final List<String> queueUrls = new ArrayList<>();
    private @Nullable Function<List<String>, List<SesNotificationOutcome>> handler;
    private int workers = 1;
    private int batchSize = SQS_MAX_BATCH;
    private int waitSeconds = 20;
    private @Nullable Integer visibilitySeconds;
    private Duration shutdownTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /**
     * The SQS client (required; yours, never closed by the intake).
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(SqsClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * A queue to consume (at least one); repeatable.
     *
     * @param queueUrl the queue URL, as {@code GetQueueUrl} returns it
     * @return this builder
     */
    public Builder queueUrl(String queueUrl) {
      Objects.requireNonNull(queueUrl, "queueUrl");
      if (queueUrl.isBlank()) {
        throw new ValidationException("queueUrl", "queueUrl(\"\"): pass the queue URL");
      }
      queueUrls.add(queueUrl);
      return this;
    }

    /**
     * Where the SES notifications go (required; not closed by the intake).
     *
     * @param notifications the processor
     * @return this builder
     */
    public Builder notifications(SesNotifications notifications) {
      Objects.requireNonNull(notifications, "notifications");
      this.handler = notifications::process;
      return this;
    }

    /** Tests of the transport: any handler in place of {@link SesNotifications}. */
    Builder handler(Function<List<String>, List<SesNotificationOutcome>> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Polling threads per queue after {@link SqsIntake#start()}; default 1.
     *
     * @param workers 1 to 64
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 64) {
        throw new ValidationException("workers", "workers(" + workers + "): must be 1 to 64");
      }
      this.workers = workers;
      return this;
    }

    /**
     * How many messages a worker processes together, at most; default 10, what one SQS receive
     * returns. Above 10, a worker whose receive came back full receives again at once, without
     * waiting, until it holds {@code batchSize} messages or a receive comes back short (the
     * backlog is drained), and hands them to {@link SesNotifications#process} together: under a
     * backlog, inbound mail is stored in fewer, larger {@code receiveAll} transactions, which
     * costs less per message (benchmarks/README.md, SQS intake); a quiet queue is processed as
     * soon as its first receive returns, as with 10. The visibility timeout must then cover two
     * such batches (see {@link #visibilityTimeout}), and a batch's messages are acknowledged
     * together after it is processed. Below 10, receives ask for that many.
     *
     * @param batchSize 1 to 100 ({@link Mailboxes#MAX_RECEIVE_BATCH})
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > Mailboxes.MAX_RECEIVE_BATCH) {
        throw new ValidationException("batchSize", "batchSize(" + batchSize + "): must be 1 to "
            + Mailboxes.MAX_RECEIVE_BATCH + ", the most one receiveAll call takes");
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How long one receive waits for messages (SQS long polling); default 20 s, the maximum.
     *
     * @param waitTime 0 to 20 seconds, whole seconds
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder waitTime(Duration waitTime) {
      long s = waitTime.getSeconds();
      if (waitTime.isNegative() || s > 20) {
        throw new ValidationException("waitTime", "waitTime(" + waitTime
            + "): SQS long polling waits 0 to 20 seconds");
      }
      this.waitSeconds = (int) s;
      return this;
    }

    /**
     * The visibility timeout of received messages (optional; by default the queue's own): it
     * must exceed the time two batches take to process (a started worker receives its next
     * batch while it processes the current one), or other consumers receive it meanwhile
     * (harmless, but wasted work); it is also the delay before a failed message is retried.
     *
     * @param timeout 0 to 12 hours, whole seconds
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder visibilityTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.getSeconds() > 43_200) {
        throw new ValidationException("visibilityTimeout", "visibilityTimeout(" + timeout
            + "): SQS allows 0 to 12 hours");
      }
      this.visibilitySeconds = (int) timeout.getSeconds();
      return this;
    }

    /**
     * How long {@link SqsIntake#close()} waits for in-flight batches; default 60 s.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws ValidationException if not positive
     */
    public Builder shutdownTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new ValidationException("shutdownTimeout", "shutdownTimeout(" + timeout
            + "): must be positive");
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * Builds the intake (not started).
     *
     * @return the intake
     * @throws ValidationException if the client, a queue or the notifications are missing
     */
    public SqsIntake build() {
      return new SqsIntake(this);
    }
  }
}
