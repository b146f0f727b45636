package dev.mailcore.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailcore.WebhookVerificationException;
import dev.mailcore.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on loopback that receives mailcore webhooks in tests, in the spirit of
 * OkHttp's MockWebServer: point an endpoint at {@link #url()}, give it the secret
 * ({@link #secrets(String...)}) so it verifies signatures, script answers with
 * {@link #enqueue(Answer)} (default: 200), and take what arrived with
 * {@link #takeDelivery(Duration)}, which fails fast with what did arrive instead of hanging.
 *
 * <pre>{@code
 * try (WebhookReceiver receiver = WebhookReceiver.start()) {
 *   WebhookRegistration r = mail.webhooks().register("org_1",
 *       WebhookSpec.of(receiver.url(), WebhookEventType.MESSAGE_RECEIVED));
 *   receiver.secrets(r.secret());
 *   ... receive a message, mail.webhooks().dispatcher().dispatchDue() ...
 *   ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
 *   assertThat(w.verified()).isTrue();
 * }
 * }</pre>
 *
 * <p>A request with a wrong signature is answered 401 and recorded with {@code verified=false}.
 * Every request is recorded on arrival, also when the script hangs or resets it. Needs
 * {@code WebhookSettings.builder().allowLoopback(true)}. Thread-safe; {@link #close()} stops the
 * server and releases hung requests.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** What the receiver does with a request. */
  public sealed interface Answer {
    /**
     * @param code an HTTP status code
     * @return answer with that status and an empty body
     */
    static Answer status(int code) {
      return new Status(code);
    }

    /** @return keep the request open, unanswered, until {@link #releaseHung()} or close */
    static Answer hang() {
      return new Hang();
    }

    /** @return close the connection without answering */
    static Answer reset() {
      return new Reset();
    }
  }

  /** Answer with a status. @param code the status */
  record Status(int code) implements Answer {}

  /** Answer nothing, keep the connection open. */
  record Hang() implements Answer {}

  /** Drop the connection. */
  record Reset() implements Answer {}

  static {
    // The JDK server leaves Nagle's algorithm on unless told otherwise; with the client's delayed
    // ACKs every keep-alive response then waits ~40 ms. Read once, when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Answer> otherwise = new AtomicReference<>(new Status(200));
  private final AtomicReference<WebhookVerifier> verifier = new AtomicReference<>();
  private final List<ReceivedWebhook> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<ReceivedWebhook> unread = new LinkedBlockingQueue<>();
  private final AtomicReference<CountDownLatch> hung =
      new AtomicReference<>(new CountDownLatch(1));

  private WebhookReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts a receiver on 127.0.0.1 and a free port.
   *
   * @return the running receiver
   * @throws UncheckedIOException if no port can be bound
   */
  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
      });
      WebhookReceiver receiver = new WebhookReceiver(server, executor);
      server.createContext("/", receiver::handle);
      server.setExecutor(executor);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a webhook receiver on loopback", e);
    }
  }

  /** @return the URL to register, {@code http://127.0.0.1:<port>/webhooks} */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
  }

  /**
   * Verifies signatures with these secrets from now on (several while a rotation is tested).
   *
   * @param secrets {@code whsec_...} secrets
   * @return this receiver
   */
  public WebhookReceiver secrets(String... secrets) {
    WebhookVerifier.Builder b = WebhookVerifier.builder();
    for (String s : secrets) {
      b.secret(s);
    }
    verifier.set(b.build());
    return this;
  }

  /**
   * Scripts the answer to the next request that has none yet (answers queue up in order).
   *
   * @param answer the answer
   * @return this receiver
   */
  public WebhookReceiver enqueue(Answer answer) {
    script.add(Objects.requireNonNull(answer, "answer"));
    return this;
  }

  /**
   * The answer once the script is used up (default 200).
   *
   * @param answer the answer
   * @return this receiver
   */
  public WebhookReceiver otherwise(Answer answer) {
    otherwise.set(Objects.requireNonNull(answer, "answer"));
    return this;
  }

  /**
   * The next request not taken yet, waiting up to {@code timeout}.
   *
   * @param timeout how long to wait
   * @return the request
   * @throws AssertionError if none arrives in time, naming what did arrive
   */
  public ReceivedWebhook takeDelivery(Duration timeout) {
    try {
      ReceivedWebhook w = unread.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (w == null) {
        throw new AssertionError("no webhook arrived at " + url() + " within " + timeout
            + "; received so far: " + received);
      }
      return w;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for a webhook", e);
    }
  }

  /** @return every request received so far, in arrival order */
  public List<ReceivedWebhook> deliveries() {
    return List.copyOf(received);
  }

  /** @return how many requests arrived */
  public int requestCount() {
    return received.size();
  }

  /**
   * Waits until at least {@code count} requests have arrived (taken or not).
   *
   * @param count how many requests to wait for
   * @param timeout how long to wait
   * @throws AssertionError if fewer arrive in time, naming how many did
   */
  public void awaitRequestCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (received.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(received.size() + " of " + count + " webhooks arrived at "
              + url() + " within " + timeout);
        }
        try {
          received.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for webhooks", e);
        }
      }
    }
  }

  /** Lets every hung request end (the connection is then closed without an answer). */
  public void releaseHung() {
    hung.getAndSet(new CountDownLatch(1)).countDown();
  }

  /** Stops the server, releasing hung requests. Idempotent. */
  @Override
  public void close() {
    releaseHung();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) ->
        headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
    boolean verified = false;
    WebhookVerifier v = verifier.get();
    if (v != null) {
      try {
        v.verify(headers, body);
        verified = true;
      } catch (WebhookVerificationException e) {
        verified = false;
      }
    }
    Answer answer = script.poll();
    if (answer == null) {
      answer = otherwise.get();
    }
    if (v != null && !verified) {
      answer = new Status(401);
    }
    int code = answer instanceof Status s ? s.code() : -1;
    ReceivedWebhook w = new ReceivedWebhook(first(headers, WebhookVerifier.ID_HEADER),
        first(headers, WebhookVerifier.TIMESTAMP_HEADER),
        first(headers, WebhookVerifier.SIGNATURE_HEADER), body, headers, verified, code,
        Instant.now());
    received.add(w);
    synchronized (received) {
      received.notifyAll();
    }
    unread.add(w);
    if (answer instanceof Status s) {
      exchange.sendResponseHeaders(s.code(), -1);
      exchange.close();
    } else if (answer instanceof Hang) {
      try {
        hung.get().await(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    } else {
      exchange.close();
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
