package dev.mailcore.spi;

import dev.mailcore.EmailMessage;
import dev.mailcore.ThreadPlacement;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One message for {@link MessageStore#insertAll}: the row, its participant keys and why it is in
 * its thread. Immutable and thread-safe.
 *
 * @param message the message; its thread id names one of the thread rows passed with it
 * @param participants the keys {@link ThreadStore#findBySubject} matches it by (stored as given;
 *     may be empty)
 * @param placement the threading decision to keep with it ({@link MessageStore#findPlacement})
 */
public record NewMessage(EmailMessage message, Collection<String> participants,
    Optional<ThreadPlacement> placement) {

  /** Checks the fields and copies the participants. */
  public NewMessage {
    Objects.requireNonNull(message, "message");
    participants = Set.copyOf(Objects.requireNonNull(participants, "participants"));
    Objects.requireNonNull(placement, "placement");
  }
}
