package dev.mailcore.internal.mime;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.util.List;
import java.util.Optional;

/**
 * The top-level header values the engine needs before the full parse ({@link
 * MimeParser#readHeader}).
 *
 * @param messageId the first usable id of the Message-ID field, if any
 * @param recipients the To and Cc addresses that are usable, in header order
 * @param unusableRecipients To and Cc entries that name no usable address, as written (for
 *     {@code ReceiveResult.unknownRecipients}, so no recipient is lost silently)
 */
public record HeaderSummary(Optional<MessageId> messageId, List<EmailAddress> recipients,
    List<String> unusableRecipients) {}
