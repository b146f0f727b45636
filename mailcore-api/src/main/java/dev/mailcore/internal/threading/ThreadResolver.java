package dev.mailcore.internal.threading;

import dev.mailcore.EmailThread;
import dev.mailcore.MessageId;
import dev.mailcore.spi.StoreTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which thread of an inbox a new message joins (DESIGN section 6). The caller must hold
 * the inbox lock ({@link StoreTransaction#lockInbox(UUID)}) so that the lookups and the write
 * that follows are not interleaved with another message's. Stateless and thread-safe.
 *
 * <p>Rules, first match wins:
 * <ol>
 *   <li>In-Reply-To names a message this inbox holds: its thread.
 *   <li>The newest References entry this inbox holds: its thread.
 *   <li>A message this inbox holds names this message in its In-Reply-To or References (the
 *       reply arrived first): that thread.
 *   <li>A message this inbox holds names the same missing ancestor (an In-Reply-To or References
 *       id the inbox does not hold): that thread. Siblings whose common parent was never
 *       received, or arrives later, stay together, as JWZ's "ghost" containers keep them. At most
 *       {@value #MAX_GHOST_LOOKUPS} ids are tried: In-Reply-To, the newest References, the root.
 *   <li>Subject fallback, only for messages that look like replies (a Re/Fwd-style prefix, or
 *       In-Reply-To/References that name messages this inbox does not hold): the most recently
 *       active thread with the same base subject, a participant in common, and activity within
 *       the window (ties: the higher thread id, compared as an unsigned 128-bit number).
 *   <li>Otherwise a new thread.
 * </ol>
 * Rule 5 is limited to reply-like messages as RFC 5256's REFERENCES algorithm does: two
 * unrelated notifications that share a subject ("Your invoice") from the same sender must stay
 * apart, while a reply from a client that dropped In-Reply-To still finds its conversation.
 */
public final class ThreadResolver {
  /** Bounds the per-message lookups for rule 4 on a long References chain. */
  static final int MAX_GHOST_LOOKUPS = 4;

  /**
   * Rule 5's choice among candidates: latest activity, then the higher id as an unsigned 128-bit
   * number (PostgreSQL's {@code uuid} order, the order of the canonical strings).
   */
  static final Comparator<EmailThread> MOST_RECENTLY_ACTIVE =
      Comparator.comparing(EmailThread::updatedAt)
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

  /** Which rule placed the message; useful in logs and tests. */
  public enum Rule {
    /** Rule 1. */
    IN_REPLY_TO,
    /** Rule 2. */
    REFERENCES,
    /** Rule 3. */
    CHILD_ARRIVED_FIRST,
    /** Rule 4. */
    SHARED_MISSING_ANCESTOR,
    /** Rule 5. */
    SUBJECT,
    /** Rule 6. */
    NEW_THREAD
  }

  /**
   * The decision.
   *
   * @param thread the existing thread to join, as read under the inbox lock; empty for a new
   *     thread
   * @param rule the rule that decided
   */
  public record Decision(Optional<EmailThread> thread, Rule rule) {}

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
    List<MessageId> linked = new ArrayList<>(links.references().size() + 1);
    links.inReplyTo().ifPresent(linked::add);
    linked.addAll(links.references());
    linked.remove(links.messageId());
    if (!linked.isEmpty()) {
      Map<MessageId, EmailThread> known = tx.messages().findThreadsOf(inboxId, linked);
      Optional<EmailThread> parent = links.inReplyTo().map(known::get);
      if (parent.isPresent()) {
        return new Decision(parent, Rule.IN_REPLY_TO);
      }
      for (int i = links.references().size() - 1; i >= 0; i--) {
        EmailThread t = known.get(links.references().get(i));
        if (t != null) {
          return new Decision(Optional.of(t), Rule.REFERENCES);
        }
      }
    }
    Optional<EmailThread> child = tx.messages().findThreadReferencing(inboxId, links.messageId());
    if (child.isPresent()) {
      return new Decision(child, Rule.CHILD_ARRIVED_FIRST);
    }
    for (MessageId ghost : ghostCandidates(links)) {
      Optional<EmailThread> sibling = tx.messages().findThreadReferencing(inboxId, ghost);
      if (sibling.isPresent()) {
        return new Decision(sibling, Rule.SHARED_MISSING_ANCESTOR);
      }
    }
    String base = BaseSubject.of(links.subject());
    boolean replyLike = !linked.isEmpty() || BaseSubject.isReplyOrForward(links.subject());
    if (replyLike && !base.isEmpty() && !links.participants().isEmpty()) {
      Optional<EmailThread> bySubject = tx.threads().findBySubject(inboxId, base,
          links.participants(), now.minus(window)).stream().max(MOST_RECENTLY_ACTIVE);
      if (bySubject.isPresent()) {
        return new Decision(bySubject, Rule.SUBJECT);
      }
    }
    return new Decision(Optional.empty(), Rule.NEW_THREAD);
  }

  /**
   * The ids to try for rule 4, in order: In-Reply-To, the newest References entries, the root.
   * Only called when none of them is held by the inbox (rules 1 and 2 failed).
   */
  private static Set<MessageId> ghostCandidates(Links links) {
    Set<MessageId> ids = new LinkedHashSet<>();
    links.inReplyTo().ifPresent(ids::add);
    List<MessageId> refs = links.references();
    for (int i = refs.size() - 1; i >= 0 && ids.size() < MAX_GHOST_LOOKUPS - 1; i--) {
      ids.add(refs.get(i));
    }
    if (!refs.isEmpty()) {
      ids.add(refs.get(0));
    }
    ids.remove(links.messageId());
    return ids;
  }
}
