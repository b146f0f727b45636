package dev.mailcore.internal.mime;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The top-level header values the engine needs before the bodies are read, handed to a {@link
 * HeaderListener} during {@link MimeParser#parse}: the Message-ID (for storage keys) and the
 * To/Cc recipients (the routing fallback when no envelope recipients were given).
 *
 * @param messageId the first usable id of the Message-ID field, if any
 * @param to the usable To addresses, in header order
 * @param cc the usable Cc addresses, in header order
 * @param unusableRecipients To and Cc entries that name no usable address, as written (for
 *     {@code ReceiveResult.unknownRecipients}, so no recipient is lost silently)
 */
public record HeaderSummary(Optional<MessageId> messageId, List<EmailAddress> to,
    List<EmailAddress> cc, List<String> unusableRecipients) {

  /** A message whose header could not be read: no Message-ID and no recipients. */
  public static final HeaderSummary NONE =
      new HeaderSummary(Optional.empty(), List.of(), List.of(), List.of());

  /**
   * The usable To and Cc addresses, in header order.
   *
   * @return To, then Cc
   */
  public List<EmailAddress> recipients() {
    List<EmailAddress> all = new ArrayList<>(to.size() + cc.size());
    all.addAll(to);
    all.addAll(cc);
    return List.copyOf(all);
  }
}
