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
   * Looks up a thread that is not deleted.
   *
   * @param id the thread id
   * @return the thread, or empty if it does not exist or was deleted
   */
  Optional<EmailThread> get(ThreadId id);

  /**
   * Lists a thread's messages, oldest first.
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
}
