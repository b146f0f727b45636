package dev.mailcore.internal.threading;

import dev.mailcore.MessageId;
import dev.mailcore.ThreadId;
import dev.mailcore.spi.StoreTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *   <li>Subject fallback, only for messages that look like replies (a Re/Fwd-style prefix, or
 *       In-Reply-To/References that name messages this inbox does not hold): the most recently
 *       active thread with the same base subject, a participant in common, and activity within
 *       the window.
 *   <li>Otherwise a new thread.
 * </ol>
 * Rule 4 is limited to reply-like messages as RFC 5256's REFERENCES algorithm does: two
 * unrelated notifications that share a subject ("Your invoice") from the same sender must stay
 * apart, while a reply from a client that dropped In-Reply-To still finds its conversation.
 */
public final class ThreadResolver {
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
    SUBJECT,
    /** Rule 5. */
    NEW_THREAD
  }

  /**
   * The decision.
   *
   * @param thread the existing thread to join, empty for a new thread
   * @param rule the rule that decided
   */
  public record Decision(Optional<ThreadId> thread, Rule rule) {}

  /**
   * What threading looks at in a message.
   *
   * @param messageId the message's id
   * @param inReplyTo its In-Reply-To
   * @param references its References, oldest first
   * @param subject its decoded subject
   * @param participants its normalized From/To/Cc addresses, excluding the inbox's own domain
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
      Map<MessageId, ThreadId> known = tx.findThreadsOf(inboxId, linked);
      Optional<ThreadId> parent = links.inReplyTo().map(known::get);
      if (parent.isPresent()) {
        return new Decision(parent, Rule.IN_REPLY_TO);
      }
      for (int i = links.references().size() - 1; i >= 0; i--) {
        ThreadId t = known.get(links.references().get(i));
        if (t != null) {
          return new Decision(Optional.of(t), Rule.REFERENCES);
        }
      }
    }
    Optional<ThreadId> child = tx.findThreadReferencing(inboxId, links.messageId());
    if (child.isPresent()) {
      return new Decision(child, Rule.CHILD_ARRIVED_FIRST);
    }
    String base = BaseSubject.of(links.subject());
    boolean replyLike = !linked.isEmpty() || BaseSubject.isReplyOrForward(links.subject());
    if (replyLike && !base.isEmpty() && !links.participants().isEmpty()) {
      Optional<ThreadId> bySubject = tx.findThreadBySubject(inboxId, base, links.participants(),
          now.minus(window));
      if (bySubject.isPresent()) {
        return new Decision(bySubject, Rule.SUBJECT);
      }
    }
    return new Decision(Optional.empty(), Rule.NEW_THREAD);
  }
}
