package dev.mailcore.testkit;

import dev.mailcore.DeliveryException;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
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

/**
 * A {@link MailTransport} that records what would have been sent instead of sending it, and can
 * be scripted to fail, in the manner of OkHttp's MockWebServer: script the next outcome with
 * {@link #failNext(DeliveryException)}, then assert on {@link #sent()} or
 * {@link #takeSent(Duration)}. Each accepted send gets a provider id {@code rec-<uuid>}.
 * Thread-safe.
 */
public class RecordingTransport implements MailTransport {
  private final List<TransportRequest> sent = new CopyOnWriteArrayList<>();
  private final BlockingQueue<TransportRequest> unread = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<DeliveryException> failures = new ConcurrentLinkedQueue<>();

  /** Creates a transport that accepts everything. */
  public RecordingTransport() {}

  @Override
  public String send(TransportRequest request) {
    Objects.requireNonNull(request, "request");
    DeliveryException failure = failures.poll();
    if (failure != null) {
      throw failure;
    }
    sent.add(request);
    unread.add(request);
    return "rec-" + UUID.randomUUID();
  }

  /**
   * Makes the next send fail with {@code failure} (failures queue up in order).
   *
   * @param failure what the next send throws
   * @return this transport
   */
  public RecordingTransport failNext(DeliveryException failure) {
    failures.add(Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * Every request accepted so far, oldest first.
   *
   * @return a snapshot
   */
  public List<TransportRequest> sent() {
    return List.copyOf(sent);
  }

  /**
   * How many requests were accepted.
   *
   * @return the count
   */
  public int sentCount() {
    return sent.size();
  }

  /**
   * Takes the oldest request not yet taken, waiting up to {@code timeout}.
   *
   * @param timeout how long to wait
   * @return the request, or empty if none arrived in time
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<TransportRequest> takeSent(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }
}
