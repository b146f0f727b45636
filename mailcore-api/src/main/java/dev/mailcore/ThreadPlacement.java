package dev.mailcore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a message is in its thread: the threading rule that placed it (or the host's correction),
 * what the rule matched, and which threads the placement merged into the message's thread
 * (ADR 0003). Read it with {@link Threads#explain(java.util.UUID)}. Immutable and thread-safe.
 *
 * @param rule the rule that decided
 * @param matchedMessageId for the header rules, the Message-ID that matched: the stored parent
 *     ({@link Rule#IN_REPLY_TO}, {@link Rule#REFERENCES}), the stored message that names this
 *     one or one of its missing ancestors ({@link Rule#NAMED_BY_STORED},
 *     {@link Rule#SHARED_MISSING_ANCESTOR}); empty for the other rules
 * @param matchedThread the thread the rule chose when it decided (for a merge, the thread the
 *     first matching rule named, which may since have been merged; {@link Threads#get} still
 *     leads to it); for {@link Rule#MOVED} the target; empty for a new thread
 * @param mergedThreads the threads this message's links merged into its thread when it was
 *     stored (absorbed ids, each now redirecting to the survivor); empty when none
 */
public record ThreadPlacement(Rule rule, Optional<MessageId> matchedMessageId,
    Optional<ThreadId> matchedThread, List<ThreadId> mergedThreads) {

  /** Checks the fields and copies the list. */
  public ThreadPlacement {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(matchedMessageId, "matchedMessageId");
    Objects.requireNonNull(matchedThread, "matchedThread");
    mergedThreads = List.copyOf(mergedThreads);
  }

  /**
   * A placement without merges.
   *
   * @param rule the rule
   * @param matchedMessageId the Message-ID it matched, if any
   * @param matchedThread the thread it chose, if any
   * @return the placement
   */
  public static ThreadPlacement of(Rule rule, Optional<MessageId> matchedMessageId,
      Optional<ThreadId> matchedThread) {
    return new ThreadPlacement(rule, matchedMessageId, matchedThread, List.of());
  }

  /**
   * The rules, in the order threading tries them, then the host's corrections.
   */
  public enum Rule {
    /** In-Reply-To names a stored message. */
    IN_REPLY_TO,
    /** The newest References entry that names a stored message. */
    REFERENCES,
    /** A stored message names this message in its In-Reply-To or References. */
    NAMED_BY_STORED,
    /** A stored message names an id of this message's chain that the inbox does not hold. */
    SHARED_MISSING_ANCESTOR,
    /** Subject fallback: no In-Reply-To or References at all, a reply or forward marker, same
     * base subject, a shared participant, recent activity. */
    SUBJECT,
    /** Nothing matched: a new thread. */
    NEW_THREAD,
    /** The host moved the message ({@link Threads#move}). */
    MOVED,
    /** The host split the message into a thread of its own ({@link Threads#split}). */
    SPLIT;

    /**
     * Whether a host placed the message by hand; such messages never cause merges.
     *
     * @return true for {@link #MOVED} and {@link #SPLIT}
     */
    public boolean manual() {
      return this == MOVED || this == SPLIT;
    }
  }
}
