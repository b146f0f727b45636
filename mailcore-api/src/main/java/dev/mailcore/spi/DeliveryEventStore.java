package dev.mailcore.spi;

import java.util.List;
import java.util.UUID;

/**
 * Delivery event rows, inside one {@link StoreTransaction}. Not thread-safe (see there).
 */
public interface DeliveryEventStore {

  /**
   * Stores a delivery event.
   *
   * @param event the event
   */
  void insert(DeliveryEventRecord event);

  /**
   * Lists a message's delivery events in the order they happened (created_at, then id).
   *
   * @param messageId mailcore's message id
   * @return the events
   */
  List<DeliveryEventRecord> list(UUID messageId);
}
