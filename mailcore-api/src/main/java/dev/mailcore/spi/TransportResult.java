package dev.mailcore.spi;

import dev.mailcore.MessageId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MailTransport} reports about a message it accepted. Immutable and thread-safe.
 *
 * @param providerId the provider's id for the message (SES MessageId, an SMTP queue id, or the
 *     Message-ID when the provider reports none), used to correlate delivery events
 * @param deliveredMessageId the Message-ID recipients actually see, when the provider replaces
 *     the one mailcore wrote (SES does: {@code <ses-message-id@region.amazonses.com>}); mailcore
 *     records it as an alias of the sent message so replies naming it join its thread. Empty
 *     when the message leaves with mailcore's own Message-ID.
 */
public record TransportResult(String providerId, Optional<MessageId> deliveredMessageId) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code providerId} is blank
   */
  public TransportResult {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(deliveredMessageId, "deliveredMessageId");
    if (providerId.isBlank()) {
      throw new IllegalArgumentException("providerId must not be blank");
    }
  }

  /**
   * A result for a provider that keeps mailcore's Message-ID.
   *
   * @param providerId the provider's id for the message
   * @return the result
   * @throws IllegalArgumentException if {@code providerId} is blank
   */
  public static TransportResult of(String providerId) {
    return new TransportResult(providerId, Optional.empty());
  }
}
