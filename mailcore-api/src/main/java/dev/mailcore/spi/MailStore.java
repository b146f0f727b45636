package dev.mailcore.spi;

import java.util.function.Function;

/**
 * Where mailcore keeps its rows: domains, inboxes, threads, messages (with recipients,
 * references, attachments), delivery events, suppressions and send idempotency keys.
 *
 * <p>All reads and writes happen inside {@link #inTransaction(Function)}: the work sees a
 * consistent view and its writes become visible together or not at all. Implementations must be
 * thread-safe; each call to {@code inTransaction} may run on a different thread, and many run at
 * once.
 *
 * <p>Failures of the underlying storage surface as {@link dev.mailcore.StorageException} (with
 * {@code retryable()} set for transient causes). Any exception thrown by the work rolls the
 * transaction back and propagates unchanged.
 */
public interface MailStore extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction and commits if it returns normally.
   *
   * @param work the work; must not keep the transaction after it returns
   * @param <T> the result type
   * @return what {@code work} returned
   * @throws dev.mailcore.StorageException if the storage fails or the commit fails
   */
  <T> T inTransaction(Function<StoreTransaction, T> work);

  /**
   * Releases resources this store created itself (for example a connection pool built from a
   * JDBC URL). Resources passed in by the host are not closed. Idempotent.
   */
  @Override
  void close();
}
