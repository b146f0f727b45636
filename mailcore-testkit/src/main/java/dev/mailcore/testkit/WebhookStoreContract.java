package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.Inbox;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import dev.mailcore.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WebhookStore} must have ({@link
 * dev.mailcore.spi.StoreTransaction#webhooks()}): endpoints, the outbox, the event sequence, and
 * the lease-based claim with its version guards. A store passes by a thin subclass that
 * implements {@link #createStore()}; the testkit runs it against {@link InMemoryMailStore}.
 * Timestamps have microsecond precision (what PostgreSQL keeps). Not thread-safe; JUnit runs
 * each test on a fresh instance.
 */
public abstract class WebhookStoreContract {

  /** Creates the contract; subclasses are created by JUnit. */
  protected WebhookStoreContract() {}
  /** A fixed, microsecond-precision base time. */
  protected static final Instant T0 = Instant.parse("2026-04-01T08:00:00.000001Z");
  private static final String ORG = "org_contract";

  /** The store under test, fresh for each test. */
  protected MailStore store;
  private UUID inboxId;

  /**
   * A new, empty store.
   *
   * @return the store; closed after each test
   */
  protected abstract MailStore createStore();

  @BeforeEach
  void openStore() {
    store = createStore();
    UUID domainId = UUID.randomUUID();
    inboxId = UUID.randomUUID();
    in(tx -> {
      tx.domains().insert(new Domain(domainId, ORG, "hooks.example.com", Optional.empty(),
          List.of(), Optional.empty(), Optional.empty(), Optional.empty(), DnsVerification.NONE,
          T0, T0, Optional.empty()));
      return tx.inboxes().insert(new Inbox(inboxId, domainId, "Support", "support", false, T0, T0,
          Optional.empty()));
    });
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- endpoints ----------------------------------------------------------------------------

  @Test
  void insertEndpoint_thenFind_returnsEveryField() {
    WebhookEndpointRecord e = new WebhookEndpointRecord(UUID.randomUUID(), ORG,
        "https://hooks.example.net/in", "whsec_c2VjcmV0", Optional.of("whsec_b2xk"),
        Optional.of(T0.plusSeconds(60)), List.of("message.received", "message.sent"),
        Optional.of(List.of(inboxId)), Optional.of("crm"), "warning", 3,
        Optional.of(T0.minusSeconds(5)), Optional.of(T0.minusSeconds(1)), T0, T0.plusSeconds(2),
        7);
    insertEndpoints(e);

    assertThat(hooks((WebhookStore w) -> w.findEndpoint(Scope.all(), e.id()))).contains(e);
    assertThat(hooks((WebhookStore w) -> w.findEndpoint(Scope.all(), UUID.randomUUID()))).isEmpty();
  }

  @Test
  void updateEndpoint_withTheReadVersion_replacesRow_andWithAStaleOne_changesNothing() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    insertEndpoints(e);
    WebhookEndpointRecord newer = withStatus(e, "warning", 1);

    assertThat(hooks((WebhookStore w) -> w.updateEndpoint(newer, 0))).isTrue();
    assertThat(hooks((WebhookStore w) -> w.updateEndpoint(withStatus(e, "disabled", 1), 0))).isFalse();
    assertThat(hooks((WebhookStore w) -> w.findEndpoint(Scope.all(), e.id()))).contains(newer);
    assertThat(hooks((WebhookStore w) -> w.updateEndpoint(withStatus(endpoint(ORG, "active", T0), "x", 1), 0)))
        .isFalse();
  }

  @Test
  void listEndpoints_pagesOldestFirst_withinTheOrganization() {
    List<WebhookEndpointRecord> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(endpoint(ORG, "active", T0.plusSeconds(i % 2))); // ties on created_at
    }
    WebhookEndpointRecord other = endpoint("org_other", "active", T0);
    hooks((WebhookStore w) -> {
      mine.forEach(w::insertEndpoint);
      w.insertEndpoint(other);
      return null;
    });

    List<WebhookEndpointRecord> first = hooks((WebhookStore w) -> w.listEndpoints(ORG, Optional.empty(), 3));
    WebhookEndpointRecord last = first.get(2);
    List<WebhookEndpointRecord> rest = hooks((WebhookStore w) -> w.listEndpoints(ORG,
        Optional.of(new Keyset(last.createdAt(), last.id())), 3));

    List<UUID> all = new ArrayList<>();
    first.forEach(e -> all.add(e.id()));
    rest.forEach(e -> all.add(e.id()));
    assertThat(all).hasSize(5).doesNotHaveDuplicates().doesNotContain(other.id());
    assertThat(first).isSortedAccordingTo((a, b) -> a.createdAt().compareTo(b.createdAt()));
  }

  @Test
  void findEnabledEndpointsOfInbox_returnsTheOwningOrganizationsEndpointsThatAreNotDisabled() {
    WebhookEndpointRecord active = endpoint(ORG, "active", T0);
    WebhookEndpointRecord warning = endpoint(ORG, "warning", T0);
    WebhookEndpointRecord disabled = endpoint(ORG, "disabled", T0);
    WebhookEndpointRecord other = endpoint("org_other", "active", T0);
    insertEndpoints(active, warning, disabled, other);

    assertThat(hooks((WebhookStore w) -> w.findEnabledEndpointsOfInbox(inboxId)))
        .extracting(WebhookEndpointRecord::id)
        .containsExactlyInAnyOrder(active.id(), warning.id());
    assertThat(hooks((WebhookStore w) -> w.findEnabledEndpoints(ORG))).extracting(WebhookEndpointRecord::id)
        .containsExactlyInAnyOrder(active.id(), warning.id());
    assertThat(hooks((WebhookStore w) -> w.findEnabledEndpointsOfInbox(UUID.randomUUID()))).isEmpty();
  }

  @Test
  void findEnabledEndpointsOfInbox_afterARouteLookup_readsWhatTheTransactionWroteSince() {
    // The receive path asks for an inbox's endpoints right after routing to it; a store may read
    // them along with the route lookup, but never answer with rows its own writes changed.
    WebhookEndpointRecord kept = endpoint(ORG, "active", T0);
    WebhookEndpointRecord dropped = endpoint(ORG, "active", T0);
    insertEndpoints(kept, dropped);
    WebhookEndpointRecord added = endpoint(ORG, "active", T0);

    List<WebhookEndpointRecord> seen = in(tx -> {
      assertThat(tx.inboxes().findRouteCandidates("hooks.example.com", List.of("support")))
          .extracting(Inbox::id).containsExactly(inboxId);
      tx.webhooks().insertEndpoint(added);
      tx.webhooks().updateEndpoint(withStatus(kept, "warning", 1), 0);
      tx.webhooks().deleteEndpoint(dropped.id());
      return tx.webhooks().findEnabledEndpointsOfInbox(inboxId);
    });

    assertThat(seen).extracting(WebhookEndpointRecord::id)
        .containsExactlyInAnyOrder(kept.id(), added.id());
    assertThat(seen).filteredOn(e -> e.id().equals(kept.id()))
        .extracting(WebhookEndpointRecord::status).containsExactly("warning");
  }

  @Test
  void deleteEndpoint_removesItAndItsDeliveries() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord d = delivery(e.id(), T0);
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(d));
      return null;
    });

    assertThat(hooks((WebhookStore w) -> w.deleteEndpoint(e.id()))).isTrue();
    assertThat(hooks((WebhookStore w) -> w.deleteEndpoint(e.id()))).isFalse();
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), d.id()))).isEmpty();
  }

  // ---- outbox -------------------------------------------------------------------------------

  @Test
  void nextSequence_countsFromOnePerSubject_andARolledBackNumberIsGivenBack() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    assertThat(hooks((WebhookStore w) -> w.nextSequence(a))).isEqualTo(1);
    assertThat(hooks((WebhookStore w) -> w.nextSequence(a))).isEqualTo(2);
    assertThat(hooks((WebhookStore w) -> w.nextSequence(b))).isEqualTo(1);
    assertThatThrownBy(() -> hooks((WebhookStore w) -> {
      w.nextSequence(a);
      throw new IllegalStateException("roll back");
    })).hasMessage("roll back");
    assertThat(hooks((WebhookStore w) -> w.nextSequence(a))).isEqualTo(3);
  }

  @Test
  void insertDeliveries_inARolledBackTransaction_leavesNothing() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    insertEndpoints(e);
    WebhookDeliveryRecord d = delivery(e.id(), T0);

    assertThatThrownBy(() -> hooks((WebhookStore w) -> {
      w.insertDeliveries(List.of(d));
      throw new IllegalStateException("roll back");
    })).hasMessage("roll back");

    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), d.id()))).isEmpty();
  }

  @Test
  void insertDeliveries_thenFind_returnsEveryField_andPayloadIsTheSameJson() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord d = delivery(e.id(), T0);
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(d));
      return null;
    });

    WebhookDeliveryRecord found = hooks((WebhookStore w) -> w.findDelivery(Scope.all(), d.id())).orElseThrow();
    assertThat(found).usingRecursiveComparison().ignoringFields("payload").isEqualTo(d);
    assertThat(Json.tree(found.payload())).isEqualTo(Json.tree(d.payload()));
  }

  @Test
  void listDeliveries_newestFirst_filteredByStatusAndType_pagedByKeyset() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    List<WebhookDeliveryRecord> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WebhookDeliveryRecord d = delivery(e.id(), T0.plusSeconds(i));
      rows.add(i % 2 == 0 ? d : settled(d, "failed", d.nextAttemptAt()));
    }
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(rows);
      return null;
    });

    List<WebhookDeliveryRecord> failed = hooks((WebhookStore w) -> w.listDeliveries(e.id(),
        Optional.of("failed"), Optional.of("message.received"), Optional.empty(), 2));
    WebhookDeliveryRecord last = failed.get(1);
    List<WebhookDeliveryRecord> next = hooks((WebhookStore w) -> w.listDeliveries(e.id(),
        Optional.of("failed"), Optional.empty(), Optional.of(new Keyset(last.createdAt(),
            last.id())), 10));

    assertThat(failed).extracting(WebhookDeliveryRecord::id)
        .containsExactly(rows.get(5).id(), rows.get(3).id());
    assertThat(next).extracting(WebhookDeliveryRecord::id).containsExactly(rows.get(1).id());
    assertThat(hooks((WebhookStore w) -> w.listDeliveries(e.id(), Optional.empty(), Optional.of("message.sent"),
        Optional.empty(), 10))).isEmpty();
  }

  // ---- dispatch -----------------------------------------------------------------------------

  @Test
  void claimDue_takesDuePendingRowsOfEnabledEndpoints_earliestFirst_andLeasesThem() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookEndpointRecord off = endpoint(ORG, "disabled", T0);
    WebhookEndpointRecord busy = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord early = delivery(e.id(), T0.minusSeconds(10));
    WebhookDeliveryRecord due = delivery(e.id(), T0);
    WebhookDeliveryRecord later = delivery(e.id(), T0.plusSeconds(1));
    WebhookDeliveryRecord done = settled(delivery(e.id(), T0.minusSeconds(20)), "delivered",
        T0.minusSeconds(20));
    WebhookDeliveryRecord ofDisabled = delivery(off.id(), T0);
    WebhookDeliveryRecord ofBusy = delivery(busy.id(), T0);
    hooks((WebhookStore w) -> {
      List.of(e, off, busy).forEach(w::insertEndpoint);
      w.insertDeliveries(List.of(early, due, later, done, ofDisabled, ofBusy));
      return null;
    });
    Instant lease = T0.plusSeconds(120);

    List<WebhookDeliveryRecord> claimed = hooks((WebhookStore w) -> w.claimDue(T0, "a", lease,
        List.of(busy.id()), 10));

    assertThat(claimed).extracting(WebhookDeliveryRecord::id)
        .containsExactlyInAnyOrder(early.id(), due.id());
    assertThat(claimed).allSatisfy(c -> {
      assertThat(c.leaseOwner()).contains("a");
      assertThat(c.nextAttemptAt()).isEqualTo(lease);
      assertThat(c.lastAttemptAt()).contains(T0);
      assertThat(c.attempts()).isEqualTo(1);
      assertThat(c.version()).isEqualTo(1);
      assertThat(c.status()).isEqualTo("pending");
    });
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), due.id()))).get()
        .isIn(claimed);
    assertThat(hooks((WebhookStore w) -> w.claimDue(T0, "b", lease, List.of(busy.id()), 1)))
        .isEmpty(); // what is left is not due yet, leased, finished or disabled
  }

  @Test
  void claimDue_withALimit_takesTheEarliestDue() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord first = delivery(e.id(), T0.minusSeconds(30));
    WebhookDeliveryRecord second = delivery(e.id(), T0.minusSeconds(20));
    WebhookDeliveryRecord third = delivery(e.id(), T0.minusSeconds(10));
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(third, first, second));
      return null;
    });

    assertThat(hooks((WebhookStore w) -> w.claimDue(T0, "a", T0.plusSeconds(60), List.of(), 2)))
        .extracting(WebhookDeliveryRecord::id)
        .containsExactlyInAnyOrder(first.id(), second.id());
  }

  @Test
  void claimDue_leavesALeasedRowAlone_untilTheLeaseRunsOut() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord d = delivery(e.id(), T0);
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(d));
      return null;
    });
    Instant leaseEnd = T0.plusSeconds(60);
    hooks((WebhookStore w) -> w.claimDue(T0, "a", leaseEnd, List.of(), 10));

    assertThat(hooks((WebhookStore w) -> w.claimDue(T0.plusSeconds(59), "b", T0.plusSeconds(200), List.of(),
        10))).isEmpty();
    List<WebhookDeliveryRecord> retaken = hooks((WebhookStore w) -> w.claimDue(leaseEnd, "b",
        T0.plusSeconds(200), List.of(), 10));
    assertThat(retaken).singleElement().satisfies(c -> {
      assertThat(c.leaseOwner()).contains("b");
      assertThat(c.attempts()).isEqualTo(2);
      assertThat(c.version()).isEqualTo(2);
    });
  }

  @Test
  void updateDelivery_byAWorkerWhoseLeaseWasTakenOver_changesNothing() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord d = delivery(e.id(), T0);
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(d));
      return null;
    });
    WebhookDeliveryRecord byA = hooks((WebhookStore w) -> w.claimDue(T0, "a", T0.plusSeconds(60), List.of(),
        1)).get(0);
    WebhookDeliveryRecord byB = hooks((WebhookStore w) -> w.claimDue(T0.plusSeconds(61), "b",
        T0.plusSeconds(200), List.of(), 1)).get(0);

    boolean lateA = hooks((WebhookStore w) -> w.updateDelivery(settled(byA, "failed", byA.nextAttemptAt()),
        byA.version()));
    boolean b = hooks((WebhookStore w) -> w.updateDelivery(settled(byB, "delivered", byB.nextAttemptAt()),
        byB.version()));

    assertThat(lateA).isFalse();
    assertThat(b).isTrue();
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), d.id()))).get()
        .extracting(WebhookDeliveryRecord::status).isEqualTo("delivered");
  }

  @Test
  void updateDeliveries_writesEachRowHeldAtItsVersion_andKeepsTheEventFields() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord one = delivery(e.id(), T0);
    WebhookDeliveryRecord two = delivery(e.id(), T0.minusSeconds(1));
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(one, two));
      return null;
    });
    List<WebhookDeliveryRecord> claimed = hooks((WebhookStore w) -> w.claimDue(T0, "a",
        T0.plusSeconds(60), List.of(), 2));
    WebhookDeliveryRecord first = claimed.get(0);
    WebhookDeliveryRecord second = claimed.get(1);
    WebhookDeliveryRecord tampered = new WebhookDeliveryRecord(first.id(), first.endpointId(),
        UUID.randomUUID(), "thread.deleted", "{\"changed\":true}", "delivered",
        first.attempts(), first.nextAttemptAt(), Optional.empty(), Optional.empty(),
        first.lastAttemptAt(), T0.plusSeconds(999), first.version() + 1);

    List<Boolean> written = hooks((WebhookStore w) -> w.updateDeliveries(
        List.of(tampered, settled(second, "pending", T0.plusSeconds(5))),
        List.of(first.version(), second.version() - 1)));

    assertThat(written).containsExactly(true, false);
    WebhookDeliveryRecord stored = hooks((WebhookStore w) -> w.findDelivery(Scope.all(), first.id())).orElseThrow();
    assertThat(stored.status()).isEqualTo("delivered");
    assertThat(stored.version()).isEqualTo(first.version() + 1);
    assertThat(stored.eventId()).isEqualTo(first.eventId());
    assertThat(stored.eventType()).isEqualTo("message.received");
    assertThat(stored.payload()).contains(first.id().toString());
    assertThat(stored.createdAt()).isEqualTo(first.createdAt());
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), second.id()))).get()
        .extracting(WebhookDeliveryRecord::version).isEqualTo(second.version());
  }

  @Test
  void deleteFinishedDeliveries_deletesOldDeliveredAndFailed_oldestFirst_upToTheLimit() {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    WebhookDeliveryRecord oldest = withStatus(delivery(e.id(), T0.minusSeconds(300)), "failed");
    WebhookDeliveryRecord old = withStatus(delivery(e.id(), T0.minusSeconds(200)), "delivered");
    WebhookDeliveryRecord oldPending = delivery(e.id(), T0.minusSeconds(250));
    WebhookDeliveryRecord recent = withStatus(delivery(e.id(), T0), "delivered");
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(List.of(oldest, old, oldPending, recent));
      return null;
    });

    int first = hooks((WebhookStore w) -> w.deleteFinishedDeliveries(T0.minusSeconds(100), 1));
    assertThat(first).isEqualTo(1);
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), oldest.id()))).isEmpty();
    assertThat(hooks((WebhookStore w) -> w.deleteFinishedDeliveries(T0.minusSeconds(100), 10)))
        .isEqualTo(1);
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), old.id()))).isEmpty();
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), oldPending.id()))).isPresent();
    assertThat(hooks((WebhookStore w) -> w.findDelivery(Scope.all(), recent.id()))).isPresent();
  }

  @Test
  void findEndpoints_returnsThoseThatExist() {
    WebhookEndpointRecord a = endpoint(ORG, "active", T0);
    WebhookEndpointRecord b = endpoint(ORG, "disabled", T0);
    insertEndpoints(a, b);

    assertThat(hooks((WebhookStore w) -> w.findEndpoints(List.of(a.id(), b.id(),
        UUID.randomUUID())))).extracting(WebhookEndpointRecord::id)
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(hooks((WebhookStore w) -> w.findEndpoints(List.of()))).isEmpty();
  }

  @Test
  void claimDue_fromConcurrentDispatchers_neverHandsOneRowToTwo() throws Exception {
    WebhookEndpointRecord e = endpoint(ORG, "active", T0);
    List<WebhookDeliveryRecord> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(delivery(e.id(), T0.minusSeconds(i)));
    }
    hooks((WebhookStore w) -> {
      w.insertEndpoint(e);
      w.insertDeliveries(rows);
      return null;
    });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<UUID>>> claimers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String owner = "owner-" + c;
        claimers.add(() -> {
          List<UUID> mine = new ArrayList<>();
          for (int round = 0; round < 10; round++) {
            hooks((WebhookStore w) -> w.claimDue(T0, owner, T0.plusSeconds(600), List.of(), 3))
                .forEach(d -> mine.add(d.id()));
          }
          return mine;
        });
      }
      List<UUID> all = Collections.synchronizedList(new ArrayList<>());
      for (Future<List<UUID>> f : pool.invokeAll(claimers)) {
        all.addAll(f.get());
      }
      Set<UUID> distinct = new HashSet<>(all);
      assertThat(all).hasSize(distinct.size()).hasSize(60);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Stores endpoints in one transaction. */
  private void insertEndpoints(WebhookEndpointRecord... endpoints) {
    hooks((WebhookStore w) -> {
      for (WebhookEndpointRecord e : endpoints) {
        w.insertEndpoint(e);
      }
      return null;
    });
  }

  private <T> T in(Function<dev.mailcore.spi.StoreTransaction, T> work) {
    return store.inTransaction(work);
  }

  private <T> T hooks(Function<WebhookStore, T> work) {
    return store.inTransaction(tx -> work.apply(tx.webhooks()));
  }

  private static WebhookEndpointRecord endpoint(String org, String status, Instant createdAt) {
    return new WebhookEndpointRecord(UUID.randomUUID(), org, "https://hooks.example.net/" + org,
        "whsec_c2VjcmV0", Optional.empty(), Optional.empty(), List.of("message.received"),
        Optional.empty(), Optional.empty(), status, 0, Optional.empty(), Optional.empty(),
        createdAt, createdAt, 0);
  }

  private static WebhookEndpointRecord withStatus(WebhookEndpointRecord e, String status,
      long version) {
    return new WebhookEndpointRecord(e.id(), e.organizationId(), e.url(), e.secret(),
        e.previousSecret(), e.previousSecretExpiresAt(), e.events(), e.inboxIds(),
        e.description(), status, e.failureCount() + 1, e.lastSuccessAt(),
        Optional.of(T0.plus(Duration.ofSeconds(3))), e.createdAt(), e.updatedAt(), version);
  }

  private static WebhookDeliveryRecord delivery(UUID endpointId, Instant at) {
    UUID id = UUID.randomUUID();
    return new WebhookDeliveryRecord(id, endpointId, UUID.randomUUID(), "message.received",
        "{\"id\":\"" + id + "\",\"type\":\"message.received\",\"data\":{\"n\":[1,2]}}",
        "pending", 0, at, Optional.empty(), Optional.empty(), Optional.empty(), at, 0);
  }

  private static WebhookDeliveryRecord withStatus(WebhookDeliveryRecord d, String status) {
    return new WebhookDeliveryRecord(d.id(), d.endpointId(), d.eventId(), d.eventType(),
        d.payload(), status, 1, d.nextAttemptAt(), Optional.empty(), Optional.empty(),
        Optional.of(d.createdAt()), d.createdAt(), 1);
  }

  private static WebhookDeliveryRecord settled(WebhookDeliveryRecord d, String status,
      Instant next) {
    return new WebhookDeliveryRecord(d.id(), d.endpointId(), d.eventId(), d.eventType(),
        d.payload(), status, d.attempts(), next, Optional.empty(),
        Optional.of("HTTP 500"), d.lastAttemptAt(), d.createdAt(), d.version() + 1);
  }

  /** JSON comparison that ignores formatting and key order (PostgreSQL keeps JSONB). */
  private static final class Json {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
      try {
        return MAPPER.readTree(json);
      } catch (java.io.IOException e) {
        throw new AssertionError("not JSON: " + json, e);
      }
    }
  }

  // ---- scope (ADR 0016) -----------------------------------------------------------------------

  @Test
  void findEndpoint_findDelivery_inAScope_returnOnlyThatOrganizationsRows() {
    WebhookEndpointRecord mine = endpoint(ORG, "active", T0);
    WebhookEndpointRecord theirs = endpoint("org_other", "active", T0);
    WebhookDeliveryRecord d = delivery(mine.id(), T0);
    hooks((WebhookStore w) -> {
      w.insertEndpoint(mine);
      w.insertEndpoint(theirs);
      w.insertDeliveries(List.of(d));
      return null;
    });
    Scope own = Scope.organization(ORG);
    Scope other = Scope.organization("org_other");

    assertThat(hooks((WebhookStore w) -> w.findEndpoint(own, mine.id()))).contains(mine);
    assertThat(hooks((WebhookStore w) -> w.findEndpoint(other, mine.id()))).isEmpty();
    assertThat(hooks((WebhookStore w) -> w.findEndpoint(other, theirs.id()))).contains(theirs);
    assertThat(hooks((WebhookStore w) -> w.findDelivery(own, d.id()))).isPresent();
    assertThat(hooks((WebhookStore w) -> w.findDelivery(other, d.id()))).isEmpty();
  }
}
