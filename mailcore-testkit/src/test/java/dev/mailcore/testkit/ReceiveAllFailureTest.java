package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailMessage;
import dev.mailcore.InboundMail;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.StorageException;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.MessageStore;
import dev.mailcore.spi.NewMessage;
import dev.mailcore.spi.StoreTransaction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * How {@code receiveAll} behaves when the store fails part-way through the batch transaction:
 * a transient failure retries the batch, and a failure one message causes is isolated to it.
 * The failures are injected at the SPI boundary of the in-memory store, so the transaction really
 * rolls back.
 */
class ReceiveAllFailureTest {
  private static final String SUPPORT = "support@acme.test";

  /**
   * A store whose {@code messages().insert} and {@code insertAll} throw for the messages
   * {@code fails} picks.
   */
  private static final class FailingStore implements MailStore {
    private final InMemoryMailStore delegate = new InMemoryMailStore();
    private final Predicate<EmailMessage> fails;
    private final boolean retryable;
    final AtomicInteger failures = new AtomicInteger();

    FailingStore(Predicate<EmailMessage> fails, boolean retryable) {
      this.fails = fails;
      this.retryable = retryable;
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
      return delegate.inTransaction(tx -> work.apply(proxy(StoreTransaction.class, tx,
          (method, args) -> method.getName().equals("messages")
              ? proxy(MessageStore.class, tx.messages(), (m, a) -> {
                // receiveAll writes a batch with insertAll, a single message with insert
                List<EmailMessage> written = switch (m.getName()) {
                  case "insert" -> List.of((EmailMessage) a[0]);
                  case "insertAll" -> ((List<?>) a[0]).stream()
                      .map(n -> ((NewMessage) n).message()).toList();
                  default -> List.of();
                };
                for (EmailMessage e : written) {
                  if (fails.test(e)) {
                    failures.incrementAndGet();
                    throw new StorageException("injected failure for " + e, retryable, null);
                  }
                }
                return null;
              })
              : null)));
    }

    /** Delegates every call to {@code target} unless {@code override} returns a value. */
    private static <T> T proxy(Class<T> type, T target, Intercept override) {
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          (proxy, method, args) -> {
            Object replaced = override.call(method, args);
            if (replaced != null) {
              return replaced;
            }
            try {
              return method.invoke(target, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }));
    }

    /** A call to intercept: a non-null result replaces the delegate's. */
    @FunctionalInterface
    private interface Intercept {
      Object call(java.lang.reflect.Method method, Object[] args);
    }

    @Override
    public void close() {}
  }

  private static MailCore mailCore(MailStore store) {
    MailCore mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).build();
    var domain = mail.domains().create("org", "acme.test");
    mail.mailboxes().create(domain.id(), InboxSpec.of("support", "Support"));
    return mail;
  }

  private static InboundMail message(String id) {
    return InboundMail.of(TestEmail.builder().to(SUPPORT).subject("Subject " + id)
        .messageId("<" + id + "@example.com>").bytes(), SUPPORT);
  }

  @Test
  void messageThatFailsTheTransaction_failsAlone_othersAreStored() {
    FailingStore store = new FailingStore(
        m -> m.messageId().value().equals("poison@example.com"), false);
    try (MailCore mail = mailCore(store)) {
      List<ReceiveOutcome> outcomes = mail.mailboxes().receiveAll(List.of(
          message("a"), message("poison"), message("b")));

      assertThat(outcomes.get(0)).isInstanceOf(ReceiveOutcome.Received.class);
      assertThat(outcomes.get(2)).isInstanceOf(ReceiveOutcome.Received.class);
      assertThat(outcomes.get(1)).isInstanceOfSatisfying(ReceiveOutcome.Failed.class, f -> {
        assertThat(f.error()).isInstanceOf(StorageException.class)
            .hasMessageContaining("poison@example.com");
        assertThat(f.error().retryable()).isFalse();
      });
      var inbox = mail.mailboxes().byAddress(SUPPORT).orElseThrow();
      assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items())
          .extracting(t -> t.subject()).containsExactlyInAnyOrder("Subject a", "Subject b");
    }
  }

  @Test
  void transientFailure_retriesTheWholeBatch_andStoresEveryMessageOnce() {
    AtomicInteger calls = new AtomicInteger();
    FailingStore store = new FailingStore(m -> calls.incrementAndGet() == 2, true);
    try (MailCore mail = mailCore(store)) {
      List<ReceiveOutcome> outcomes = mail.mailboxes().receiveAll(List.of(
          message("a"), message("b"), message("c")));

      assertThat(store.failures).hasValue(1);
      assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
          ReceiveOutcome.Received.class,
          r -> assertThat(r.result().deliveries().get(0).duplicate()).isFalse()));
      var inbox = mail.mailboxes().byAddress(SUPPORT).orElseThrow();
      assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items())
          .hasSize(3).allSatisfy(t -> assertThat(t.messageCount()).isEqualTo(1));
    }
  }
}
