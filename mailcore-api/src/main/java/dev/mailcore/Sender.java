package dev.mailcore;

import java.util.UUID;

/**
 * Sends new messages and replies from your inboxes ({@code mail.sender()}).
 *
 * <p>What a send does, in order: checks (the inbox and its domain are active, addresses are
 * valid, no recipient is suppressed, attachments are within {@link Limits#maxAttachmentBytes()});
 * builds the MIME message (Message-ID {@code <uuid@sending-domain>}, no Bcc header); stores the
 * raw bytes and the message (direction outbound, status Pending) threaded like inbound mail;
 * hands the bytes to the {@link dev.mailcore.spi.MailTransport} outside any database
 * transaction; then records Sent with the provider's id, or the failure.
 *
 * <p>Failures: a permanent transport failure marks the message Failed and throws the
 * {@link DeliveryException}. A retryable one ({@link DeliveryException#retryable()}) with an
 * idempotency key leaves the message Pending: sending again with the same key within 24 hours
 * retries that same message (same Message-ID) instead of creating another. Without a key the
 * message is marked Failed, since nothing could resume it. Two concurrent retries with the same
 * key can both reach the transport; serialize retries of one key if that matters.
 *
 * <p>Thread-safe.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface Sender {

  /**
   * Sends a new message.
   *
   * @param email the message
   * @return the stored message and its status; {@link SendResult#duplicate()} when the
   *     idempotency key matched an earlier send (nothing was sent by this call)
   * @throws NotFoundException if the inbox or its domain does not exist or is deleted
   * @throws SuppressedRecipientException if a recipient is suppressed and
   *     {@code skipSuppressed} is false, or every recipient is suppressed
   * @throws AttachmentTooLargeException if the attachments exceed the configured limit
   * @throws DeliveryException if no transport is configured or the transport failed
   */
  SendResult send(OutboundEmail email);

  /**
   * Replies to a stored message (inbound, or one of your own sent messages to follow it up).
   * See {@link Reply} for how recipients, subject and threading headers are derived.
   *
   * @param parentMessageId mailcore's id of the message answered ({@link EmailMessage#id()})
   * @param reply the reply
   * @return the stored reply and its status
   * @throws NotFoundException if the parent, its inbox or its domain does not exist or is
   *     deleted
   * @throws ValidationException if the parent names nobody to reply to
   * @throws SuppressedRecipientException as for {@link #send(OutboundEmail)}
   * @throws AttachmentTooLargeException as for {@link #send(OutboundEmail)}
   * @throws DeliveryException as for {@link #send(OutboundEmail)}
   */
  SendResult reply(UUID parentMessageId, Reply reply);
}
