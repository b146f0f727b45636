package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Domain;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.StoreTransaction} must have as a whole: an
 * exception from the work rolls back every store's writes, and the per-inbox lock serializes.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class StoreTransactionContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected StoreTransactionContract() {}

  private World w;
  private EmailThread thread;
  private EmailMessage message;

  @BeforeEach
  void arrange() {
    w = world();
    thread = newThread(w.inbox().id(), "Hello", T0);
    message = storeMessage(msg(thread, "existing@example.com"));
    run(t -> t.suppressions().upsert(new Suppression("kept@example.com", SuppressionReason.BOUNCE,
        Optional.empty(), T0)));
  }

  private void assertRolledBack(Consumer<StoreTransaction> write) {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> store.inTransaction(t -> {
      write.accept(t);
      throw boom;
    })).isSameAs(boom);
  }

  @Test
  void rollback_insertDomain() {
    Domain d = domain("org_a", "new.test", T0);
    assertRolledBack(t -> assertThat(t.domains().insert(d)).isTrue());
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), d.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "new.test"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().insert(d))).isTrue();
  }

  @Test
  void rollback_updateDomain() {
    assertRolledBack(t -> t.domains().update(deleted(w.domain(), at(1))));
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), w.domain().id()))).contains(w.domain());
  }

  @Test
  void rollback_insertAndUpdateInbox() {
    Inbox i = inbox(w.domain().id(), "sales", true, T0);
    assertRolledBack(t -> {
      assertThat(t.inboxes().insert(i)).isTrue();
      assertThat(t.inboxes().update(changed(w.inbox(), "renamed", false))).isTrue();
    });
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), i.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(w.domain().name(), List.of()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), w.inbox().id()))).contains(w.inbox());
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), w.domain().id(), "renamed"))).isEmpty();
  }

  @Test
  void rollback_insertAndUpdateThread() {
    EmailThread t2 = thread(w.inbox().id(), "New", at(1));
    EmailMessage m = msg(t2, "new-thread@example.com").build();
    assertRolledBack(t -> {
      assertThat(t.messages().insert(m, Set.of(), ThreadChange.start(t2))).isTrue();
      t.threads().update(deleted(counted(thread, 9, at(9)), at(9)));
    });
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t2.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), thread.id()))).contains(thread);
  }

  @Test
  void rollback_insertMessage_withThreadInSameTransaction() {
    EmailThread t2 = thread(w.inbox().id(), "New", at(1));
    Msg m = msg(t2, "new@example.com").inReplyTo("p@example.com");
    m.attachments = List.of(new EmailAttachment(UUID.randomUUID(), "a.txt", "text/plain", 1,
        "k/a.txt", Optional.empty(), false));
    EmailMessage built = m.build();
    assertRolledBack(t -> {
      assertThat(t.messages().insert(built, Set.of("p@example.com"), ThreadChange.start(t2)))
          .isTrue();
      assertThat(t.messages().insert(msg(thread, "second@example.com").build(), Set.of(),
          ThreadChange.update(counted(thread, 2, at(5))))).isTrue();
    });
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), built.id()))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), built.messageId())))
            .isEmpty();
    // nothing names p@example.com any more: the rolled-back message left no References row
    assertThat(tx((StoreTransaction t) -> t.messages().findLinkedThreads(w.inbox().id(),
        new MessageId("p@example.com"), List.of()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t2.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), thread.id()))).contains(thread);
    // the Message-ID is free again: the failed insert left no unique-key residue
    assertThat(tx((StoreTransaction t) ->
        t.messages().insert(built, Set.of(), ThreadChange.start(t2)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), built.id()))).contains(built);
  }

  @Test
  void rollback_setProviderMessageId() {
    assertRolledBack(t -> t.messages().setProviderMessageId(message.id(), "ses-rolled-back"));
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByProviderMessageId("ses-rolled-back"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), message.id()))).contains(message);
  }

  @Test
  void rollback_insertDeliveryEvent() {
    assertRolledBack(t -> t.deliveryEvents().insert(new DeliveryEventRecord(UUID.randomUUID(),
        message.id(), Optional.empty(), "sent", Optional.empty(), "{}", T0)));
    assertThat(tx((StoreTransaction t) -> t.deliveryEvents().list(message.id()))).isEmpty();
  }

  @Test
  void rollback_suppressionWrites() {
    assertRolledBack(t -> {
      t.suppressions().upsert(new Suppression("new@example.com", SuppressionReason.MANUAL,
          Optional.empty(), T0));
      assertThat(t.suppressions().delete("kept@example.com")).isTrue();
    });
    assertThat(tx((StoreTransaction t) -> t.suppressions().list(Optional.empty(), 10)))
        .extracting(Suppression::address).containsExactly("kept@example.com");
  }

  @Test
  void rollback_idempotencyWrites() {
    IdempotencyRecord k = new IdempotencyRecord(w.inbox().id(), "k", message.id(), T0);
    run(t -> t.idempotency().insert(new IdempotencyRecord(w.inbox().id(), "old", message.id(),
        T0)));
    assertRolledBack(t -> {
      assertThat(t.idempotency().insert(k)).isTrue();
      assertThat(t.idempotency().replace(new IdempotencyRecord(w.inbox().id(), "old",
          message.id(), at(5)), T0)).isTrue();
    });
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "k"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "old")))
        .hasValueSatisfying(r -> assertThat(r.createdAt()).isEqualTo(T0));
  }

  @Test
  void transaction_seesItsOwnWrites_andCommitsThemTogether() {
    EmailThread t2 = thread(w.inbox().id(), "New", at(1));
    EmailMessage m = msg(t2, "together@example.com").build();
    List<Object> inside = tx(t -> {
      t.messages().insert(m, Set.of(), ThreadChange.start(t2));
      return List.of(t.threads().find(Scope.all(), t2.id()), t.messages().find(Scope.all(), m.id()),
          t.threads().list(Scope.all(), w.inbox().id(), Optional.empty(), 10).size());
    });
    assertThat(inside).containsExactly(Optional.of(t2), Optional.of(m), 2);
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t2.id()))).contains(t2);
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).contains(m);
  }

  private static final int WORKERS = 2;
  private static final int ROUNDS = 100;

  private <T> List<T> race(int workers, Callable<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      CyclicBarrier start = new CyclicBarrier(workers);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return work.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lockInbox_serializesReadModifyWrite_noLostUpdates() throws Exception {
    // the domain and inbox of arrange()
    EmailThread counter = storeThread(w.inbox().id(), "counter", T0);
    run(t -> t.threads().update(counted(counter, 0, T0)));

    race(WORKERS, () -> {
      for (int i = 0; i < ROUNDS; i++) {
        run(t -> {
          t.lockInbox(w.inbox().id());
          EmailThread current = t.threads().find(Scope.all(), counter.id()).orElseThrow();
          t.threads().update(counted(current, current.messageCount() + 1, current.updatedAt()));
        });
      }
      return null;
    });

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), counter.id()))).hasValueSatisfying(
        t -> assertThat(t.messageCount()).isEqualTo(WORKERS * ROUNDS));
  }

  @Test
  void lockInbox_severalInboxesInOneTransaction_holdsEveryLock_noLostUpdates() throws Exception {
    // A receive batch locks every inbox it writes, in id order, before its first read (a store
    // may send them together with that read, ADR 0008). One worker locks both inboxes and
    // updates a counter in each; the other locks only the second: had the batch not held the
    // second lock, the second counter would lose updates.
    Inbox other = inbox(w.domain().id(), "sales", false, T0);
    run(t -> t.inboxes().insert(other));
    EmailThread first = storeThread(w.inbox().id(), "first", T0);
    EmailThread second = storeThread(other.id(), "second", T0);
    List<UUID> ordered = List.of(w.inbox().id(), other.id()).stream().sorted().toList();
    AtomicInteger roles = new AtomicInteger();

    race(WORKERS, () -> {
      boolean both = roles.getAndIncrement() == 0;
      for (int i = 0; i < ROUNDS; i++) {
        run(t -> {
          if (both) {
            ordered.forEach(t::lockInbox);
            EmailThread a = t.messages().findLinkedThreads(w.inbox().id(),
                new MessageId("lock-new@example.com"),
                List.of(new MessageId("starter-" + first.id().value() + "@contract.invalid")))
                .get(0).thread();
            t.threads().update(counted(a, a.messageCount() + 1, a.updatedAt()));
          } else {
            t.lockInbox(other.id());
          }
          EmailThread b = t.threads().find(Scope.all(), second.id()).orElseThrow();
          t.threads().update(counted(b, b.messageCount() + 1, b.updatedAt()));
        });
      }
      return null;
    });

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), first.id())))
        .hasValueSatisfying(t -> assertThat(t.messageCount()).isEqualTo(1 + ROUNDS));
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), second.id())))
        .hasValueSatisfying(t -> assertThat(t.messageCount()).isEqualTo(1 + 2 * ROUNDS));
  }

  @Test
  void insertMessage_updatingThreadUnderInboxLock_seesCommittedValues_noLostUpdates()
      throws Exception {
    // The engine's write path: lock, read the thread, insert with the computed row. A store that
    // sends the lock with the next statement (ADR 0008) must still let the read see the
    // previous holder's commit.
    // the domain and inbox of arrange()
    EmailThread counter = storeThread(w.inbox().id(), "counter", T0);
    AtomicInteger ids = new AtomicInteger();

    race(WORKERS, () -> {
      for (int i = 0; i < ROUNDS; i++) {
        EmailMessage m = msg(counter, "join-" + ids.incrementAndGet() + "@example.com").build();
        run(t -> {
          t.lockInbox(w.inbox().id());
          EmailThread current = t.messages().findLinkedThreads(w.inbox().id(),
              new MessageId("join-new@example.com"),
              List.of(new MessageId("starter-" + counter.id().value() + "@contract.invalid")))
              .get(0).thread();
          t.messages().insert(m, Set.of(), ThreadChange.update(
              counted(current, current.messageCount() + 1, current.updatedAt())));
        });
      }
      return null;
    });

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), counter.id()))).hasValueSatisfying(
        t -> assertThat(t.messageCount()).isEqualTo(1 + WORKERS * ROUNDS));
  }

  @Test
  void insertMessage_concurrentSameMessageId_exactlyOneWins() throws Exception {
    // the domain and inbox of arrange()
    EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);
    ThreadChange keep = unchanged(thread.id());

    for (int round = 0; round < 10; round++) {
      String mid = "race-" + round + "@example.com";
      List<EmailMessage> candidates = List.of(msg(thread, mid).build(), msg(thread, mid).build());
      AtomicInteger next = new AtomicInteger();
      List<Boolean> results = race(2, () -> {
        EmailMessage m = candidates.get(next.getAndIncrement());
        return tx(t -> t.messages().insert(m, Set.of(), keep));
      });
      assertThat(results).containsExactlyInAnyOrder(true, false);
      assertThat(tx(
          (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), new MessageId(mid))))
          .hasValueSatisfying(m -> assertThat(candidates).contains(m));
    }
  }

  @Test
  void insertIdempotencyKey_concurrentSameKey_exactlyOneWins() throws Exception {
    // the domain and inbox of arrange()
    EmailThread thread = newThread(w.inbox().id(), "Hello", T0);
    EmailMessage a = storeMessage(msg(thread, "a@acme.test"));
    EmailMessage b = storeMessage(msg(thread, "b@acme.test"));

    for (int round = 0; round < 10; round++) {
      String key = "key-" + round;
      List<UUID> candidates = List.of(a.id(), b.id());
      AtomicInteger next = new AtomicInteger();
      List<Boolean> results = race(2, () -> {
        UUID m = candidates.get(next.getAndIncrement());
        return tx(t -> t.idempotency().insert(new IdempotencyRecord(w.inbox().id(), key, m,
            T0)));
      });
      assertThat(results).containsExactlyInAnyOrder(true, false);
      assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), key)))
          .hasValueSatisfying(r -> assertThat(candidates).contains(r.messageId()));
    }
  }

  @Test
  void replaceIdempotencyKey_concurrentSameRow_exactlyOneWins() throws Exception {
    // the domain and inbox of arrange()
    EmailThread thread = newThread(w.inbox().id(), "Hello", T0);
    EmailMessage a = storeMessage(msg(thread, "a@acme.test"));
    EmailMessage b = storeMessage(msg(thread, "b@acme.test"));

    for (int round = 0; round < 10; round++) {
      String key = "key-" + round;
      run(t -> t.idempotency().insert(new IdempotencyRecord(w.inbox().id(), key, a.id(), T0)));
      List<UUID> candidates = List.of(a.id(), b.id());
      AtomicInteger next = new AtomicInteger();
      List<Boolean> results = race(2, () -> {
        int n = next.getAndIncrement();
        return tx(t -> t.idempotency().replace(new IdempotencyRecord(w.inbox().id(), key,
            candidates.get(n), at(10 + n)), T0));
      });
      assertThat(results).containsExactlyInAnyOrder(true, false);
    }
  }
}
