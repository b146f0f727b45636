package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.StoreTransaction;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.DeliveryEventStore} must have.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class DeliveryEventStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected DeliveryEventStoreContract() {}


  @Test
  void listDeliveryEvents_returnsEventsInTimeOrderThenId_perMessage() {
    World w = world();
    EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);
    EmailMessage m = storeMessage(msg(thread, "out@acme.test"));
    EmailMessage other = storeMessage(msg(thread, "out2@acme.test"));
    DeliveryEventRecord sent = new DeliveryEventRecord(UUID.randomUUID(), m.id(),
        Optional.of("ses-1"), "sent", Optional.empty(), "{}", at(1));
    DeliveryEventRecord bounced = new DeliveryEventRecord(orderedId('f', 1), m.id(),
        Optional.of("ses-1"), "bounced", Optional.of("550 5.1.1 user unknown"),
        "{\"recipients\":[{\"address\":\"x@example.com\",\"status\":\"bounced\"}],"
            + "\"bounceType\":\"Permanent\"}", at(3));
    DeliveryEventRecord delivered = new DeliveryEventRecord(orderedId('0', 2), m.id(),
        Optional.empty(), "delivered", Optional.empty(),
        "{\"recipients\":[{\"address\":\"y@example.com\"}]}", at(3));
    DeliveryEventRecord otherEvent = new DeliveryEventRecord(UUID.randomUUID(), other.id(),
        Optional.empty(), "pending", Optional.empty(), "{}", at(0));
    run(t -> {
      t.deliveryEvents().insert(bounced);
      t.deliveryEvents().insert(delivered);
      t.deliveryEvents().insert(sent);
      t.deliveryEvents().insert(otherEvent);
    });

    List<DeliveryEventRecord> events = tx(t -> t.deliveryEvents().list(m.id()));
    assertThat(events).extracting(DeliveryEventRecord::id)
        .containsExactly(sent.id(), delivered.id(), bounced.id());
    List<DeliveryEventRecord> expected = List.of(sent, delivered, bounced);
    for (int i = 0; i < expected.size(); i++) {
      DeliveryEventRecord e = expected.get(i);
      DeliveryEventRecord a = events.get(i);
      assertThat(a.messageId()).isEqualTo(e.messageId());
      assertThat(a.providerMessageId()).isEqualTo(e.providerMessageId());
      assertThat(a.status()).isEqualTo(e.status());
      assertThat(a.reason()).isEqualTo(e.reason());
      assertThat(a.createdAt()).isEqualTo(e.createdAt());
      // JSON is compared as JSON: a jsonb column may reformat it
      assertSameJson(a.detailsJson(), e.detailsJson());
    }
    assertThat(tx(
        (StoreTransaction t) -> t.deliveryEvents().list(other.id())))
            .extracting(DeliveryEventRecord::id)
        .containsExactly(otherEvent.id());
    assertThat(tx((StoreTransaction t) -> t.deliveryEvents().list(UUID.randomUUID()))).isEmpty();
  }
}
