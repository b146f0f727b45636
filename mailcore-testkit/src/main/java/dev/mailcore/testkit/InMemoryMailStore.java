package dev.mailcore.testkit;

import dev.mailcore.AuthKey;
import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.StorageException;
import dev.mailcore.Suppression;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.spi.AuthKeyStore;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.DeliveryEventStore;
import dev.mailcore.spi.DomainStore;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.IdempotencyStore;
import dev.mailcore.spi.InboxStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.MessageStore;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.SuppressionStore;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.ThreadLink;
import dev.mailcore.spi.ThreadStore;
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
 * contract suites as the Postgres store.
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
  private final Map<UUID, MessageId> aliases = new HashMap<>();
  private final Map<InboxKey, UUID> messagesByAlias = new HashMap<>();
  private final Map<ThreadId, Set<UUID>> messagesByThread = new HashMap<>();
  private final Map<UUID, List<DeliveryEventRecord>> events = new HashMap<>();
  private final TreeMap<String, Suppression> suppressions = new TreeMap<>();
  private final Map<UUID, Set<String>> participants = new HashMap<>();
  private final Map<UUID, ThreadPlacement> placements = new HashMap<>();
  /** Per inbox and Message-ID: the stored messages whose In-Reply-To or References name it. */
  private final Map<InboxKey, Set<UUID>> namedBy = new HashMap<>();
  /** Absorbed or emptied thread id to the thread it leads to now. */
  private final Map<ThreadId, ThreadId> survivors = new HashMap<>();
  private final Map<InboxKey, IdempotencyRecord> idempotency = new HashMap<>();
  private final Map<UUID, AuthKey> authKeys = new LinkedHashMap<>();
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

  private static EmailMessage inThread(EmailMessage m, ThreadId t) {
    return new EmailMessage(m.id(), m.messageId(), t, m.inboxId(), m.direction(), m.from(),
        m.to(), m.cc(), m.bcc(), m.replyTo(), m.subject(), m.sentAt(), m.inReplyTo(),
        m.references(), m.bodyText(), m.bodyHtml(), m.attachments(), m.rawStorageKey(),
        m.providerMessageId(), m.createdAt(), m.verdicts());
  }

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

    @Override
    public DomainStore domains() {
      check();
      return domainStore;
    }

    @Override
    public InboxStore inboxes() {
      check();
      return inboxStore;
    }

    @Override
    public ThreadStore threads() {
      check();
      return threadStore;
    }

    @Override
    public MessageStore messages() {
      check();
      return messageStore;
    }

    @Override
    public DeliveryEventStore deliveryEvents() {
      check();
      return eventStore;
    }

    @Override
    public SuppressionStore suppressions() {
      check();
      return suppressionStore;
    }

    @Override
    public IdempotencyStore idempotency() {
      check();
      return idempotencyStore;
    }

    @Override
    public AuthKeyStore authKeys() {
      check();
      return new InMemoryAuthKeyStore(authKeys, this::put, this::check);
    }

    @Override
    public WebhookStore webhooks() {
      return webhooks.in(this);
    }

    private final DomainStore domainStore = new DomainStore() {
      @Override
      public boolean insert(Domain domain) {
        if (findByName(Scope.all(), domain.name()).isPresent() && !domain.deleted()) {
          return false;
        }
        put(domains, domain.id(), domain);
        return true;
      }

      @Override
      public void update(Domain domain) {
        if (domains.containsKey(domain.id())) {
          put(domains, domain.id(), domain);
        }
      }

      @Override
      public Optional<Domain> find(Scope scope, UUID id) {
        check();
        return Optional.ofNullable(domains.get(id)).filter(d -> scope.includes(d.organizationId()));
      }

      @Override
      public Optional<Domain> findByName(Scope scope, String name) {
        check();
        return domains.values().stream().filter(d -> !d.deleted() && d.name().equals(name)
            && scope.includes(d.organizationId())).findFirst();
      }

      @Override
      public List<Domain> list(String organizationId, Optional<Keyset> after, int limit) {
        check();
        return ascending(domains.values().stream()
            .filter(d -> !d.deleted() && d.organizationId().equals(organizationId)),
            Domain::createdAt, Domain::id, after, limit);
      }
    };

    private final InboxStore inboxStore = new InboxStore() {
      @Override
      public boolean insert(Inbox inbox) {
        if (inboxConflict(inbox)) {
          return false;
        }
        put(inboxes, inbox.id(), inbox);
        return true;
      }

      @Override
      public boolean update(Inbox inbox) {
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
      public Optional<Inbox> find(Scope scope, UUID id) {
        check();
        return Optional.ofNullable(inboxes.get(id)).filter(i -> inScope(scope, i.domainId()));
      }

      @Override
      public Optional<Inbox> findByLocalPart(Scope scope, UUID domainId, String localPart) {
        check();
        return inboxes.values().stream().filter(i -> !i.deleted() && i.domainId().equals(domainId)
            && i.localPart().equals(localPart) && inScope(scope, domainId)).findFirst();
      }

      @Override
      public List<Inbox> findRouteCandidates(String domainName, Collection<String> localParts) {
        Objects.requireNonNull(localParts, "localParts");
        Set<String> wanted = new HashSet<>(localParts);
        return domainStore.findByName(Scope.all(),
                Objects.requireNonNull(domainName, "domainName"))
            .map(d -> inboxes.values().stream().filter(i -> !i.deleted()
                && i.domainId().equals(d.id())
                && (i.catchAll() || wanted.contains(i.localPart())))
                .toList())
            .orElse(List.of());
      }

      @Override
      public List<Inbox> list(Scope scope, UUID domainId, Optional<Keyset> after, int limit) {
        check();
        return ascending(inboxes.values().stream()
            .filter(i -> !i.deleted() && i.domainId().equals(domainId)
                && inScope(scope, domainId)),
            Inbox::createdAt, Inbox::id, after, limit);
      }
    };

    /** The scope predicate of an inbox's rows: its domain belongs to the scope's organization. */
    private boolean inScope(Scope scope, UUID domainId) {
      return scope.organizationId().isEmpty() || Optional.ofNullable(domains.get(domainId))
          .filter(d -> scope.includes(d.organizationId())).isPresent();
    }

    /** The scope predicate of rows below an inbox (threads, messages). */
    private boolean inboxInScope(Scope scope, UUID inboxId) {
      return scope.organizationId().isEmpty() || Optional.ofNullable(inboxes.get(inboxId))
          .filter(i -> inScope(scope, i.domainId())).isPresent();
    }

    private final ThreadStore threadStore = new ThreadStore() {
      @Override
      public void update(EmailThread thread) {
        if (threads.containsKey(thread.id())) {
          put(threads, thread.id(), thread);
        }
      }

      @Override
      public Optional<EmailThread> find(Scope scope, ThreadId id) {
        check();
        return Optional.ofNullable(threads.get(id))
            .filter(t -> inboxInScope(scope, t.inboxId()));
      }

      @Override
      public List<EmailThread> list(Scope scope, UUID inboxId, Optional<Keyset> after,
          int limit) {
        check();
        Comparator<EmailThread> newestFirst = Comparator.comparing(EmailThread::updatedAt)
            .thenComparing(t -> t.id().value(), ID_ORDER).reversed();
        Predicate<EmailThread> afterCursor = t -> after.isEmpty()
            || newestFirst.compare(t, probe(after.get())) > 0;
        return threads.values().stream()
            .filter(t -> !t.deleted() && t.inboxId().equals(inboxId)
                && inboxInScope(scope, inboxId))
            .filter(afterCursor).sorted(newestFirst).limit(limit).toList();
      }

      private EmailThread probe(Keyset k) {
        return new EmailThread(new ThreadId(k.id()), k.id(), "", k.at(), k.at(), 0,
            Optional.empty());
      }

      @Override
      public List<EmailThread> findBySubject(UUID inboxId, String subject,
          Collection<String> wanted, Instant activeSince) {
        check();
        Set<String> keys = new HashSet<>(wanted);
        return threads.values().stream()
            .filter(t -> !t.deleted() && t.inboxId().equals(inboxId)
                && t.subject().equals(subject) && !t.updatedAt().isBefore(activeSince))
            .filter(t -> messagesByThread.getOrDefault(t.id(), Set.of()).stream()
                .flatMap(m -> participants.getOrDefault(m, Set.of()).stream())
                .anyMatch(keys::contains))
            .toList();
      }

      @Override
      public void merge(EmailThread survivor, Collection<ThreadId> absorbed, Instant at) {
        check();
        Set<UUID> into = new HashSet<>(messagesByThread.getOrDefault(survivor.id(), Set.of()));
        for (ThreadId old : absorbed) {
          for (UUID m : messagesByThread.getOrDefault(old, Set.of())) {
            put(messages, m, inThread(messages.get(m), survivor.id()));
            into.add(m);
          }
          remove(messagesByThread, old);
          remove(threads, old);
          redirect(old, survivor.id());
        }
        put(messagesByThread, survivor.id(), into);
        put(threads, survivor.id(), survivor);
      }

      /** {@code old} leads to {@code to}, and so does every id that led to {@code old}. */
      private void redirect(ThreadId old, ThreadId to) {
        List<ThreadId> earlier = survivors.entrySet().stream()
            .filter(e -> e.getValue().equals(old)).map(Map.Entry::getKey).toList();
        earlier.forEach(e -> put(survivors, e, to));
        put(survivors, old, to);
      }

      @Override
      public Optional<ThreadId> findSurvivor(ThreadId id) {
        check();
        return Optional.ofNullable(survivors.get(id));
      }

      @Override
      public void move(UUID messageId, ThreadChange target, ThreadPlacement placement) {
        check();
        EmailMessage m = messages.get(messageId);
        if (m == null) {
          return;
        }
        ThreadId from = m.threadId();
        ThreadId to = target.thread().id();
        put(messages, messageId, inThread(m, to));
        put(threads, to, target.thread());
        Set<UUID> toSet = new HashSet<>(messagesByThread.getOrDefault(to, Set.of()));
        toSet.add(messageId);
        put(messagesByThread, to, toSet);
        Set<UUID> rest = new HashSet<>(messagesByThread.getOrDefault(from, Set.of()));
        rest.remove(messageId);
        put(placements, messageId, placement);
        EmailThread old = threads.get(from);
        if (rest.isEmpty()) {
          remove(messagesByThread, from);
          remove(threads, from);
          redirect(from, to);
          return;
        }
        put(messagesByThread, from, rest);
        Instant latest = rest.stream().map(id -> messages.get(id).createdAt())
            .max(Comparator.naturalOrder()).orElseThrow();
        put(threads, from, new EmailThread(old.id(), old.inboxId(), old.subject(),
            old.createdAt(), latest, rest.size(), old.deletedAt()));
      }
    };

    private final MessageStore messageStore = new MessageStore() {
      @Override
      public boolean insert(EmailMessage message, Collection<String> keys, ThreadChange thread,
          Optional<ThreadPlacement> placement) {
        Objects.requireNonNull(keys, "participants");
        Objects.requireNonNull(thread, "thread");
        InboxKey key = new InboxKey(message.inboxId(), message.messageId().value());
        check();
        if (messagesByMessageId.containsKey(key)) {
          return false;
        }
        EmailThread row = thread.thread();
        if (thread instanceof ThreadChange.Update && !threads.containsKey(row.id())) {
          throw new StorageException("message " + message.messageId() + " joins thread "
              + row.id() + ", which does not exist", false, null);
        }
        put(threads, row.id(), row);
        put(messages, message.id(), message);
        put(messagesByMessageId, key, message.id());
        put(participants, message.id(), Set.copyOf(keys));
        Set<UUID> inThread =
            new HashSet<>(messagesByThread.getOrDefault(message.threadId(), Set.of()));
        inThread.add(message.id());
        put(messagesByThread, message.threadId(), inThread);
        placement.ifPresent(p -> put(placements, message.id(), p));
        Stream.concat(message.inReplyTo().stream(), message.references().stream()).distinct()
            .forEach(named -> {
              InboxKey k = new InboxKey(message.inboxId(), named.value());
              Set<UUID> by = new HashSet<>(namedBy.getOrDefault(k, Set.of()));
              by.add(message.id());
              put(namedBy, k, by);
            });
        return true;
      }

      @Override
      public Optional<ThreadPlacement> findPlacement(UUID id) {
        check();
        return Optional.ofNullable(placements.get(id));
      }

      @Override
      public List<ThreadLink> findLinkedThreads(UUID inboxId, MessageId self,
          Collection<MessageId> linked) {
        check();
        List<ThreadLink> out = new ArrayList<>();
        List<MessageId> unknown = new ArrayList<>();
        // the message itself: held by its Message-ID only (insert's duplicate test)
        findByMessageId(Scope.all(), inboxId, self).ifPresentOrElse(
            m -> out.add(link(self, true, m)), () -> unknown.add(self));
        for (MessageId id : linked) {
          Optional<EmailMessage> held = findByMessageId(Scope.all(), inboxId, id)
              .or(() -> Optional.ofNullable(messagesByAlias.get(new InboxKey(inboxId, id.value())))
                  .map(messages::get));
          if (held.isPresent()) {
            out.add(link(id, true, held.get()));
          } else {
            unknown.add(id);
          }
        }
        for (MessageId id : unknown) {
          Map<ThreadId, EmailMessage> perThread = new HashMap<>();
          for (UUID by : namedBy.getOrDefault(new InboxKey(inboxId, id.value()), Set.of())) {
            EmailMessage m = messages.get(by);
            perThread.putIfAbsent(m.threadId(), m);
          }
          perThread.values().forEach(m -> out.add(link(id, false, m)));
        }
        return out;
      }

      private ThreadLink link(MessageId named, boolean held, EmailMessage via) {
        boolean manual = Optional.ofNullable(placements.get(via.id()))
            .filter(p -> p.rule().manual()).isPresent();
        return new ThreadLink(named, held, via.messageId(), manual, threads.get(via.threadId()));
      }

      @Override
      public void setProviderMessageId(UUID id, String providerMessageId) {
        EmailMessage m = messages.get(id);
        if (m != null) {
          put(messages, id, m.withProviderMessageId(Optional.of(providerMessageId)));
        }
      }

      @Override
      public void insertAlias(UUID id, MessageId alias) {
        EmailMessage m = messages.get(id);
        if (m != null) {
          put(aliases, id, alias);
          put(messagesByAlias, new InboxKey(m.inboxId(), alias.value()), id);
        }
      }

      @Override
      public Optional<MessageId> findAlias(UUID id) {
        check();
        return Optional.ofNullable(aliases.get(id));
      }

      @Override
      public Optional<EmailMessage> find(Scope scope, UUID id) {
        check();
        return Optional.ofNullable(messages.get(id))
            .filter(m -> inboxInScope(scope, m.inboxId()));
      }

      @Override
      public Optional<EmailMessage> findByMessageId(Scope scope, UUID inboxId,
          MessageId messageId) {
        check();
        return Optional.ofNullable(
            messagesByMessageId.get(new InboxKey(inboxId, messageId.value())))
            .filter(m -> inboxInScope(scope, inboxId))
            .map(messages::get);
      }

      @Override
      public Optional<EmailMessage> findByProviderMessageId(String providerMessageId) {
        check();
        return messages.values().stream()
            .filter(m -> m.providerMessageId().filter(providerMessageId::equals).isPresent())
            .min(Comparator.comparing(EmailMessage::createdAt)
                .thenComparing(EmailMessage::id, ID_ORDER));
      }

      @Override
      public List<EmailMessage> list(Scope scope, ThreadId threadId, Optional<Keyset> after,
          int limit) {
        check();
        return ascending(messagesByThread.getOrDefault(threadId, Set.of()).stream()
            .map(messages::get).filter(m -> inboxInScope(scope, m.inboxId())),
            EmailMessage::sentAt, EmailMessage::id, after, limit);
      }
    };

    private final DeliveryEventStore eventStore = new DeliveryEventStore() {
      @Override
      public void insert(DeliveryEventRecord event) {
        List<DeliveryEventRecord> list =
            new ArrayList<>(events.getOrDefault(event.messageId(), List.of()));
        list.add(event);
        put(events, event.messageId(), list);
      }

      @Override
      public List<DeliveryEventRecord> list(UUID messageId) {
        check();
        return events.getOrDefault(messageId, List.of()).stream()
            .sorted(Comparator.comparing(DeliveryEventRecord::createdAt)
                .thenComparing(DeliveryEventRecord::id, ID_ORDER))
            .toList();
      }
    };

    private final SuppressionStore suppressionStore = new SuppressionStore() {
      @Override
      public void upsert(Suppression suppression) {
        put(suppressions, suppression.address(), suppression);
      }

      @Override
      public boolean delete(String address) {
        boolean had = suppressions.containsKey(address);
        remove(suppressions, address);
        return had;
      }

      @Override
      public List<Suppression> find(Collection<String> addresses) {
        check();
        return addresses.stream().distinct().map(suppressions::get).filter(Objects::nonNull)
            .toList();
      }

      @Override
      public List<Suppression> list(Optional<String> afterAddress, int limit) {
        check();
        Map<String, Suppression> tail = afterAddress.isPresent()
            ? suppressions.tailMap(afterAddress.get(), false) : suppressions;
        return tail.values().stream().limit(limit).toList();
      }
    };

    private final IdempotencyStore idempotencyStore = new IdempotencyStore() {
      @Override
      public Optional<IdempotencyRecord> find(UUID inboxId, String key) {
        check();
        return Optional.ofNullable(idempotency.get(new InboxKey(inboxId, key)));
      }

      @Override
      public boolean insert(IdempotencyRecord record) {
        InboxKey k = new InboxKey(record.inboxId(), record.key());
        check();
        if (idempotency.containsKey(k)) {
          return false;
        }
        put(idempotency, k, record);
        return true;
      }

      @Override
      public boolean replace(IdempotencyRecord record, Instant expectedCreatedAt) {
        InboxKey k = new InboxKey(record.inboxId(), record.key());
        check();
        IdempotencyRecord current = idempotency.get(k);
        if (current == null || !current.createdAt().equals(expectedCreatedAt)) {
          return false;
        }
        put(idempotency, k, record);
        return true;
      }
    };
  }

  static <T> List<T> ascending(Stream<T> rows, Function<T, Instant> at,
      Function<T, UUID> id, Optional<Keyset> after, int limit) {
    Comparator<T> order = Comparator.comparing(at).thenComparing(id, ID_ORDER);
    return rows
        .filter(r -> after.isEmpty() || at.apply(r).isAfter(after.get().at())
            || (at.apply(r).equals(after.get().at())
                && ID_ORDER.compare(id.apply(r), after.get().id()) > 0))
        .sorted(order).limit(limit).toList();
  }
}
