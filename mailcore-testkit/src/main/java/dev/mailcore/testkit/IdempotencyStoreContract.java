package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.StoreTransaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.IdempotencyStore} must have.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class IdempotencyStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected IdempotencyStoreContract() {}

  private World w;
  private EmailMessage first;
  private EmailMessage second;

  @BeforeEach
  void arrange() {
    w = world();
    EmailThread thread = newThread(w.inbox().id(), "Hello", T0);
    first = storeMessage(msg(thread, "send-1@acme.test"));
    second = storeMessage(msg(thread, "send-2@acme.test"));
  }

  private IdempotencyRecord key(UUID inboxId, String key, EmailMessage m, Instant at) {
    return new IdempotencyRecord(inboxId, key, m.id(), at);
  }

  @Test
  void insert_thenFind_roundTrips() {
    IdempotencyRecord k = key(w.inbox().id(), "key-1", first, at(10));
    assertThat(tx((StoreTransaction t) -> t.idempotency().insert(k))).isTrue();

    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-1")))
        .contains(k);
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-2")))
        .isEmpty();
  }

  @Test
  void insert_whenKeyExists_returnsFalseAndKeepsFirst_howeverOld() {
    // expiry is the engine's decision: the store keeps the row until it is replaced
    IdempotencyRecord k = key(w.inbox().id(), "key-1", first, at(10));
    run(t -> t.idempotency().insert(k));

    assertThat(tx((StoreTransaction t) ->
        t.idempotency().insert(key(w.inbox().id(), "key-1", second, at(10_000_000)))))
        .isFalse();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-1")))
        .contains(k);
  }

  @Test
  void replace_whenCreatedAtIsTheExpectedOne_replacesTheRow() {
    run(t -> t.idempotency().insert(key(w.inbox().id(), "key-1", first, at(10))));

    IdempotencyRecord newer = key(w.inbox().id(), "key-1", second, at(100));
    assertThat(tx((StoreTransaction t) -> t.idempotency().replace(newer, at(10)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-1")))
        .contains(newer);
  }

  @Test
  void replace_whenCreatedAtDiffersOrRowMissing_returnsFalseAndChangesNothing() {
    IdempotencyRecord k = key(w.inbox().id(), "key-1", first, at(10));
    run(t -> t.idempotency().insert(k));

    assertThat(tx((StoreTransaction t) -> t.idempotency().replace(
        key(w.inbox().id(), "key-1", second, at(100)), at(10).plus(1, ChronoUnit.MICROS))))
        .isFalse();
    assertThat(tx((StoreTransaction t) -> t.idempotency().replace(
        key(w.inbox().id(), "key-2", second, at(100)), at(10)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-1")))
        .contains(k);
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-2")))
        .isEmpty();
  }

  @Test
  void idempotencyKeys_areScopedPerInbox() {
    Inbox sales = inbox(w.domain().id(), "sales", false, T0);
    run(t -> t.inboxes().insert(sales));
    EmailThread salesThread = newThread(sales.id(), "Hello", T0);
    EmailMessage salesMessage = storeMessage(msg(salesThread, "send-3@acme.test"));

    IdempotencyRecord a = key(w.inbox().id(), "key-1", first, at(1));
    IdempotencyRecord b = key(sales.id(), "key-1", salesMessage, at(1));
    assertThat(tx((StoreTransaction t) -> t.idempotency().insert(a))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.idempotency().insert(b))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(w.inbox().id(), "key-1")))
        .contains(a);
    assertThat(tx((StoreTransaction t) -> t.idempotency().find(sales.id(), "key-1")))
        .contains(b);
  }
}
