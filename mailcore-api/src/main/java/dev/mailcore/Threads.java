package dev.mailcore;

import java.util.Optional;
import java.util.UUID;

/**
 * Reads and deletes conversations. Obtain it from {@link MailCore#threads()}. Thread-safe. Not
 * meant to be implemented outside mailcore.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Threads {

  /**
   * Lists an inbox's threads, most recent activity first. Soft-deleted threads are not listed.
   *
   * @param inboxId the inbox
   * @param page which page
   * @return the page
   * @throws ValidationException if the cursor is not one this listing returned
   */
  Page<EmailThread> list(UUID inboxId, PageRequest page);

  /**
   * Looks up a thread that is not deleted. An id of a thread that was merged into another
   * (ADR 0003: a late message linked both) leads to the thread it was merged into, so a host
   * that stored the old id keeps working; the returned thread's {@link EmailThread#id()} is then
   * the survivor's.
   *
   * @param id the thread id
   * @return the thread, or empty if it does not exist or was deleted
   */
  Optional<EmailThread> get(ThreadId id);

  /**
   * Lists a thread's messages, oldest first. A merged thread's id lists the survivor's messages
   * (see {@link #get}).
   *
   * @param id the thread id
   * @param page which page
   * @return the page
   * @throws NotFoundException if the thread does not exist or was deleted
   * @throws ValidationException if the cursor is not one this listing returned
   */
  Page<EmailMessage> messages(ThreadId id, PageRequest page);

  /**
   * Soft-deletes a thread: it disappears from listings, its messages stay readable through
   * {@link Messages#get(UUID)}, and a new reply into it restores it.
   *
   * @param id the thread id
   * @throws NotFoundException if the thread does not exist or was already deleted
   */
  void delete(ThreadId id);

  /**
   * Why a message is in its thread: the rule that placed it, what it matched, and which threads
   * its arrival merged (ADR 0003).
   *
   * @param messageId mailcore's message id
   * @return the placement; empty for messages stored before placements were recorded (schema
   *     version 8)
   * @throws NotFoundException if there is no such message
   */
  Optional<ThreadPlacement> explain(UUID messageId);

  /**
   * Moves a message into another thread of its inbox. Both threads' message counts and last
   * activity follow; a thread left without messages disappears and its id leads to
   * {@code target} (as after a merge). Later replies to the message follow it, and links
   * through it never merge threads again. The placement becomes {@link ThreadPlacement.Rule#MOVED}.
   *
   * @param messageId mailcore's message id
   * @param target the thread to move it to (a merged id leads to its survivor)
   * @return the target thread after the move
   * @throws NotFoundException if the message or the target thread does not exist, or the
   *     target was deleted
   * @throws ValidationException if the target belongs to another inbox
   */
  EmailThread move(UUID messageId, ThreadId target);

  /**
   * Takes a message out of its thread into a new thread of its own, with the message's base
   * subject. The old thread's count and last activity follow; later replies to the message
   * follow it. The placement becomes {@link ThreadPlacement.Rule#SPLIT}. A message that is
   * alone in its thread stays where it is.
   *
   * @param messageId mailcore's message id
   * @return the message's thread afterwards
   * @throws NotFoundException if there is no such message
   */
  EmailThread split(UUID messageId);
}
