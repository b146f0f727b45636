package dev.mailcore;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates and manages inboxes, and receives inbound mail into them. Obtain it from
 * {@link MailCore#mailboxes()}. Thread-safe. Not meant to be implemented outside mailcore.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Mailboxes {

  /**
   * Creates an inbox on an active domain.
   *
   * @param domainId the domain
   * @param spec local part, name, catch-all flag
   * @return the new inbox
   * @throws NotFoundException if the domain does not exist or was deleted
   * @throws ConflictException if the domain already has an active inbox with that local part,
   *     or already has a catch-all and {@code spec} asks for another; it names that inbox's id
   */
  Inbox create(UUID domainId, InboxSpec spec);

  /**
   * Looks up an active inbox.
   *
   * @param id the inbox id
   * @return the inbox, or empty if it does not exist or was deleted
   */
  Optional<Inbox> get(UUID id);

  /**
   * Looks up the active inbox an address routes to exactly (no plus-addressing, no catch-all).
   *
   * @param address for example {@code support@mail.acme.com}
   * @return the inbox, if any
   * @throws ValidationException if the address is invalid
   */
  Optional<Inbox> byAddress(String address);

  /**
   * Lists a domain's active inboxes, oldest first.
   *
   * @param domainId the domain
   * @param page which page
   * @return the page
   * @throws ValidationException if the cursor is not one this listing returned
   */
  Page<Inbox> list(UUID domainId, PageRequest page);

  /**
   * Replaces an inbox's local part, name and catch-all flag.
   *
   * @param id the inbox id
   * @param spec the new values
   * @return the updated inbox
   * @throws NotFoundException if no active inbox has that id
   * @throws ConflictException on the conflicts {@link #create} reports
   */
  Inbox update(UUID id, InboxSpec spec);

  /**
   * Soft-deletes an inbox: it stops receiving; its threads and messages stay readable by id.
   *
   * @param id the inbox id
   * @throws NotFoundException if no active inbox has that id
   */
  void delete(UUID id);

  /**
   * Receives one message: stores the raw bytes first, parses them, routes each envelope
   * recipient to an inbox (exact address, then {@code local+tag@}, then the domain's catch-all),
   * skips inboxes that already hold the Message-ID, threads the message and stores it in every
   * inbox it was routed to, in one store transaction.
   *
   * <p>Safe to call again with the same message (an SES or SMTP redelivery): the inboxes that
   * already have it report {@link ReceiveResult.InboxDelivery#duplicate()}.
   *
   * @param mail the raw message and envelope recipients
   * @return what was stored where, and which recipients matched no inbox
   * @throws MessageTooLargeException if the message is larger than
   *     {@link Limits#maxMessageBytes()} (nothing is stored)
   * @throws MalformedMessageException if the message breaks a parsing limit; the raw bytes are
   *     stored and the exception names their key
   * @throws StorageException if storing fails; nothing was partially written to the store
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: inbound mail is
   *     routed by address, whoever owns the inbox; call it on the unscoped {@code MailCore}
   */
  ReceiveResult receive(InboundMail mail);

  /** The most messages one {@link #receiveAll} call takes. */
  int MAX_RECEIVE_BATCH = 100;

  /**
   * Receives several messages at once, as a queue consumer gets them (an SQS batch, an SMTP
   * server's queue). Each message goes through the steps of {@link #receive}, and gets the same
   * result; the difference is that all messages that were stored raw and parsed are then routed,
   * threaded and stored in one store transaction, which costs much less per message than one
   * transaction each. Messages are threaded in list order, so a reply later in the list joins
   * its parent earlier in it. Every inbox the batch reaches stays locked for the duration of that
   * transaction, which is why batches are bounded.
   *
   * <p>A message that fails does not fail the others: an oversized or unparseable message is
   * reported as {@link ReceiveOutcome.Failed} before the transaction, and if the batch
   * transaction fails, each message is stored on its own so only the one that causes it fails.
   * Safe to call again with the same messages, as {@link #receive} is.
   *
   * <p>Memory: every message's parsed bodies (each at most {@link Limits#maxBodyBytes()}) are
   * held until the batch is stored; attachments are streamed to the blob store as for
   * {@link #receive}.
   *
   * @param mails 1 to {@value #MAX_RECEIVE_BATCH} messages, in arrival order
   * @return one outcome per message, in the order given
   * @throws ValidationException if {@code mails} is empty or holds more than
   *     {@value #MAX_RECEIVE_BATCH} messages
   * @throws NullPointerException if {@code mails} or one of its elements is null
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: as for {@link
   *     #receive}; call it on the unscoped {@code MailCore}
   */
  List<ReceiveOutcome> receiveAll(List<InboundMail> mails);
}
