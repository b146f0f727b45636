package dev.mailcore.spi;

/**
 * Hands finished messages to a mail provider (SES, an SMTP server, or a recorder in tests).
 * Implementations must be thread-safe.
 */
public interface MailTransport extends AutoCloseable {

  /**
   * Sends one message.
   *
   * @param request the MIME bytes and envelope
   * @return the provider's id for the message (SES MessageId, or the SMTP server's queue id when
   *     it reports one, else the Message-ID), used to correlate delivery events, and the
   *     Message-ID recipients see if the provider replaced mailcore's
   * @throws dev.mailcore.DeliveryException if the provider refused or could not be reached;
   *     {@code retryable()} tells whether a later attempt may succeed
   */
  TransportResult send(TransportRequest request);

  /** Releases resources this transport created itself; injected clients are not closed. */
  @Override
  default void close() {}
}
