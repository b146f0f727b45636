package dev.mailcore.spi;

import dev.mailcore.EmailThread;
import dev.mailcore.MessageId;
import java.util.Objects;

/**
 * One header link between a message being threaded and a thread of its inbox, as
 * {@link MessageStore#findLinkedThreads} finds it. Immutable and thread-safe.
 *
 * @param named the Message-ID that links: one of the new message's ids (its own, its
 *     In-Reply-To or a References entry)
 * @param held true if the inbox holds a message with that Message-ID (or alias): {@code via} is
 *     that message; false if a stored message's In-Reply-To or References names it:
 *     {@code via} is that stored message
 * @param via the Message-ID of the stored message the link goes through
 * @param manual whether a host moved or split {@code via} by hand (its placement rule is
 *     {@code MOVED} or {@code SPLIT}); such links never merge threads
 * @param thread the current row of {@code via}'s thread
 */
public record ThreadLink(MessageId named, boolean held, MessageId via, boolean manual,
    EmailThread thread) {

  /** Checks the fields. */
  public ThreadLink {
    Objects.requireNonNull(named, "named");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(thread, "thread");
  }
}
