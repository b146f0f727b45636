package dev.mailcore.internal.threading;

import dev.mailcore.EmailThread;
import dev.mailcore.MessageId;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which thread of an inbox a new message joins, and which threads its links merge
 * (DESIGN section 6, ADR 0003). The caller must hold the inbox lock
 * ({@link StoreTransaction#lockInbox(UUID)}) so that the lookups and the writes that follow are
 * not interleaved with another message's. Stateless and thread-safe.
 *
 * <p>Header links first. One lookup ({@link dev.mailcore.spi.MessageStore#findLinkedThreads})
 * finds every thread the message is linked to: stored messages its In-Reply-To or References
 * name, and stored messages that name it or any id of its chain the inbox does not hold (a
 * shared missing ancestor, JWZ's ghost container). The first rule that matches names the thread
 * for the explanation:
 * <ol>
 *   <li>In-Reply-To names a stored message.
 *   <li>The newest References entry that names a stored message.
 *   <li>A stored message names this message (it arrived before its parent).
 *   <li>A stored message names an id of this message's chain that the inbox does not hold
 *       (In-Reply-To first, then References newest first).
 * </ol>
 * When the links reach two or more threads, they are merged: the survivor is the oldest thread
 * (created_at, then id as an unsigned 128-bit number), whatever order the messages arrived in.
 * At most {@value #MAX_THREADS_LINKED} threads take part (the first by the rule order above);
 * links through a message a host moved or split merge nothing.
 *
 * <p>Only a message with neither In-Reply-To nor References may use the subject fallback: with a
 * Re/Fwd-style marker, the most recently active thread with the same base subject, a
 * participant in common and activity within the window (ties: the higher thread id). Otherwise,
 * or when its links name only messages nobody holds or names, it starts a new thread, which a
 * later linked message merges.
 */
public final class ThreadResolver {
  /** How many threads one message may link into one (it joins one and merges the others). */
  public static final int MAX_THREADS_LINKED = 8;

  /**
   * Rule 5's choice among candidates: latest activity, then the higher id as an unsigned 128-bit
   * number (PostgreSQL's {@code uuid} order, the order of the canonical strings).
   */
  static final Comparator<EmailThread> MOST_RECENTLY_ACTIVE =
      Comparator.comparing(EmailThread::updatedAt)
          .thenComparing(t -> t.id().value().getMostSignificantBits(), Long::compareUnsigned)
          .thenComparing(t -> t.id().value().getLeastSignificantBits(), Long::compareUnsigned);

  /** The survivor of a merge is the first in this order: oldest, then the lower id. */
  static final Comparator<EmailThread> OLDEST =
      Comparator.comparing(EmailThread::createdAt)
          .thenComparing(t -> t.id().value().getMostSignificantBits(), Long::compareUnsigned)
          .thenComparing(t -> t.id().value().getLeastSignificantBits(), Long::compareUnsigned);

  private final Duration window;

  /**
   * Creates a resolver.
   *
   * @param window how recent a thread's activity must be for subject fallback
   */
  public ThreadResolver(Duration window) {
    this.window = Objects.requireNonNull(window, "window");
  }

  /**
   * The decision.
   *
   * @param thread the existing thread to join (the survivor when threads merge), as read under
   *     the inbox lock; empty for a new thread
   * @param absorbed the other threads to merge into {@code thread}, as read under the lock
   * @param placement why; its merged list names {@code absorbed}
   */
  public record Decision(Optional<EmailThread> thread, List<EmailThread> absorbed,
      ThreadPlacement placement) {
    /**
     * The rule that decided.
     *
     * @return the rule
     */
    public ThreadPlacement.Rule rule() {
      return placement.rule();
    }
  }

  /**
   * What threading looks at in a message.
   *
   * @param messageId the message's id
   * @param inReplyTo its In-Reply-To
   * @param references its References, oldest first
   * @param subject its decoded subject
   * @param participants its participant keys (see the engine's message writer)
   */
  public record Links(MessageId messageId, Optional<MessageId> inReplyTo,
      List<MessageId> references, String subject, Collection<String> participants) {}

  /**
   * Finds the thread for a message.
   *
   * @param tx the transaction, holding the inbox lock
   * @param inboxId the inbox
   * @param links the message's threading fields
   * @param now the current time (for the subject window)
   * @return the decision
   */
  public Decision resolve(StoreTransaction tx, UUID inboxId, Links links, Instant now) {
    return resolve(tx, inboxId, links, now, BatchView.NONE);
  }

  /**
   * What a receive batch adds to the threading lookups of one inbox (ADR 0008): the messages of
   * the same transaction that are threaded but not yet written, and the store's links read for
   * the whole batch at once. {@link #resolve(StoreTransaction, UUID, Links, Instant, BatchView)}
   * then threads a message exactly as if the messages before it had been written one by one.
   * While any are unwritten none of them merged threads, and the caller writes them before a
   * message that may use the subject rule ({@link #mayUseSubject}) is resolved.
   */
  public interface BatchView {
    /** Nothing unwritten; the store is asked for every message. */
    BatchView NONE = new BatchView() {
      @Override
      public boolean hasUnwritten() {
        return false;
      }

      @Override
      public Optional<EmailThread> holder(MessageId id) {
        return Optional.empty();
      }

      @Override
      public List<ThreadLink> naming(MessageId id) {
        return List.of();
      }

      @Override
      public EmailThread current(EmailThread stored) {
        return stored;
      }
    };

    /**
     * The store's links for a message ({@link dev.mailcore.spi.MessageStore#findLinkedThreads}),
     * as of the last write of the batch. The default asks the store.
     *
     * @param tx the transaction
     * @param inboxId the inbox
     * @param self the message's Message-ID
     * @param chain its In-Reply-To and References, without itself
     * @return the stored links
     */
    default List<ThreadLink> stored(StoreTransaction tx, UUID inboxId, MessageId self,
        List<MessageId> chain) {
      // the writer settles a duplicate before threading: its held link is not a thread link
      return tx.messages().findLinkedThreads(inboxId, self, chain).stream()
          .filter(l -> !heldSelf(l, self)).toList();
    }

    /**
     * Whether there are unwritten messages.
     *
     * @return true if {@link #holder}, {@link #naming} or {@link #current} may answer
     */
    default boolean hasUnwritten() {
      return true;
    }

    /**
     * The thread of the unwritten message with this Message-ID.
     *
     * @param id a Message-ID
     * @return its thread as it is after the unwritten messages; empty if none has the id
     */
    Optional<EmailThread> holder(MessageId id);

    /**
     * Links through the unwritten messages whose In-Reply-To or References name {@code id}: at
     * least one per thread, {@code held} false.
     *
     * @param id a Message-ID
     * @return the links
     */
    List<ThreadLink> naming(MessageId id);

    /**
     * A thread as it is after the unwritten messages joined it.
     *
     * @param stored the thread as the store read it
     * @return the thread with the unwritten messages counted, or {@code stored}
     */
    EmailThread current(EmailThread stored);
  }

  /**
   * Finds the thread for a message, counting messages threaded before it in the same
   * transaction that are not written yet.
   *
   * @param tx the transaction, holding the inbox lock
   * @param inboxId the inbox
   * @param links the message's threading fields
   * @param now the current time (for the subject window)
   * @param batch what the batch adds for this inbox
   * @return the decision
   * @throws IllegalStateException if the subject rule would apply while messages are unwritten
   */
  public Decision resolve(StoreTransaction tx, UUID inboxId, Links links, Instant now,
      BatchView batch) {
    Set<MessageId> chain = chain(links);
    List<ThreadLink> found = batch.stored(tx, inboxId, links.messageId(), List.copyOf(chain));
    if (batch.hasUnwritten()) {
      found = withUnwritten(links.messageId(), chain, found, batch);
    }
    if (!found.isEmpty()) {
      return byLinks(links, chain, found);
    }
    Optional<String> base = subjectBase(links, chain);
    if (base.isPresent()) {
      if (batch.hasUnwritten()) {
        throw new IllegalStateException("write the unwritten messages before threading "
            + links.messageId() + " by subject");
      }
      Optional<EmailThread> bySubject = tx.threads().findBySubject(inboxId, base.get(),
          links.participants(), now.minus(window)).stream().max(MOST_RECENTLY_ACTIVE);
      if (bySubject.isPresent()) {
        return new Decision(bySubject, List.of(), ThreadPlacement.of(
            ThreadPlacement.Rule.SUBJECT, Optional.empty(), bySubject.map(EmailThread::id)));
      }
    }
    return new Decision(Optional.empty(), List.of(),
        ThreadPlacement.of(ThreadPlacement.Rule.NEW_THREAD, Optional.empty(), Optional.empty()));
  }

  /**
   * Whether a link of {@link dev.mailcore.spi.MessageStore#findLinkedThreads} is the held link
   * for the message itself: the inbox holds its Message-ID, so the message is a duplicate, and
   * the link names no thread to join.
   *
   * @param link a stored link
   * @param self the message's Message-ID
   * @return whether {@code link} says the inbox holds {@code self}
   */
  public static boolean heldSelf(ThreadLink link, MessageId self) {
    return link.held() && link.named().equals(self);
  }

  /**
   * Whether the subject rule could place this message: it has neither In-Reply-To nor
   * References, a Re/Fwd-style subject with a base, and participants. (It is used only when no
   * header link is found.)
   *
   * @param links the message's threading fields
   * @return whether the subject rule may apply
   */
  public static boolean mayUseSubject(Links links) {
    return subjectBase(links, chain(links)).isPresent();
  }

  /** The base subject the subject rule would match by, if it may apply (see above). */
  private static Optional<String> subjectBase(Links links, Set<MessageId> chain) {
    if (!chain.isEmpty() || links.participants().isEmpty()
        || !BaseSubject.isReplyOrForward(links.subject())) {
      return Optional.empty();
    }
    String base = BaseSubject.of(links.subject());
    return base.isEmpty() ? Optional.empty() : Optional.of(base);
  }

  /**
   * A message's chain in rule order: In-Reply-To, then References newest first, without itself.
   *
   * @param links the message's threading fields
   * @return the ids it links through
   */
  public static Set<MessageId> chain(Links links) {
    Set<MessageId> chain = new LinkedHashSet<>();
    links.inReplyTo().ifPresent(chain::add);
    List<MessageId> refs = links.references();
    for (int i = refs.size() - 1; i >= 0; i--) {
      chain.add(refs.get(i));
    }
    chain.remove(links.messageId());
    return chain;
  }

  /**
   * The store's links as they would be had the unwritten messages been written: an id an
   * unwritten message holds is held (so the stored messages naming it no longer count as
   * naming a missing id), unwritten messages naming this message or a missing id link too, and
   * every thread is read as the unwritten messages left it.
   */
  private static List<ThreadLink> withUnwritten(MessageId self, Set<MessageId> chain,
      List<ThreadLink> stored, BatchView unwritten) {
    Set<MessageId> storeHeld = new HashSet<>();
    stored.stream().filter(ThreadLink::held).forEach(l -> storeHeld.add(l.named()));
    List<ThreadLink> out = new ArrayList<>(stored.size() + 2);
    for (ThreadLink l : stored) {
      if (l.held() || unwritten.holder(l.named()).isEmpty()) {
        out.add(new ThreadLink(l.named(), l.held(), l.via(), l.manual(),
            unwritten.current(l.thread())));
      }
    }
    List<MessageId> missing = new ArrayList<>();
    missing.add(self);
    for (MessageId id : chain) {
      if (!storeHeld.contains(id)) {
        Optional<EmailThread> holder = unwritten.holder(id);
        if (holder.isPresent()) {
          out.add(new ThreadLink(id, true, id, false, holder.get()));
        } else {
          missing.add(id);
        }
      }
    }
    for (MessageId id : missing) {
      out.addAll(unwritten.naming(id));
    }
    return out;
  }

  private static Decision byLinks(Links links, Set<MessageId> chain, List<ThreadLink> found) {
    // Rank every link by the rule it satisfies, then by its id's place in the chain; ties
    // (several stored messages naming one id) by the oldest thread, so every store and every
    // arrival order explains the same way.
    List<MessageId> order = new ArrayList<>(chain);
    List<ThreadLink> ranked = new ArrayList<>(found);
    ranked.sort(Comparator.comparingInt((ThreadLink l) -> rank(l, links, order))
        .thenComparing(ThreadLink::thread, OLDEST));
    ThreadLink first = ranked.get(0);
    Map<ThreadId, EmailThread> threads = new LinkedHashMap<>();
    boolean manual = ranked.stream().anyMatch(ThreadLink::manual);
    for (ThreadLink l : ranked) {
      if (manual && !threads.isEmpty()) {
        break; // a host's correction is never undone by a merge
      }
      if (threads.size() < MAX_THREADS_LINKED) {
        threads.putIfAbsent(l.thread().id(), l.thread());
      }
    }
    EmailThread survivor = threads.values().stream().min(OLDEST).orElseThrow();
    List<EmailThread> absorbed = threads.values().stream()
        .filter(t -> !t.id().equals(survivor.id())).sorted(OLDEST).toList();
    ThreadPlacement.Rule rule = first.held()
        ? (links.inReplyTo().filter(first.named()::equals).isPresent()
            ? ThreadPlacement.Rule.IN_REPLY_TO : ThreadPlacement.Rule.REFERENCES)
        : (first.named().equals(links.messageId())
            ? ThreadPlacement.Rule.NAMED_BY_STORED : ThreadPlacement.Rule.SHARED_MISSING_ANCESTOR);
    return new Decision(Optional.of(survivor), absorbed, new ThreadPlacement(rule,
        Optional.of(first.via()), Optional.of(first.thread().id()),
        absorbed.stream().map(EmailThread::id).toList()));
  }

  /**
   * Rule order as one number: held In-Reply-To, held References (newest first), a stored
   * message naming this one, stored messages naming a missing id (chain order).
   */
  private static int rank(ThreadLink l, Links links, List<MessageId> chain) {
    int n = chain.size() + 1;
    if (l.held()) {
      int at = chain.indexOf(l.named());
      boolean irt = links.inReplyTo().filter(l.named()::equals).isPresent();
      return irt ? 0 : 1 + Math.max(at, 0);
    }
    if (l.named().equals(links.messageId())) {
      return 1 + n;
    }
    return 2 + n + Math.max(chain.indexOf(l.named()), 0);
  }
}
