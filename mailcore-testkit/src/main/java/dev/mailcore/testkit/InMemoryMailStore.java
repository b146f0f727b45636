package dev.mailcore.testkit;

import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.StorageException;
import dev.mailcore.Suppression;
import dev.mailcore.ThreadId;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.WebhookStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link MailStore} in memory, for tests and demos. It passes the same
 * {@link MailStoreContract} as the Postgres store.
 *
 * <p>Transactions are fully serialized (one at a time, which trivially satisfies the per-inbox
 * threading lock) and roll back every change when the work throws. Thread-safe. Data lives as
 * long as the instance; {@link #close()} does nothing.
 */
public final class InMemoryMailStore implements MailStore {
  /**
   * Ids are ordered as unsigned 128-bit numbers, which is PostgreSQL's {@code uuid} order and
   * the order of the canonical strings. {@link UUID#compareTo} compares signed halves and would
   * put {@code 8...} before {@code 0...}, so keyset ties would page differently than on Postgres.
   */
  static final Comparator<UUID> ID_ORDER =
      Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
          .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

  private final ReentrantLock lock = new ReentrantLock();

  private final Map<UUID, Domain> domains = new LinkedHashMap<>();
  private final Map<UUID, Inbox> inboxes = new LinkedHashMap<>();
  private final Map<ThreadId, EmailThread> threads = new LinkedHashMap<>();
  private final Map<UUID, EmailMessage> messages = new LinkedHashMap<>();
  private final Map<InboxKey, UUID> messagesByMessageId = new HashMap<>();
  private final Map<ThreadId, Set<UUID>> messagesByThread = new HashMap<>();
  private final Map<UUID, List<DeliveryEventRecord>> events = new HashMap<>();
  private final TreeMap<String, Suppression> suppressions = new TreeMap<>();
  private final Map<InboxKey, IdempotentSend> idempotency = new HashMap<>();
  private final InMemoryWebhookStore webhooks = new InMemoryWebhookStore(inboxId ->
      Optional.ofNullable(inboxes.get(inboxId)).map(i -> domains.get(i.domainId()))
          .map(Domain::organizationId));

  /** Creates an empty store. */
  public InMemoryMailStore() {}

  @Override
  public <T> T inTransaction(Function<StoreTransaction, T> work) {
    Objects.requireNonNull(work, "work");
    lock.lock();
    Tx tx = new Tx();
    try {
      T result = work.apply(tx);
      tx.undo.clear();
      return result;
    } catch (RuntimeException | Error e) {
      tx.rollback();
      throw e;
    } finally {
      tx.open = false;
      lock.unlock();
    }
  }

  /** Does nothing: the data is garbage-collected with the instance. */
  @Override
  public void close() {}

  private record InboxKey(UUID inboxId, String key) {}

  private record IdempotentSend(UUID messageId, Instant createdAt) {}

  private final class Tx implements StoreTransaction, TxLog {
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean open = true;

    private void rollback() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }

    @Override
    public void check() {
      if (!open) {
        throw new IllegalStateException("transaction used after its work returned");
      }
    }

    @Override
    public <K, V> void put(Map<K, V> map, K key, V value) {
      check();
      boolean had = map.containsKey(key);
      V old = map.put(key, value);
      undo.push(() -> {
        if (had) {
          map.put(key, old);
        } else {
          map.remove(key);
        }
      });
    }

    @Override
    public <K, V> void remove(Map<K, V> map, K key) {
      check();
      if (map.containsKey(key)) {
        V old = map.remove(key);
        undo.push(() -> map.put(key, old));
      }
    }

    @Override
    public void lockInbox(UUID inboxId) {
      check();
      Objects.requireNonNull(inboxId, "inboxId");
    }

    // ---- domains ----

    @Override
    public boolean insertDomain(Domain domain) {
      if (findDomainByName(domain.name()).isPresent() && !domain.deleted()) {
        return false;
      }
      put(domains, domain.id(), domain);
      return true;
    }

    @Override
    public void updateDomain(Domain domain) {
      if (domains.containsKey(domain.id())) {
        put(domains, domain.id(), domain);
      }
    }

    @Override
    public Optional<Domain> findDomain(UUID id) {
      check();
      return Optional.ofNullable(domains.get(id));
    }

    @Override
    public Optional<Domain> findDomainByName(String name) {
      check();
      return domains.values().stream().filter(d -> !d.deleted() && d.name().equals(name))
          .findFirst();
    }

    @Override
    public List<Domain> listDomains(String organizationId, Optional<Keyset> after, int limit) {
      check();
      return ascending(domains.values().stream()
          .filter(d -> !d.deleted() && d.organizationId().equals(organizationId)),
          Domain::createdAt, Domain::id, after, limit);
    }

    // ---- inboxes ----

    @Override
    public boolean insertInbox(Inbox inbox) {
      if (inboxConflict(inbox)) {
        return false;
      }
      put(inboxes, inbox.id(), inbox);
      return true;
    }

    @Override
    public boolean updateInbox(Inbox inbox) {
      if (!inboxes.containsKey(inbox.id())) {
        return true;
      }
      if (inboxConflict(inbox)) {
        return false;
      }
      put(inboxes, inbox.id(), inbox);
      return true;
    }

    private boolean inboxConflict(Inbox inbox) {
      check();
      if (inbox.deleted()) {
        return false;
      }
      return inboxes.values().stream().anyMatch(i -> !i.deleted() && !i.id().equals(inbox.id())
          && i.domainId().equals(inbox.domainId())
          && (i.localPart().equals(inbox.localPart()) || (i.catchAll() && inbox.catchAll())));
    }

    @Override
    public Optional<Inbox> findInbox(UUID id) {
      check();
      return Optional.ofNullable(inboxes.get(id));
    }

    @Override
    public Optional<Inbox> findInboxByLocalPart(UUID domainId, String localPart) {
      check();
      return inboxes.values().stream().filter(i -> !i.deleted() && i.domainId().equals(domainId)
          && i.localPart().equals(localPart)).findFirst();
    }

    @Override
    public List<Inbox> findRouteCandidates(String domainName, Collection<String> localParts) {
      Objects.requireNonNull(localParts, "localParts");
      Set<String> wanted = new HashSet<>(localParts);
      return findDomainByName(Objects.requireNonNull(domainName, "domainName"))
          .map(d -> inboxes.values().stream().filter(i -> !i.deleted()
              && i.domainId().equals(d.id()) && (i.catchAll() || wanted.contains(i.localPart())))
              .toList())
          .orElse(List.of());
    }

    @Override
    public List<Inbox> listInboxes(UUID domainId, Optional<Keyset> after, int limit) {
      check();
      return ascending(inboxes.values().stream()
          .filter(i -> !i.deleted() && i.domainId().equals(domainId)),
          Inbox::createdAt, Inbox::id, after, limit);
    }

    // ---- threads ----

    @Override
    public void insertThread(EmailThread thread) {
      put(threads, thread.id(), thread);
    }

    @Override
    public void updateThread(EmailThread thread) {
      if (threads.containsKey(thread.id())) {
        put(threads, thread.id(), thread);
      }
    }

    @Override
    public Optional<EmailThread> findThread(ThreadId id) {
      check();
      return Optional.ofNullable(threads.get(id));
    }

    @Override
    public List<EmailThread> listThreads(UUID inboxId, Optional<Keyset> after, int limit) {
      check();
      Comparator<EmailThread> newestFirst = Comparator.comparing(EmailThread::updatedAt)
          .thenComparing(t -> t.id().value(), ID_ORDER).reversed();
      Predicate<EmailThread> afterCursor = t -> after.isEmpty()
          || newestFirst.compare(t, probe(after.get())) > 0;
      return threads.values().stream()
          .filter(t -> !t.deleted() && t.inboxId().equals(inboxId))
          .filter(afterCursor).sorted(newestFirst).limit(limit).toList();
    }

    private EmailThread probe(Keyset k) {
      return new EmailThread(new ThreadId(k.id()), k.id(), "", k.at(), k.at(), 0,
          Optional.empty());
    }

    // ---- messages ----

    @Override
    public boolean insertMessage(EmailMessage message, ThreadChange thread) {
      Objects.requireNonNull(thread, "thread");
      InboxKey key = new InboxKey(message.inboxId(), message.messageId().value());
      check();
      if (messagesByMessageId.containsKey(key)) {
        return false;
      }
      if (thread instanceof ThreadChange.Start start) {
        start.requireThreadOf(message);
        insertThread(start.thread());
      } else if (thread instanceof ThreadChange.Join join) {
        EmailThread t = threads.get(message.threadId());
        if (t == null) {
          throw new StorageException("message " + message.messageId() + " joins thread "
              + message.threadId() + ", which does not exist", false, null);
        }
        put(threads, t.id(), new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(),
            join.activity().isAfter(t.updatedAt()) ? join.activity() : t.updatedAt(),
            t.messageCount() + 1, Optional.empty()));
      }
      put(messages, message.id(), message);
      put(messagesByMessageId, key, message.id());
      Set<UUID> inThread = new HashSet<>(messagesByThread.getOrDefault(message.threadId(), Set.of()));
      inThread.add(message.id());
      put(messagesByThread, message.threadId(), inThread);
      return true;
    }

    @Override
    public void updateSesMessageId(UUID id, String sesMessageId) {
      EmailMessage m = messages.get(id);
      if (m != null) {
        put(messages, id, m.with(m.threadId(), Optional.of(sesMessageId)));
      }
    }

    @Override
    public Optional<EmailMessage> findMessage(UUID id) {
      check();
      return Optional.ofNullable(messages.get(id));
    }

    @Override
    public Optional<EmailMessage> findMessageByMessageId(UUID inboxId, MessageId messageId) {
      check();
      return Optional.ofNullable(messagesByMessageId.get(new InboxKey(inboxId, messageId.value())))
          .map(messages::get);
    }

    @Override
    public Optional<EmailMessage> findMessageBySesMessageId(String sesMessageId) {
      check();
      return messages.values().stream()
          .filter(m -> m.sesMessageId().filter(sesMessageId::equals).isPresent()).findFirst();
    }

    @Override
    public Map<MessageId, ThreadId> findThreadsOf(UUID inboxId, Collection<MessageId> ids) {
      check();
      Map<MessageId, ThreadId> out = new HashMap<>();
      for (MessageId id : ids) {
        findMessageByMessageId(inboxId, id).ifPresent(m -> out.put(id, m.threadId()));
      }
      return out;
    }

    @Override
    public Optional<ThreadId> findThreadReferencing(UUID inboxId, MessageId parent) {
      check();
      return messages.values().stream()
          .filter(m -> m.inboxId().equals(inboxId))
          .filter(m -> m.inReplyTo().filter(parent::equals).isPresent()
              || m.references().contains(parent))
          .max(Comparator.comparing(EmailMessage::createdAt)
              .thenComparing(EmailMessage::id, ID_ORDER))
          .map(EmailMessage::threadId);
    }

    @Override
    public Optional<ThreadId> findThreadBySubject(UUID inboxId, String subject,
        Collection<String> participants, Instant activeSince) {
      check();
      Set<String> wanted = new HashSet<>(participants);
      return threads.values().stream()
          .filter(t -> !t.deleted() && t.inboxId().equals(inboxId) && t.subject().equals(subject)
              && !t.updatedAt().isBefore(activeSince))
          .filter(t -> messagesByThread.getOrDefault(t.id(), Set.of()).stream()
              .map(messages::get)
              .flatMap(m -> Stream.of(Stream.of(m.from()), m.to().stream(), m.cc().stream())
                  .flatMap(s -> s))
              .map(EmailAddress::normalized)
              .anyMatch(wanted::contains))
          .max(Comparator.comparing(EmailThread::updatedAt)
              .thenComparing(t -> t.id().value(), ID_ORDER))
          .map(EmailThread::id);
    }

    @Override
    public List<EmailMessage> listMessages(ThreadId threadId, Optional<Keyset> after, int limit) {
      check();
      return ascending(messagesByThread.getOrDefault(threadId, Set.of()).stream()
          .map(messages::get), EmailMessage::sentAt, EmailMessage::id, after, limit);
    }

    // ---- delivery events ----

    @Override
    public void insertDeliveryEvent(DeliveryEventRecord event) {
      List<DeliveryEventRecord> list = new ArrayList<>(events.getOrDefault(event.messageId(), List.of()));
      list.add(event);
      put(events, event.messageId(), list);
    }

    @Override
    public List<DeliveryEventRecord> listDeliveryEvents(UUID messageId) {
      check();
      return events.getOrDefault(messageId, List.of()).stream()
          .sorted(Comparator.comparing(DeliveryEventRecord::createdAt)
              .thenComparing(DeliveryEventRecord::id, ID_ORDER))
          .toList();
    }

    // ---- suppressions ----

    @Override
    public void upsertSuppression(Suppression suppression) {
      put(suppressions, suppression.address(), suppression);
    }

    @Override
    public boolean deleteSuppression(String address) {
      boolean had = suppressions.containsKey(address);
      remove(suppressions, address);
      return had;
    }

    @Override
    public List<Suppression> findSuppressions(Collection<String> addresses) {
      check();
      return addresses.stream().distinct().map(suppressions::get).filter(Objects::nonNull).toList();
    }

    @Override
    public List<Suppression> listSuppressions(Optional<String> afterAddress, int limit) {
      check();
      Map<String, Suppression> tail = afterAddress.isPresent()
          ? suppressions.tailMap(afterAddress.get(), false) : suppressions;
      return tail.values().stream().limit(limit).toList();
    }

    // ---- idempotency ----

    @Override
    public boolean insertIdempotencyKey(UUID inboxId, String key, UUID messageId,
        Instant createdAt, Instant expiredBefore) {
      InboxKey k = new InboxKey(inboxId, key);
      IdempotentSend existing = idempotency.get(k);
      if (existing != null && !existing.createdAt().isBefore(expiredBefore)) {
        return false;
      }
      put(idempotency, k, new IdempotentSend(messageId, createdAt));
      return true;
    }

    @Override
    public Optional<UUID> findIdempotencyKey(UUID inboxId, String key, Instant notBefore) {
      check();
      return Optional.ofNullable(idempotency.get(new InboxKey(inboxId, key)))
          .filter(s -> !s.createdAt().isBefore(notBefore))
          .map(IdempotentSend::messageId);
    }

    @Override
    public WebhookStore webhooks() {
      return webhooks.in(this);
    }
  }

  private static <T> List<T> ascending(Stream<T> rows, Function<T, Instant> at,
      Function<T, UUID> id, Optional<Keyset> after, int limit) {
    Comparator<T> order = Comparator.comparing(at).thenComparing(id, ID_ORDER);
    return rows
        .filter(r -> after.isEmpty() || at.apply(r).isAfter(after.get().at())
            || (at.apply(r).equals(after.get().at())
                && ID_ORDER.compare(id.apply(r), after.get().id()) > 0))
        .sorted(order).limit(limit).toList();
  }
}
