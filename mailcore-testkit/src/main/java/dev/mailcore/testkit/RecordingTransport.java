package dev.mailcore.testkit;

import dev.mailcore.DeliveryException;
import dev.mailcore.MessageId;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link MailTransport} that records what would have been sent instead of sending it, and can
 * be scripted to fail, in the manner of OkHttp's MockWebServer: script the next outcome with
 * {@link #failNext(DeliveryException)} (or make every send fail with
 * {@link #failAll(DeliveryException)}), then assert on {@link #sent()}, {@link #takeSent()} or
 * {@link #takeSent(Duration)}. Recorded messages are parsed ({@link SentMail}) so tests assert
 * on subjects, bodies and headers rather than bytes. Each accepted send gets a provider id
 * {@code rec-<uuid>}. {@link #replaceMessageIds(String)} makes it report, as SES does, that
 * recipients saw {@code <provider-id@domain>} instead of mailcore's Message-ID. Thread-safe.
 */
public class RecordingTransport implements MailTransport {
  private final List<SentMail> sent = new CopyOnWriteArrayList<>();
  private final BlockingQueue<SentMail> unread = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<DeliveryException> failures = new ConcurrentLinkedQueue<>();
  private final AtomicReference<DeliveryException> failAll = new AtomicReference<>();
  private final AtomicReference<String> replacingDomain = new AtomicReference<>();

  /** Creates a transport that accepts everything. */
  public RecordingTransport() {}

  @Override
  public TransportResult send(TransportRequest request) {
    Objects.requireNonNull(request, "request");
    DeliveryException failure = failures.poll();
    if (failure == null) {
      failure = failAll.get();
    }
    if (failure != null) {
      throw failure;
    }
    SentMail mail = SentMail.parse(request, "rec-" + UUID.randomUUID());
    sent.add(mail);
    unread.add(mail);
    return new TransportResult(mail.providerId(), Optional.ofNullable(replacingDomain.get())
        .map(domain -> new MessageId(mail.providerId() + "@" + domain)));
  }

  /**
   * From now on, reports for each accepted message that its recipients saw the Message-ID
   * {@code <provider-id@domain>}, the way SES replaces every Message-ID it sends
   * ({@code <ses-message-id@eu-west-1.amazonses.com>}). The recorded bytes stay as mailcore
   * built them.
   *
   * @param domain the right-hand side of the replacement ids, for example
   *     {@code eu-west-1.amazonses.com}
   * @return this transport
   */
  public RecordingTransport replaceMessageIds(String domain) {
    replacingDomain.set(Objects.requireNonNull(domain, "domain"));
    return this;
  }

  /**
   * Makes the next send fail with {@code failure} (failures queue up in order, and are used
   * before {@link #failAll}).
   *
   * @param failure what the next send throws
   * @return this transport
   */
  public RecordingTransport failNext(DeliveryException failure) {
    failures.add(Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * Makes every send fail with {@code failure} until {@link #recover()}: a provider that is
   * down.
   *
   * @param failure what every send throws
   * @return this transport
   */
  public RecordingTransport failAll(DeliveryException failure) {
    failAll.set(Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * Ends {@link #failAll} and drops scripted failures not yet used.
   *
   * @return this transport
   */
  public RecordingTransport recover() {
    failAll.set(null);
    failures.clear();
    return this;
  }

  /**
   * A retryable failure like a throttled or unreachable provider, for {@link #failNext}.
   *
   * @return the exception
   */
  public static DeliveryException retryableFailure() {
    return new DeliveryException("simulated: provider unavailable, try again later", true,
        true, null);
  }

  /**
   * A permanent failure like a rejected message, for {@link #failNext}.
   *
   * @return the exception
   */
  public static DeliveryException permanentFailure() {
    return new DeliveryException("simulated: 554 5.7.1 message rejected", true, false, null);
  }

  /**
   * Every message accepted so far, oldest first.
   *
   * @return a snapshot
   */
  public List<SentMail> sent() {
    return List.copyOf(sent);
  }

  /**
   * How many messages were accepted.
   *
   * @return the count
   */
  public int sentCount() {
    return sent.size();
  }

  /**
   * Takes the oldest accepted message not yet taken, failing at once if there is none (sends
   * are synchronous, so a test that expects one has it already).
   *
   * @return the message
   * @throws AssertionError if nothing is waiting to be taken
   */
  public SentMail takeSent() {
    SentMail m = unread.poll();
    if (m == null) {
      throw new AssertionError("no sent message is waiting: " + sent.size()
          + " accepted in total, all already taken");
    }
    return m;
  }

  /**
   * Takes the oldest message not yet taken, waiting up to {@code timeout} (for sends made on
   * other threads).
   *
   * @param timeout how long to wait
   * @return the message, or empty if none arrived in time
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<SentMail> takeSent(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }
}
