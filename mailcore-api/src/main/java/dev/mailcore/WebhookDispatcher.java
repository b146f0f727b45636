package dev.mailcore;

/**
 * Posts due webhook deliveries. Either {@link #start()} it (background workers poll the outbox)
 * or call {@link #dispatchDue()} from the host's own scheduler. Several dispatchers, in this or
 * other processes on the same store, may run at once: each delivery is claimed with a lease, so
 * no two send it at the same time, and a dispatcher that dies mid-delivery loses its lease and
 * the delivery is retried.
 *
 * <p><b>Order is not promised</b>, neither per endpoint nor per message: retries and parallel
 * workers reorder deliveries. Receivers order by the payload's {@code sequence} (per subject)
 * and drop duplicates by {@code webhook-id}. Delivery is at least once.
 *
 * <p>Thread-safe. Owned by its {@link MailCore}: {@link MailCore#close()} closes it.
 */
public interface WebhookDispatcher extends AutoCloseable {

  /**
   * Starts the background workers ({@link WebhookSettings#workers()} deliveries in flight).
   * Idempotent.
   *
   * @throws IllegalStateException if the dispatcher is closed
   */
  void start();

  /**
   * Attempts every delivery due now, once each, and returns when their attempts are settled
   * (delivered, rescheduled or failed). Usable whether or not {@link #start()} was called.
   *
   * @return the number of attempts made
   * @throws IllegalStateException if the dispatcher is closed
   */
  int dispatchDue();

  /**
   * Stops the workers and abandons attempts in flight (their leases run out and another
   * dispatcher retries them). Idempotent.
   */
  @Override
  void close();
}
