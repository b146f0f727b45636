package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.MessageId;
import dev.mailcore.internal.engine.MessageDraft;
import dev.mailcore.internal.engine.MessageWriter;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two application instances (two MailCore, each with its own pool) on one database, receiving a
 * burst of replies to one conversation from 8 threads, every message delivered twice.
 */
class ConcurrencyTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  /**
   * Two application instances (each its own store and pool, each its own engine writer) on one
   * database; 8 threads deliver a conversation (root plus 15 replies, each answering the
   * previous) in random order, every message twice. Drives the engine's {@link MessageWriter}
   * (dedupe, threading, thread update, insert in one transaction under the inbox lock) directly,
   * without the MIME parser; the next test does the same through receive().
   */
  @Test
  void write_burstOfRepliesFromTwoInstances_endsInOneThreadWithoutDuplicates() throws Exception {
    try (PostgresMailStore storeA = ownPoolStore(); PostgresMailStore storeB = ownPoolStore()) {
      MessageWriter writerA = new MessageWriter(new ThreadResolver(Duration.ofDays(30)));
      MessageWriter writerB = new MessageWriter(new ThreadResolver(Duration.ofDays(30)));
      Domain domain = Rows.domain("org-1", "acme.test");
      Inbox inbox = Rows.inbox(domain.id(), "support", false);
      storeA.inTransaction(tx -> tx.domains().insert(domain) && tx.inboxes().insert(inbox));

      int count = 16;
      List<Runnable> deliveries = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        int n = k;
        deliveries.add(() -> deliver(storeA, writerA, draft(inbox.id(), n)));
        deliveries.add(() -> deliver(storeB, writerB, draft(inbox.id(), n)));
      }
      Collections.shuffle(deliveries, new Random(42));
      runConcurrently(deliveries, 8);

      List<EmailThread> threads = storeB.inTransaction((StoreTransaction tx) ->
          tx.threads().list(Scope.all(), inbox.id(), Optional.empty(), 10));
      assertThat(threads).hasSize(1);
      assertThat(threads.get(0).messageCount()).isEqualTo(count);
      List<EmailMessage> stored = storeA.inTransaction((StoreTransaction tx) ->
          tx.messages().list(Scope.all(), threads.get(0).id(), Optional.empty(), 100));
      assertThat(stored).hasSize(count);
      assertThat(stored.stream().map(EmailMessage::messageId).distinct()).hasSize(count);
      assertThat(query("SELECT count(*) FROM messages WHERE inbox_id = '" + inbox.id() + "'")).isEqualTo(count);
      assertThat(query("SELECT count(*) FROM threads WHERE inbox_id = '" + inbox.id() + "'")).isEqualTo(1);
    }
  }

  /**
   * The same burst end to end: two {@link MailCore} instances (each its own store and pool, one
   * shared blob store as S3 would be) receive the raw messages from 8 threads.
   */
  @Test
  void receive_burstOfRepliesFromTwoMailCoreInstances_endsInOneThreadWithoutDuplicates()
      throws Exception {
    try (PostgresMailStore storeA = ownPoolStore(); PostgresMailStore storeB = ownPoolStore()) {
      InMemoryBlobStore blobs = new InMemoryBlobStore();
      MailCore a = MailCore.builder().store(storeA).blobStore(blobs).build();
      MailCore b = MailCore.builder().store(storeB).blobStore(blobs).build();
      Domain domain = Rows.domain("org-1", "burst.test");
      Inbox inbox = Rows.inbox(domain.id(), "support", false);
      storeA.inTransaction(tx -> tx.domains().insert(domain) && tx.inboxes().insert(inbox));

      int count = 16;
      List<Runnable> deliveries = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        byte[] raw = raw(k);
        deliveries.add(() -> a.mailboxes().receive(InboundMail.of(raw, "support@burst.test")));
        deliveries.add(() -> b.mailboxes().receive(InboundMail.of(raw, "support@burst.test")));
      }
      Collections.shuffle(deliveries, new Random(7));
      runConcurrently(deliveries, 8);

      List<EmailThread> threads = a.threads().list(inbox.id(), PageRequest.first()).items();
      assertThat(threads).hasSize(1);
      assertThat(threads.get(0).messageCount()).isEqualTo(count);
      List<EmailMessage> stored = b.threads().messages(threads.get(0).id(),
          PageRequest.first(100)).items();
      assertThat(stored).hasSize(count);
      assertThat(stored.stream().map(EmailMessage::messageId).distinct()).hasSize(count);
      assertThat(query("SELECT count(*) FROM messages WHERE inbox_id = '" + inbox.id() + "'"))
          .isEqualTo(count);
    }
  }

  /**
   * Batches from two instances that each reach the same two inboxes, one instance taking the
   * messages in send order and the other in reverse: every batch locks both inboxes in id order,
   * so none deadlocks or fails, and each inbox ends with its conversation in one thread, every
   * message once.
   */
  @Test
  void receiveAll_overlappingBatchesFromTwoInstances_noFailureOneThreadPerInbox()
      throws Exception {
    try (PostgresMailStore storeA = ownPoolStore(); PostgresMailStore storeB = ownPoolStore()) {
      InMemoryBlobStore blobs = new InMemoryBlobStore();
      MailCore a = MailCore.builder().store(storeA).blobStore(blobs).build();
      MailCore b = MailCore.builder().store(storeB).blobStore(blobs).build();
      Domain domain = Rows.domain("org-1", "batch.test");
      Inbox support = Rows.inbox(domain.id(), "support", false);
      Inbox sales = Rows.inbox(domain.id(), "sales", false);
      storeA.inTransaction(tx -> tx.domains().insert(domain) && tx.inboxes().insert(support)
          && tx.inboxes().insert(sales));

      int count = 12;
      List<InboundMail> inOrder = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        inOrder.add(InboundMail.of(raw("support@batch.test", "s", k), "support@batch.test"));
        inOrder.add(InboundMail.of(raw("sales@batch.test", "t", k), "sales@batch.test"));
      }
      List<InboundMail> reversed = new ArrayList<>(inOrder);
      Collections.reverse(reversed);
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      List<Runnable> deliveries = new ArrayList<>();
      for (int from = 0; from < inOrder.size(); from += 4) {
        List<InboundMail> forward = inOrder.subList(from, from + 4);
        List<InboundMail> backward = reversed.subList(from, from + 4);
        deliveries.add(() -> receiveAll(a, forward, failures));
        deliveries.add(() -> receiveAll(b, backward, failures));
      }
      Collections.shuffle(deliveries, new Random(11));
      runConcurrently(deliveries, 8);

      assertThat(failures).isEmpty();
      for (Inbox inbox : List.of(support, sales)) {
        List<EmailThread> threads = a.threads().list(inbox.id(), PageRequest.first()).items();
        assertThat(threads).as("threads of %s", inbox.localPart()).singleElement()
            .satisfies(t -> assertThat(t.messageCount()).isEqualTo(count));
        assertThat(query("SELECT count(*) FROM messages WHERE inbox_id = '" + inbox.id() + "'"))
            .isEqualTo(count);
      }
    }
  }

  private static void receiveAll(MailCore mail, List<InboundMail> batch,
      List<Throwable> failures) {
    for (ReceiveOutcome o : mail.mailboxes().receiveAll(batch)) {
      if (o instanceof ReceiveOutcome.Failed f) {
        failures.add(f.error());
      }
    }
  }

  /**
   * One delivery the way the engine makes it: lock, thread, insert; when the twin delivery
   * committed first, the insert writes nothing and the writer returns the stored copy.
   */
  private static void deliver(PostgresMailStore store, MessageWriter writer,
      MessageDraft draft) {
    store.inTransaction((StoreTransaction tx) ->
        writer.write(tx, "acme.test", draft, Instant.now()));
  }

  private static byte[] raw(int k) {
    return raw("support@burst.test", "b", k);
  }

  /** Message {@code k} of a conversation with {@code inbox}: a root, then replies to the last. */
  private static byte[] raw(String inbox, String idPrefix, int k) {
    StringBuilder s = new StringBuilder();
    boolean fromCustomer = k % 2 == 0;
    s.append("From: ").append(fromCustomer ? "Ann <ann@example.com>" : "Support <" + inbox + ">")
        .append("\r\n");
    s.append("To: ").append(fromCustomer ? inbox : "ann@example.com").append("\r\n");
    s.append("Subject: ").append(k == 0 ? "Order 43" : "Re: Order 43").append("\r\n");
    s.append("Date: Mon, 5 Jan 2026 09:").append(String.format("%02d", k)).append(":00 +0000\r\n");
    s.append("Message-ID: <").append(idPrefix).append(k).append("@example.com>\r\n");
    if (k > 0) {
      s.append("In-Reply-To: <").append(idPrefix).append(k - 1).append("@example.com>\r\n");
      s.append("References:");
      for (int i = 0; i < k; i++) {
        s.append(" <").append(idPrefix).append(i).append("@example.com>");
      }
      s.append("\r\n");
    }
    s.append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
    s.append("Message ").append(k).append(" of the conversation.\r\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void runConcurrently(List<Runnable> tasks, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (Runnable r : tasks) {
        done.add(pool.submit(() -> {
          start.await();
          r.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS); // rethrows any delivery failure
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static MessageDraft draft(UUID inboxId, int k) {
    boolean fromCustomer = k % 2 == 0;
    EmailAddress ann = EmailAddress.of("Ann", "ann@example.com");
    EmailAddress support = EmailAddress.of("Support", "support@acme.test");
    List<MessageId> references = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      references.add(new MessageId("m" + i + "@example.com"));
    }
    Instant sent = Rows.at(k * 60L);
    return new MessageDraft(UUID.randomUUID(), new MessageId("m" + k + "@example.com"),
        inboxId, Direction.INBOUND, fromCustomer ? ann : support,
        List.of(fromCustomer ? support : ann), List.of(), List.of(), List.of(),
        k == 0 ? "Order 42" : "Re: Order 42", sent,
        k == 0 ? Optional.empty() : Optional.of(new MessageId("m" + (k - 1) + "@example.com")),
        references, Optional.of("Message " + k), Optional.empty(), List.of(),
        "raw/" + k + ".eml", sent);
  }

  @Test
  void insertMessage_whenConcurrentTransactionInsertsSameMessageId_returnsFalse()
      throws Exception {
    try (PostgresMailStore store = DB.newStore()) {
      Domain domain = Rows.domain("org-1", "race.test");
      Inbox inbox = Rows.inbox(domain.id(), "support", false);
      EmailThread thread = Rows.thread(inbox.id(), "s", Rows.at(0));
      store.inTransaction(tx -> {
        tx.domains().insert(domain);
        tx.inboxes().insert(inbox);
        return null;
      });
      EmailMessage starter = Rows.message(inbox.id(), thread.id(), "starter@x", Rows.at(0),
          Optional.empty(), List.of());
      store.inTransaction(tx -> tx.messages().insert(starter, Set.of(),
          ThreadChange.start(thread)));
      EmailMessage first = Rows.message(inbox.id(), thread.id(), "race@x", Rows.at(0),
          Optional.empty(), List.of());
      EmailMessage second = Rows.message(inbox.id(), thread.id(), "race@x", Rows.at(1),
          Optional.empty(), List.of());
      CountDownLatch inserted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // No inbox lock on purpose: the unique index alone must turn the race into a duplicate.
      CompletableFuture<Boolean> winner = CompletableFuture.supplyAsync(
          () -> store.inTransaction((StoreTransaction tx) -> {
            boolean r = tx.messages().insert(first, Set.of(), ThreadChange.update(thread));
            inserted.countDown();
            awaitLatch(release);
            return r;
          }));
      assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Boolean> loser = CompletableFuture.supplyAsync(
          () -> store.inTransaction((StoreTransaction tx) ->
              tx.messages().insert(second, Set.of(), ThreadChange.update(thread))));
      // the loser waits on the winner's uncommitted index entry
      await().atMost(Duration.ofSeconds(10)).until(() -> query(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              + " AND query LIKE 'WITH m AS%'") >= 1);
      release.countDown();
      assertThat(winner.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(loser.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(store.inTransaction((StoreTransaction tx) -> tx.messages().find(Scope.all(), first.id())))
          .contains(first);
      assertThat(store.inTransaction((StoreTransaction tx) -> tx.messages().find(Scope.all(), second.id())))
          .isEmpty();
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static PostgresMailStore ownPoolStore() {
    PostgresTestDatabase.Server server = PostgresTestDatabase.server();
    PostgresMailStore.Builder b = PostgresMailStore.builder().jdbcUrl(server.jdbcUrl)
        .username(server.user).maximumPoolSize(4).schema(DB.schema()).migrate(true);
    if (server.password != null) {
      b.password(server.password);
    }
    return b.build();
  }

  private static long query(String sql) throws SQLException {
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + DB.schema());
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } finally {
        s.execute("RESET search_path");
      }
    }
  }

}
