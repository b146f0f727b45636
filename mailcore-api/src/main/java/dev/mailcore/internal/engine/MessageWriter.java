package dev.mailcore.internal.engine;

import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.MessageId;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.internal.threading.BaseSubject;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.NewMessage;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.ThreadLink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Stores one message into one inbox: thread it, then insert it together with its thread change,
 * or find the copy already there. Shared by inbound and outbound so both are threaded the same
 * way. Thread-safe.
 */
public final class MessageWriter {
  private final ThreadResolver resolver;

  /**
   * Creates a writer.
   *
   * @param resolver the threading rules
   */
  public MessageWriter(ThreadResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * The outcome.
   *
   * @param message the stored message, or the one already there for a duplicate
   * @param duplicate whether the inbox already held the Message-ID
   * @param placement why it is in its thread (empty for duplicates)
   * @param survivor the thread after the write when the message merged threads (the threads
   *     in the placement's merged list now lead to it); empty otherwise
   */
  public record Written(EmailMessage message, boolean duplicate,
      Optional<ThreadPlacement> placement, Optional<EmailThread> survivor) {

    /**
     * Which threading rule placed the message.
     *
     * @return the rule; empty for duplicates
     */
    public Optional<ThreadPlacement.Rule> rule() {
      return placement.map(ThreadPlacement::rule);
    }
  }

  /**
   * Writes {@code draft} into its inbox inside {@code tx}. Takes the inbox lock; a caller
   * writing to several inboxes in one transaction must lock them all in inbox id order before
   * the first write, so two transactions never wait for each other's locks in opposite orders.
   *
   * @param tx the transaction
   * @param inboxDomain the inbox's domain name; addresses on it are not participants
   * @param draft the message to store
   * @param now the store time; becomes the thread's last activity
   * @return the outcome
   */
  public Written write(StoreTransaction tx, String inboxDomain, MessageDraft draft, Instant now) {
    UUID inboxId = draft.inboxId();
    tx.lockInbox(inboxId);
    Set<String> participants = participants(draft, inboxDomain);
    ThreadResolver.Links links = links(draft, participants);
    // One lookup under the lock says both whether the inbox holds the message and how it links,
    // so the write that follows needs no answer: a store may send it with the commit.
    InboxView stored = new InboxView();
    stored.prefetched = tx.messages().findLinkedThreads(inboxId, draft.messageId(),
        List.copyOf(ThreadResolver.chain(links)));
    if (stored.prefetched.stream().anyMatch(l -> ThreadResolver.heldSelf(l, draft.messageId()))) {
      return duplicate(tx, draft);
    }
    return persist(tx, draft, participants, resolver.resolve(tx, inboxId, links, now, stored),
        now);
  }

  /**
   * One message for {@link #writeAll}.
   *
   * @param inboxDomain the inbox's domain name; addresses on it are not participants
   * @param draft the message to store
   */
  public record Item(String inboxDomain, MessageDraft draft) {}

  /**
   * Writes several messages inside {@code tx}, threading each as if those before it had been
   * written one by one with {@link #write} (ADR 0008): one {@link
   * dev.mailcore.spi.MessageStore#findHeld} and one {@link
   * dev.mailcore.spi.MessageStore#findLinkedThreads} per inbox read what the store holds for the
   * whole batch, the threading of each message sees the batch's earlier messages through {@link
   * ThreadResolver.BatchView}, and the new messages are written together by {@link
   * dev.mailcore.spi.MessageStore#insertAll}. A
   * message that merges threads, or may be placed by subject, first has the messages before it
   * written. Takes every inbox lock in id order before the first lookup.
   *
   * @param tx the transaction
   * @param items the messages, in arrival order
   * @param now the store time; becomes the threads' last activity
   * @return the outcome of each, in order
   */
  public List<Written> writeAll(StoreTransaction tx, List<Item> items, Instant now) {
    if (items.size() == 1) {
      return List.of(write(tx, items.get(0).inboxDomain(), items.get(0).draft(), now));
    }
    Map<UUID, List<MessageId>> idsByInbox = new TreeMap<>();
    for (Item it : items) {
      idsByInbox.computeIfAbsent(it.draft().inboxId(), k -> new ArrayList<>())
          .add(it.draft().messageId());
    }
    idsByInbox.keySet().forEach(tx::lockInbox);
    Map<UUID, Set<MessageId>> held = new HashMap<>();
    idsByInbox.forEach((inbox, ids) -> held.put(inbox, tx.messages().findHeld(inbox, ids)));
    Batch batch = new Batch();
    // Every link the batch's messages could have to stored ones, one lookup per inbox
    Map<UUID, Set<MessageId>> linkIds = new TreeMap<>();
    for (Item it : items) {
      MessageDraft d = it.draft();
      if (!held.get(d.inboxId()).contains(d.messageId())) {
        Set<MessageId> ids = linkIds.computeIfAbsent(d.inboxId(), k -> new LinkedHashSet<>());
        ids.add(d.messageId());
        d.inReplyTo().ifPresent(ids::add);
        ids.addAll(d.references());
      }
    }
    linkIds.forEach((inbox, ids) -> {
      MessageId first = ids.iterator().next();
      List<MessageId> others = ids.stream().skip(1).toList();
      batch.view(inbox).prefetched = tx.messages().findLinkedThreads(inbox, first, others);
    });
    List<Written> out = new ArrayList<>(items.size());
    for (Item it : items) {
      MessageDraft draft = it.draft();
      UUID inboxId = draft.inboxId();
      EmailMessage earlier = batch.written.get(new InboxMessage(inboxId, draft.messageId()));
      if (earlier != null) {
        out.add(new Written(earlier, true, Optional.empty(), Optional.empty()));
        continue;
      }
      if (held.get(inboxId).contains(draft.messageId())) {
        out.add(duplicate(tx, draft));
        continue;
      }
      Set<String> participants = participants(draft, it.inboxDomain());
      ThreadResolver.Links links = links(draft, participants);
      if (ThreadResolver.mayUseSubject(links)) {
        batch.flush(tx);
      }
      ThreadResolver.Decision decision =
          resolver.resolve(tx, inboxId, links, now, batch.view(inboxId));
      Written w;
      if (!decision.absorbed().isEmpty()) {
        if (!batch.isEmpty()) {
          // A merge moves stored rows: write the earlier messages, then decide again on the store
          batch.flush(tx);
          decision = resolver.resolve(tx, inboxId, links, now);
        }
        w = persist(tx, draft, participants, decision, now);
        batch.storeChanged();
      } else {
        w = batch.add(draft, participants, decision, now);
      }
      batch.written.put(new InboxMessage(inboxId, draft.messageId()), w.message());
      out.add(w);
    }
    batch.flush(tx);
    return out;
  }

  private static ThreadResolver.Links links(MessageDraft draft, Set<String> participants) {
    return new ThreadResolver.Links(draft.messageId(), draft.inReplyTo(), draft.references(),
        draft.subject(), participants);
  }

  private record InboxMessage(UUID inboxId, MessageId messageId) {}

  /**
   * The messages of a {@link #writeAll} that are threaded but not yet written, and the rows of
   * the threads they start or join, per inbox.
   */
  private final class Batch {
    /** Every message of the call already decided, written or not, by inbox and Message-ID. */
    final Map<InboxMessage, EmailMessage> written = new HashMap<>();
    private final List<NewMessage> rows = new ArrayList<>();
    private final Map<UUID, InboxView> byInbox = new HashMap<>();

    boolean isEmpty() {
      return rows.isEmpty();
    }

    InboxView view(UUID inboxId) {
      return byInbox.computeIfAbsent(inboxId, k -> new InboxView());
    }

    Written add(MessageDraft draft, Set<String> participants, ThreadResolver.Decision decision,
        Instant now) {
      InboxView p = view(draft.inboxId());
      ThreadChange change = change(draft, decision, now);
      EmailMessage stored = draft.in(change.thread().id());
      ThreadChange before = p.changes.get(change.thread().id());
      // a thread started in this batch stays a start, with its latest values
      p.changes.put(change.thread().id(), before instanceof ThreadChange.Start
          ? ThreadChange.start(change.thread()) : change);
      p.add(stored);
      rows.add(new NewMessage(stored, participants, Optional.of(decision.placement())));
      return new Written(stored, false, Optional.of(decision.placement()), Optional.empty());
    }

    /** Writes the unwritten messages; the store's links read earlier are stale from now on. */
    void flush(StoreTransaction tx) {
      if (rows.isEmpty()) {
        return;
      }
      List<ThreadChange> changes = new ArrayList<>();
      byInbox.values().forEach(p -> changes.addAll(p.changes.values()));
      tx.messages().insertAll(List.copyOf(rows), changes);
      rows.clear();
      storeChanged();
    }

    /** The store changed under the batch: its links read earlier no longer hold. */
    void storeChanged() {
      if (!rows.isEmpty()) {
        throw new IllegalStateException("the batch has unwritten messages");
      }
      byInbox.clear();
    }
  }

  /**
   * One inbox's part of a batch, as the threading lookups see it: the store's links read for
   * the whole batch (until the batch next writes), and the unwritten messages.
   */
  private static final class InboxView implements ThreadResolver.BatchView {
    /** The store's links for every id of the batch; null once stale. */
    List<ThreadLink> prefetched;
    final Map<ThreadId, ThreadChange> changes = new LinkedHashMap<>();
    private final Map<MessageId, EmailMessage> byId = new HashMap<>();
    private final Map<MessageId, Map<ThreadId, EmailMessage>> namedBy = new HashMap<>();

    void add(EmailMessage m) {
      byId.put(m.messageId(), m);
      m.inReplyTo().ifPresent(id -> name(id, m));
      m.references().forEach(id -> name(id, m));
    }

    private void name(MessageId id, EmailMessage by) {
      namedBy.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent(by.threadId(), by);
    }

    @Override
    public List<ThreadLink> stored(StoreTransaction tx, UUID inboxId, MessageId self,
        List<MessageId> chain) {
      if (prefetched == null) {
        return ThreadResolver.BatchView.super.stored(tx, inboxId, self, chain);
      }
      // What the store answers for this message alone: held ids of its chain, and stored
      // messages naming itself or an id of its chain that is not held (the lookup reported
      // namers only for ids it does not hold).
      Set<MessageId> ids = new HashSet<>(chain);
      List<ThreadLink> out = new ArrayList<>();
      for (ThreadLink l : prefetched) {
        if (l.held() ? ids.contains(l.named())
            : l.named().equals(self) || ids.contains(l.named())) {
          out.add(l);
        }
      }
      return out;
    }

    @Override
    public boolean hasUnwritten() {
      return !byId.isEmpty();
    }

    @Override
    public Optional<EmailThread> holder(MessageId id) {
      EmailMessage m = byId.get(id);
      return m == null ? Optional.empty() : Optional.of(changes.get(m.threadId()).thread());
    }

    @Override
    public List<ThreadLink> naming(MessageId id) {
      Map<ThreadId, EmailMessage> by = namedBy.get(id);
      if (by == null) {
        return List.of();
      }
      List<ThreadLink> out = new ArrayList<>(by.size());
      by.values().forEach(m -> out.add(new ThreadLink(id, false, m.messageId(), false,
          changes.get(m.threadId()).thread())));
      return out;
    }

    @Override
    public EmailThread current(EmailThread stored) {
      ThreadChange c = changes.get(stored.id());
      return c == null ? stored : c.thread();
    }
  }

  /** The thread row a decided message writes: the joined thread, or a new one. */
  private static ThreadChange change(MessageDraft draft, ThreadResolver.Decision decision,
      Instant now) {
    return decision.thread()
        .map(t -> ThreadChange.update(joined(t, now)))
        .orElseGet(() -> ThreadChange.start(new EmailThread(new ThreadId(Uuids.next()),
            draft.inboxId(), BaseSubject.of(draft.subject()), now, now, 1, Optional.empty())));
  }

  private Written duplicate(StoreTransaction tx, MessageDraft draft) {
    EmailMessage existing = tx.messages().findByMessageId(Scope.all(), draft.inboxId(),
        draft.messageId()).orElseThrow(() -> new StorageException("message "
            + draft.messageId() + " in inbox " + draft.inboxId() + " was reported as a duplicate"
            + " but cannot be found; retry the call", true, null));
    return new Written(existing, true, Optional.empty(), Optional.empty());
  }

  /**
   * Writes a decided message now: merges first, then the insert. The caller established under
   * the inbox lock that the inbox does not hold the message's Message-ID.
   */
  private Written persist(StoreTransaction tx, MessageDraft draft, Set<String> participants,
      ThreadResolver.Decision decision, Instant now) {
    if (!decision.absorbed().isEmpty()) {
      // Set-based, before the insert: every message of the absorbed threads moves at once.
      EmailThread merged = merged(decision.thread().orElseThrow(), decision.absorbed());
      tx.threads().merge(merged, decision.absorbed().stream().map(EmailThread::id).toList(), now);
      decision = new ThreadResolver.Decision(Optional.of(merged), decision.absorbed(),
          decision.placement());
    }
    ThreadChange change = change(draft, decision, now);
    EmailMessage stored = draft.in(change.thread().id());
    tx.messages().insertAll(List.of(new NewMessage(stored, participants,
        Optional.of(decision.placement()))), List.of(change));
    return new Written(stored, false, Optional.of(decision.placement()),
        decision.absorbed().isEmpty() ? Optional.empty() : Optional.of(change.thread()));
  }

  /**
   * A thread after a message joins it: one message more, last activity only moves forward, and
   * a deleted thread comes back. The caller read {@code t} under the inbox lock.
   */
  static EmailThread joined(EmailThread t, Instant at) {
    return new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(),
        at.isAfter(t.updatedAt()) ? at : t.updatedAt(), t.messageCount() + 1, Optional.empty());
  }

  /**
   * The survivor of a merge before the new message joins: every absorbed message counted, the
   * latest activity of all, and its own creation time (it is the oldest). Deletion is decided
   * by {@link #joined}: the message joining restores the thread, as a reply into a deleted
   * thread does.
   */
  static EmailThread merged(EmailThread survivor, List<EmailThread> absorbed) {
    int count = survivor.messageCount();
    Instant updated = survivor.updatedAt();
    for (EmailThread t : absorbed) {
      count += t.messageCount();
      updated = t.updatedAt().isAfter(updated) ? t.updatedAt() : updated;
    }
    return new EmailThread(survivor.id(), survivor.inboxId(), survivor.subject(),
        survivor.createdAt(), updated, count, survivor.deletedAt());
  }

  /**
   * Who counts for subject threading (ADR 0003): the From, To and Cc addresses, normalized,
   * minus addresses on the inbox's own domain (otherwise the inbox itself would be shared by
   * every message). Stored with the message; the store only matches these keys.
   */
  static Set<String> participants(MessageDraft m, String inboxDomain) {
    Set<String> out = new LinkedHashSet<>();
    Stream.of(Stream.of(m.from()), m.to().stream(), m.cc().stream())
        .flatMap(s -> s)
        .filter(a -> !a.domain().equals(inboxDomain))
        .map(EmailAddress::normalized)
        .forEach(out::add);
    return out;
  }
}
