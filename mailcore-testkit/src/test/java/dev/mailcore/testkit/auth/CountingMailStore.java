package dev.mailcore.testkit.auth;

import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.StoreTransaction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A real store that counts its transactions: how many round trips an operation costs. */
final class CountingMailStore implements MailStore {
  private final MailStore delegate;
  final AtomicInteger transactions = new AtomicInteger();

  CountingMailStore(MailStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> T inTransaction(Function<StoreTransaction, T> work) {
    transactions.incrementAndGet();
    return delegate.inTransaction(work);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
