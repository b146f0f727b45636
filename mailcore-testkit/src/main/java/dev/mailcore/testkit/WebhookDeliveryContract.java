package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailcore.Domain;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookDeliveryStatus;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end on one {@link MailStore}: the transactional outbox, signed delivery over
 * real HTTP on loopback to a {@link WebhookReceiver}, retries under a {@link MutableClock},
 * leases between two {@link MailCore} instances on one store, replay and secret rotation. A
 * store passes by a thin subclass implementing {@link #createStore()}; each instance built here
 * shares that store. Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class WebhookDeliveryContract {

  /** Creates the contract; subclasses are created by JUnit. */
  protected WebhookDeliveryContract() {}
  private static final String ORG = "org_hooks";

  private final MutableClock clock =
      MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final AtomicBoolean failAfterOutboxWrite = new AtomicBoolean();
  /** Store calls of the dispatchers: claims, claims that found nothing, settle batches. */
  private final AtomicInteger claims = new AtomicInteger();
  private final AtomicInteger emptyClaims = new AtomicInteger();
  private final AtomicInteger settleBatches = new AtomicInteger();
  private final AtomicInteger settledRows = new AtomicInteger();
  private final List<MailCore> instances = new ArrayList<>();
  private MailStore store;
  private MailCore mail;
  private WebhookReceiver receiver;
  private Inbox inbox;

  /**
   * A new, empty store.
   *
   * @return the store; closed after each test
   */
  protected abstract MailStore createStore();

  @BeforeEach
  void setUp() {
    store = createStore();
    receiver = WebhookReceiver.start();
    mail = instance(settings().build());
    Domain d = mail.domains().create(ORG, "hooks.test");
    inbox = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  @AfterEach
  void tearDown() {
    receiver.close();
    instances.forEach(MailCore::close);
    store.close();
  }

  @Test
  void receive_postsMessageReceivedSigned_withEnvelopeThreadAndSequence() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED,
        WebhookEventType.THREAD_CREATED);

    receive("First");
    int attempts = mail.webhooks().dispatcher().dispatchDue();

    assertThat(attempts).isEqualTo(2);
    List<ReceivedWebhook> got = List.of(receiver.takeDelivery(Duration.ofSeconds(5)),
        receiver.takeDelivery(Duration.ofSeconds(5)));
    assertThat(got).allSatisfy(w -> assertThat(w.verified()).isTrue());
    ReceivedWebhook received = got.stream().filter(w -> w.type().equals("message.received"))
        .findFirst().orElseThrow();
    JsonNode p = received.json();
    assertThat(p.path("id").asText()).isEqualTo(received.id());
    assertThat(p.path("version").asInt()).isEqualTo(1);
    assertThat(p.path("organization_id").asText()).isEqualTo(ORG);
    assertThat(p.path("inbox_id").asText()).isEqualTo(inbox.id().toString());
    assertThat(p.path("sequence").asLong()).isEqualTo(1);
    JsonNode m = p.path("data").path("message");
    assertThat(m.path("subject").asText()).isEqualTo("First");
    assertThat(m.path("thread_id").asText()).isNotEmpty();
    assertThat(m.path("from").path("address").asText()).isEqualTo("ann@example.com");
    assertThat(m.has("body_text")).isFalse();
    assertThat(got).extracting(ReceivedWebhook::type)
        .containsExactlyInAnyOrder("message.received", "thread.created");
    assertThat(mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all(),
        PageRequest.first()).items()).extracting(WebhookDelivery::status)
        .containsOnly(WebhookDeliveryStatus.DELIVERED);
  }

  @Test
  void send_postsMessageSentWithDeliveryStatusAndProviderId() {
    RecordingTransport transport = new RecordingTransport();
    MailCore sender = MailCore.builder().store(store).blobStore(new InMemoryBlobStore())
        .transport(transport).clock(clock).webhooks(settings().build()).build();
    instances.add(sender);
    register(WebhookEventType.MESSAGE_SENT);

    sender.sender().send(OutboundEmail.builder().inboxId(inbox.id()).to("bob@customer.test")
        .subject("Order").text("Shipped").build());
    sender.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(w.type()).isEqualTo("message.sent");
    JsonNode data = w.json().path("data");
    assertThat(data.path("delivery").path("status").asText()).isEqualTo("sent");
    assertThat(data.path("delivery").path("provider_message_id").asText())
        .isEqualTo(transport.takeSent().providerId());
    assertThat(data.path("message").path("to").get(0).path("address").asText())
        .isEqualTo("bob@customer.test");
  }

  @Test
  void rolledBackChange_leavesNoDelivery_andCommittedChangeAlwaysHasOne() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);

    failAfterOutboxWrite.set(true);
    assertThatThrownBy(() -> receive("Lost")).hasMessageContaining("injected");
    failAfterOutboxWrite.set(false);

    assertThat(deliveries(r)).isEmpty();
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();

    receive("Kept");
    assertThat(deliveries(r)).singleElement()
        .satisfies(d -> assertThat(d.payload()).contains("Kept"));
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void failedAttempts_areRetriedOnTheSchedule_withTheSameEventId() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);
    receiver.enqueue(WebhookReceiver.Answer.status(500))
        .enqueue(WebhookReceiver.Answer.reset());
    receive("Retry me");
    WebhookDispatcherView d = new WebhookDispatcherView(mail);

    assertThat(d.dispatchDue()).isEqualTo(1); // 500
    assertThat(d.dispatchDue()).isZero(); // next attempt in 5 s
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.dispatchDue()).isEqualTo(1); // connection reset
    clock.advance(Duration.ofMinutes(4));
    assertThat(d.dispatchDue()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(d.dispatchDue()).isEqualTo(1); // 200

    List<ReceivedWebhook> got = receiver.deliveries();
    assertThat(got).hasSize(3).extracting(ReceivedWebhook::id).containsOnly(got.get(0).id());
    assertThat(got).extracting(ReceivedWebhook::bodyText).containsOnly(got.get(0).bodyText());
    assertThat(deliveries(r)).singleElement().satisfies(x -> {
      assertThat(x.status()).isEqualTo(WebhookDeliveryStatus.DELIVERED);
      assertThat(x.attempts()).isEqualTo(3);
    });
    assertThat(mail.webhooks().get(r.endpoint().id()).orElseThrow()).satisfies(e -> {
      assertThat(e.failureCount()).isZero();
      assertThat(e.lastSuccessAt()).contains(clock.instant());
    });
  }

  @Test
  void busyEndpoint_isClaimedAheadOfItsFullLane_andAttemptsAreSettledInBatches()
      throws InterruptedException {
    // one endpoint whose lane is all the workers: claims must run ahead of the requests in
    // flight (not find the endpoint full and come back empty), and attempts that finish while
    // others are in flight must share settle transactions
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);
    for (int i = 0; i < 40; i++) {
      receive("Busy " + i);
    }
    MailCore busy = instance(settings().workers(2).perEndpointConcurrency(2)
        .pollInterval(Duration.ofSeconds(5)).build());

    busy.webhooks().dispatcher().start();
    receiver.awaitRequestCount(40, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!deliveries(r).stream().allMatch(d -> d.status() == WebhookDeliveryStatus.DELIVERED)
        && System.nanoTime() < deadline) {
      Thread.sleep(10); // until the last batch is recorded; the assertions follow
    }

    assertThat(receiver.requestCount()).isEqualTo(40);
    assertThat(deliveries(r)).hasSize(40).extracting(WebhookDelivery::status)
        .containsOnly(WebhookDeliveryStatus.DELIVERED);
    // read-ahead 8 (4 x workers), a claim whenever 4 have been answered: about 10 claims, and
    // only the one after the last row finds nothing (the next poll is 5 s away)
    assertThat(emptyClaims.get()).isLessThanOrEqualTo(2);
    assertThat(claims.get()).isLessThanOrEqualTo(15);
    assertThat(settledRows.get()).isEqualTo(40);
    assertThat(settleBatches.get()).isLessThanOrEqualTo(20);
  }

  @Test
  void twoInstancesOnOneStore_deliverEveryEventExactlyOnce() {
    register(WebhookEventType.MESSAGE_RECEIVED);
    MailCore other = instance(settings().build());
    for (int i = 0; i < 30; i++) {
      receive("Burst " + i);
    }

    mail.webhooks().dispatcher().start();
    other.webhooks().dispatcher().start();
    receiver.awaitRequestCount(30, Duration.ofSeconds(30));
    mail.webhooks().dispatcher().dispatchDue();
    other.webhooks().dispatcher().dispatchDue();

    Set<String> ids = new HashSet<>();
    receiver.deliveries().forEach(w -> ids.add(w.id()));
    assertThat(ids).hasSize(30);
    assertThat(receiver.requestCount()).isEqualTo(30);
  }

  @Test
  void workerKilledMidDelivery_losesItsLease_andAnotherInstanceDelivers() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);
    MailCore doomed = instance(settings().build());
    receiver.enqueue(WebhookReceiver.Answer.hang());
    receive("Survive a crash");

    doomed.webhooks().dispatcher().start();
    receiver.awaitRequestCount(1, Duration.ofSeconds(10));
    assertThat(receiver.requestCount()).isEqualTo(1);
    doomed.close(); // the attempt is abandoned mid-request
    assertThat(mail.webhooks().dispatcher().dispatchDue()).isZero(); // still leased
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    assertThat(mail.webhooks().dispatcher().dispatchDue()).isEqualTo(1);
    receiver.releaseHung();

    assertThat(receiver.requestCount()).isEqualTo(2);
    assertThat(deliveries(r)).singleElement().satisfies(x -> {
      assertThat(x.status()).isEqualTo(WebhookDeliveryStatus.DELIVERED);
      assertThat(x.attempts()).isEqualTo(2);
    });
  }

  @Test
  void replay_postsTheSameEventAgain_andReplayFailedRequeuesOnlyFailedOnes() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);
    receive("Once");
    mail.webhooks().dispatcher().dispatchDue();
    ReceivedWebhook first = receiver.takeDelivery(Duration.ofSeconds(5));
    WebhookDelivery d = deliveries(r).get(0);

    assertThat(mail.webhooks().replay(d.id()).status()).isEqualTo(WebhookDeliveryStatus.PENDING);
    mail.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook again = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.bodyText()).isEqualTo(first.bodyText());
    assertThat(mail.webhooks().replayFailed(r.endpoint().id(), clock.instant().minusSeconds(60)))
        .isZero();
  }

  @Test
  void rotateSecret_signsWithBothSecretsDuringTheGracePeriod_thenOnlyTheNewOne() {
    WebhookRegistration r = register(WebhookEventType.MESSAGE_RECEIVED);
    WebhookRegistration rotated = mail.webhooks().rotateSecret(r.endpoint().id());
    assertThat(rotated.secret()).isNotEqualTo(r.secret()).startsWith("whsec_");

    receive("During grace");
    mail.webhooks().dispatcher().dispatchDue();
    ReceivedWebhook during = receiver.takeDelivery(Duration.ofSeconds(5));
    clock.advance(Duration.ofHours(24).plusSeconds(1));
    receive("After grace");
    mail.webhooks().dispatcher().dispatchDue();
    ReceivedWebhook after = receiver.takeDelivery(Duration.ofSeconds(5));

    assertThat(during.signature().split(" ")).hasSize(2);
    assertThat(verifies(r.secret(), during)).isTrue();
    assertThat(verifies(rotated.secret(), during)).isTrue();
    assertThat(after.signature().split(" ")).hasSize(1);
    assertThat(verifies(r.secret(), after)).isFalse();
    assertThat(verifies(rotated.secret(), after)).isTrue();
  }

  @Test
  void retention_deletesFinishedDeliveriesOlderThanIt_andKeepsPendingOnes() {
    MailCore keeper = instance(settings().retention(Duration.ofDays(1)).build());
    WebhookRegistration r = keeper.webhooks().register(ORG, new WebhookSpec(receiver.url(),
        Set.of(WebhookEventType.MESSAGE_RECEIVED), Set.of(), java.util.Optional.empty()));
    receive("Delivered, then old");
    keeper.webhooks().dispatcher().dispatchDue();
    receiver.enqueue(WebhookReceiver.Answer.status(500))
        .enqueue(WebhookReceiver.Answer.status(500));
    receive("Still failing");
    keeper.webhooks().dispatcher().dispatchDue();
    clock.advance(Duration.ofDays(2));

    keeper.webhooks().dispatcher().dispatchDue();

    List<WebhookDelivery> left = keeper.webhooks().deliveries(r.endpoint().id(),
        WebhookDeliveryFilter.all(), PageRequest.first()).items();
    assertThat(left).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(WebhookDeliveryStatus.PENDING);
      assertThat(d.payload()).contains("Still failing");
    });
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Settings for tests: loopback, no jitter, short timeouts. */
  protected WebhookSettings.Builder settings() {
    return WebhookSettings.builder().allowLoopback(true).jitter(0)
        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(20));
  }

  private MailCore instance(WebhookSettings settings) {
    MailCore m = MailCore.builder().store(faultInjecting(store))
        .blobStore(new InMemoryBlobStore()).clock(clock).webhooks(settings).build();
    instances.add(m);
    return m;
  }

  private WebhookRegistration register(WebhookEventType... types) {
    WebhookRegistration r = mail.webhooks().register(ORG, new WebhookSpec(receiver.url(),
        Set.of(types), Set.of(), java.util.Optional.empty()));
    receiver.secrets(r.secret());
    return r;
  }

  private void receive(String subject) {
    mail.mailboxes().receive(InboundMail.of(TestEmail.builder().to("support@hooks.test")
        .subject(subject).build().getBytes(StandardCharsets.UTF_8)));
  }

  private List<WebhookDelivery> deliveries(WebhookRegistration r) {
    return mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all(),
        PageRequest.first()).items();
  }

  private static boolean verifies(String secret, ReceivedWebhook w) {
    try {
      dev.mailcore.WebhookVerifier.builder().secret(secret).build().verify(w.headers(),
          w.body());
      return true;
    } catch (dev.mailcore.WebhookVerificationException e) {
      return false;
    }
  }

  /** The dispatcher of an instance, for brevity. */
  private record WebhookDispatcherView(MailCore mail) {
    int dispatchDue() {
      return mail.webhooks().dispatcher().dispatchDue();
    }
  }

  /**
   * The store, with a switch that makes a transaction fail right after the outbox wrote its
   * deliveries: the change and its events must then roll back together.
   */
  private MailStore faultInjecting(MailStore target) {
    return new MailStore() {
      @Override
      public <T> T inTransaction(Function<StoreTransaction, T> work) {
        return target.inTransaction(tx -> work.apply(failingAfterOutbox(tx)));
      }

      @Override
      public void close() {
        // the test closes the real store
      }
    };
  }

  private StoreTransaction failingAfterOutbox(StoreTransaction tx) {
    return (StoreTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {StoreTransaction.class}, (proxy, method, args) -> {
          Object result = invoke(tx, method, args);
          if (method.getName().equals("webhooks")) {
            WebhookStore hooks = (WebhookStore) result;
            return Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebhookStore.class}, (p2, m2, a2) -> {
                  Object r2 = invoke(hooks, m2, a2);
                  if (m2.getName().equals("insertDeliveries") && failAfterOutboxWrite.get()) {
                    throw new IllegalStateException("injected failure after the outbox write");
                  }
                  if (m2.getName().equals("claimDue")) {
                    claims.incrementAndGet();
                    if (((List<?>) r2).isEmpty()) {
                      emptyClaims.incrementAndGet();
                    }
                  } else if (m2.getName().equals("updateDeliveries")) {
                    settleBatches.incrementAndGet();
                    settledRows.addAndGet(((List<?>) r2).size());
                  }
                  return r2;
                });
          }
          return result;
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
