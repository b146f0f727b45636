package dev.mailcore.spi;

import dev.mailcore.MessageId;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link MailTransport} is asked to send: finished MIME bytes and the SMTP envelope.
 *
 * @param messageId the message's Message-ID (for logs and provider tagging)
 * @param rawMime the complete RFC 5322 message, exactly as it must leave (no Bcc header)
 * @param envelopeSender the MAIL FROM address
 * @param recipients the RCPT TO addresses (To, Cc and Bcc), normalized, at least one
 */
public record TransportRequest(MessageId messageId, byte[] rawMime, String envelopeSender,
    List<String> recipients) {

  /** Checks the fields and copies the recipients. */
  public TransportRequest {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(rawMime, "rawMime");
    Objects.requireNonNull(envelopeSender, "envelopeSender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("recipients must not be empty");
    }
  }
}
