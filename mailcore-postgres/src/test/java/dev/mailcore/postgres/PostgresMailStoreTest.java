package dev.mailcore.postgres;

import static dev.mailcore.postgres.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.StorageException;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.ThreadLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Direct tests of the SPI methods against a real PostgreSQL. */
class PostgresMailStoreTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private static PostgresMailStore store;
  private Domain domain;
  private Inbox inbox;

  @BeforeAll
  static void start() {
    store = DB.newStore();
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @BeforeEach
  void seed() {
    domain = Rows.domain("org-1", "d" + UUID.randomUUID().toString().substring(0, 8) + ".test");
    inbox = Rows.inbox(domain.id(), "support", false);
    store.inTransaction(tx -> tx.domains().insert(domain) && tx.inboxes().insert(inbox));
  }

  @Test
  void findDomain_afterInsert_roundTripsEveryField() {
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), domain.id()))).contains(domain);
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), domain.name()))).contains(domain);
  }

  @Test
  void insertDomain_whenActiveNameExists_returnsFalse_butAfterSoftDeleteSucceeds() {
    Domain twin = Rows.domain("org-2", domain.name());
    assertThat(tx((StoreTransaction t) -> t.domains().insert(twin))).isFalse();
    Domain deleted = new Domain(domain.id(), domain.organizationId(), domain.name(),
        domain.sesIdentityArn(), domain.dkimTokens(), domain.fromName(), domain.replyToAddress(),
        domain.bounceAddress(), domain.verification(), domain.createdAt(), at(5),
        Optional.of(at(5)));
    store.inTransaction(t -> {
      t.domains().update(deleted);
      return null;
    });
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), domain.name()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), domain.id()))).contains(deleted);
    assertThat(tx((StoreTransaction t) -> t.domains().insert(twin))).isTrue();
  }

  @Test
  void listDomains_pagesByKeysetWithinOrganization() {
    String org = "org-" + UUID.randomUUID();
    List<Domain> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Domain d = Rows.domain(org, "p" + i + UUID.randomUUID().toString().substring(0, 6) + ".test");
      all.add(d);
      store.inTransaction(t -> t.domains().insert(d));
    }
    all.sort((a, b) -> a.id().compareTo(b.id()) == 0 ? 0
        : a.createdAt().equals(b.createdAt()) ? compareUuidAsPostgres(a.id(), b.id())
            : a.createdAt().compareTo(b.createdAt()));
    List<Domain> first = tx((StoreTransaction t) -> t.domains().list(org, Optional.empty(), 3));
    Domain last = first.get(2);
    List<Domain> second = tx((StoreTransaction t) -> t.domains().list(org,
        Optional.of(new Keyset(last.createdAt(), last.id())), 3));
    assertThat(first).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(second).containsExactlyElementsOf(all.subList(3, 5));
  }

  @Test
  void insertInbox_whenLocalPartOrCatchAllTaken_returnsFalse() {
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(Rows.inbox(domain.id(), "support", false)))).isFalse();
    Inbox catchAll = Rows.inbox(domain.id(), "all", true);
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(catchAll))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(Rows.inbox(domain.id(), "other", true)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of())))
        .containsExactly(catchAll);
    assertThat(tx((StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "support"))).contains(inbox);
  }

  @Test
  void updateInbox_whenLocalPartTaken_returnsFalseAndTransactionStillUsable() {
    Inbox sales = Rows.inbox(domain.id(), "sales", false);
    store.inTransaction(t -> t.inboxes().insert(sales));
    Inbox clash = new Inbox(sales.id(), sales.domainId(), sales.name(), "support", false,
        sales.createdAt(), at(1), Optional.empty());
    boolean updated = store.inTransaction(t -> {
      boolean r = t.inboxes().update(clash);
      assertThat(t.inboxes().find(Scope.all(), sales.id())).contains(sales); // still usable after the conflict
      return r;
    });
    assertThat(updated).isFalse();
    Inbox renamed = new Inbox(sales.id(), sales.domainId(), "Sales", "sales2", false,
        sales.createdAt(), at(2), Optional.empty());
    assertThat(tx((StoreTransaction t) -> t.inboxes().update(renamed))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), sales.id()))).contains(renamed);
  }

  @Test
  void listThreads_newestFirst_keysetPagesWithoutGapsOrRepeats() {
    List<EmailThread> threads = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // two threads share each timestamp: the id breaks the tie
      threads.add(Rows.thread(inbox.id(), "s" + i, at(i / 2)));
    }
    store.inTransaction(t -> {
      for (EmailThread thread : threads) {
        t.messages().insert(Rows.message(inbox.id(), thread.id(), thread.id() + "@x", at(0),
            Optional.empty(), List.of()), Set.of(), ThreadChange.start(thread));
      }
      return null;
    });
    List<EmailThread> seen = new ArrayList<>();
    Optional<Keyset> after = Optional.empty();
    while (true) {
      Optional<Keyset> position = after;
      List<EmailThread> page = tx((StoreTransaction t) -> t.threads().list(Scope.all(), inbox.id(), position, 3));
      seen.addAll(page);
      if (page.size() < 3) {
        break;
      }
      EmailThread last = page.get(page.size() - 1);
      after = Optional.of(new Keyset(last.updatedAt(), last.id().value()));
    }
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).updatedAt()).isBeforeOrEqualTo(seen.get(i - 1).updatedAt());
    }
  }

  @Test
  void insertMessage_roundTripsEveryFieldAndDuplicateReturnsFalse() {
    EmailThread thread = Rows.thread(inbox.id(), "order 42", at(0));
    EmailMessage m = Rows.message(inbox.id(), thread.id(), "a@x", at(0), Optional.of("p@x"),
        List.of("r1@x", "p@x"));
    EmailMessage twin = Rows.message(inbox.id(), thread.id(), "a@x", at(1), Optional.empty(),
        List.of());
    assertThat(tx((StoreTransaction t) -> t.messages().insert(m, Rows.participants(m),
        ThreadChange.start(thread)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.messages().insert(twin, Set.of(),
        ThreadChange.update(thread)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).contains(m);
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), twin.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), inbox.id(), new MessageId("a@x")))).contains(m);
    assertThat(tx((StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), inbox.id(), new MessageId("A@x")))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 10))).containsExactly(m);
  }

  @Test
  void insertMessage_sameMessageIdInTwoInboxes_storesBoth() {
    Inbox sales = Rows.inbox(domain.id(), "sales", false);
    EmailThread t1 = Rows.thread(inbox.id(), "x", at(0));
    EmailThread t2 = Rows.thread(sales.id(), "x", at(0));
    boolean both = store.inTransaction(t -> {
      t.inboxes().insert(sales);
      return t.messages().insert(Rows.message(inbox.id(), t1.id(), "same@x", at(0),
          Optional.empty(), List.of()), Set.of(), ThreadChange.start(t1))
          && t.messages().insert(Rows.message(sales.id(), t2.id(), "same@x", at(0),
              Optional.empty(), List.of()), Set.of(), ThreadChange.start(t2));
    });
    assertThat(both).isTrue();
  }

  @Test
  void threadingLookups_findByMessageIdReferenceAndSubject() {
    EmailThread thread = Rows.thread(inbox.id(), "order 42", at(10));
    EmailMessage child = Rows.message(inbox.id(), thread.id(), "child@x", at(10),
        Optional.of("parent@x"), List.of("root@x"));
    store.inTransaction(t -> t.messages().insert(child, Rows.participants(child),
        ThreadChange.start(thread)));
    List<ThreadLink> known = tx((StoreTransaction t) -> t.messages().findLinkedThreads(inbox.id(),
        new MessageId("new@x"), List.of(new MessageId("child@x"), new MessageId("nope@x"))));
    assertThat(known).containsExactly(
        new ThreadLink(new MessageId("child@x"), true, new MessageId("child@x"), false, thread));
    assertThat(tx((StoreTransaction t) -> t.messages().findLinkedThreads(inbox.id(),
        new MessageId("parent@x"), List.of())))
        .extracting(ThreadLink::thread).containsExactly(thread);
    assertThat(tx((StoreTransaction t) -> t.messages().findLinkedThreads(inbox.id(),
        new MessageId("root@x"), List.of())))
        .extracting(ThreadLink::thread).containsExactly(thread);
    assertThat(tx((StoreTransaction t) -> t.messages().findLinkedThreads(UUID.randomUUID(),
        new MessageId("root@x"), List.of()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(inbox.id(), "order 42", Set.of("ann@example.com"),
        at(0)))).containsExactly(thread);
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(inbox.id(), "order 42", Set.of("cc@other.test"),
        at(0)))).containsExactly(thread);
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(inbox.id(), "order 42", Set.of("x@y.test"),
        at(0)))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(inbox.id(), "order 42", Set.of("ann@example.com"),
        at(11)))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(inbox.id(), "order 42", Set.of(), at(0)))).isEmpty();
  }

  @Test
  void deliveryEvents_andProviderId_roundTrip() {
    EmailThread thread = Rows.thread(inbox.id(), "s", at(0));
    EmailMessage m = Rows.message(inbox.id(), thread.id(), "out@x", at(0), Optional.empty(),
        List.of());
    DeliveryEventRecord sent = new DeliveryEventRecord(UUID.randomUUID(), m.id(),
        Optional.of("ses-1"), "sent", Optional.empty(), "{}", at(1));
    DeliveryEventRecord bounced = new DeliveryEventRecord(UUID.randomUUID(), m.id(),
        Optional.of("ses-1"), "bounced", Optional.of("550 no such user"),
        "{\"recipients\":[{\"address\":\"x@y\",\"status\":\"bounced\"}]}", at(2));
    store.inTransaction(t -> {
      t.messages().insert(m, Set.of(), ThreadChange.start(thread));
      t.messages().setProviderMessageId(m.id(), "ses-1");
      t.deliveryEvents().insert(bounced);
      t.deliveryEvents().insert(sent);
      return null;
    });
    assertThat(tx((StoreTransaction t) -> t.messages().findByProviderMessageId("ses-1"))).contains(
        m.withProviderMessageId(Optional.of("ses-1")));
    List<DeliveryEventRecord> events = tx((StoreTransaction t) -> t.deliveryEvents().list(m.id()));
    assertThat(events).containsExactly(sent, withDetails(bounced, events.get(1).detailsJson()));
    // JSONB keeps JSON's meaning, not its text: key order is PostgreSQL's
    assertThat(json(events.get(1).detailsJson())).isEqualTo(json(bounced.detailsJson()));
  }

  @Test
  void insertDeliveryEvent_whenStatusUnknown_failsWithPurposeAndIsNotRetryable() {
    DeliveryEventRecord bad = new DeliveryEventRecord(UUID.randomUUID(), UUID.randomUUID(),
        Optional.empty(), "exploded", Optional.empty(), "{}", at(0));
    assertThatThrownBy(() -> store.inTransaction(t -> {
      t.deliveryEvents().insert(bad);
      return null;
    })).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.getMessage()).contains("insert delivery event").contains("SQLState 23");
      assertThat(e.retryable()).isFalse();
    });
  }

  @Test
  void suppressions_upsertFindListDelete() {
    String a = "a-" + UUID.randomUUID() + "@x.test";
    String b = "b-" + UUID.randomUUID() + "@x.test";
    Suppression sa = new Suppression(a, SuppressionReason.BOUNCE, Optional.of("550"), at(0));
    Suppression sa2 = new Suppression(a, SuppressionReason.COMPLAINT, Optional.empty(), at(1));
    Suppression sb = new Suppression(b, SuppressionReason.MANUAL, Optional.empty(), at(0));
    store.inTransaction(t -> {
      t.suppressions().upsert(sa);
      t.suppressions().upsert(sb);
      t.suppressions().upsert(sa2);
      return null;
    });
    assertThat(tx((StoreTransaction t) -> t.suppressions().find(List.of(a, b, "none@x.test"))))
        .containsExactlyInAnyOrder(sa2, sb);
    assertThat(tx((StoreTransaction t) -> t.suppressions().list(Optional.of(a), 10))).contains(sb).doesNotContain(sa2);
    assertThat(tx((StoreTransaction t) -> t.suppressions().delete(a))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.suppressions().delete(a))).isFalse();
  }

  @Test
  void idempotencyKeys_firstInsertWins_replaceIsCompareAndSet() {
    UUID m1 = UUID.randomUUID();
    UUID m2 = UUID.randomUUID();
    IdempotencyRecord first = new IdempotencyRecord(inbox.id(), "k", m1, at(0));
    IdempotencyRecord second = new IdempotencyRecord(inbox.id(), "k", m2, at(200));
    assertThat(tx((StoreTransaction t) -> t.idempotency().insert(first))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.idempotency().insert(second))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(inbox.id(), "k"))).contains(first);
    assertThat(tx((StoreTransaction t) -> t.idempotency().replace(second, at(1)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.idempotency().replace(second, at(0)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(inbox.id(), "k"))).contains(second);
  }

  @Test
  void inTransaction_whenWorkThrows_rollsBackAndRethrowsUnchanged() {
    Inbox sales = Rows.inbox(domain.id(), "rolled-back", false);
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertThatThrownBy(() -> store.inTransaction(t -> {
      t.inboxes().insert(sales);
      throw boom;
    })).isSameAs(boom);
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), sales.id()))).isEmpty();
  }

  @Test
  void transaction_usedAfterWorkReturned_isRefused() {
    AtomicReference<StoreTransaction> leaked = new AtomicReference<>();
    store.inTransaction(t -> {
      leaked.set(t);
      return null;
    });
    assertThatThrownBy(() -> leaked.get().inboxes().find(Scope.all(), inbox.id()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static DeliveryEventRecord withDetails(DeliveryEventRecord e, String details) {
    return new DeliveryEventRecord(e.id(), e.messageId(), e.providerMessageId(), e.status(),
        e.reason(), details, e.createdAt());
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T tx(java.util.function.Function<StoreTransaction, T> work) {
    return store.inTransaction(work);
  }

  /** PostgreSQL orders UUIDs by their bytes, unsigned; Java's compareTo is signed. */
  private static int compareUuidAsPostgres(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
