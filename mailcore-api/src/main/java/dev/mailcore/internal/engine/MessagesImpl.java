package dev.mailcore.internal.engine;

import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.MessageId;
import dev.mailcore.Messages;
import dev.mailcore.NotFoundException;
import dev.mailcore.spi.BlobStore;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class MessagesImpl implements Messages {
  private final Engine engine;

  MessagesImpl(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Optional<EmailMessage> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.messages().find(id));
  }

  @Override
  public Optional<EmailMessage> find(UUID inboxId, MessageId messageId) {
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(messageId, "messageId");
    return engine.store().inTransaction(tx -> tx.messages().findByMessageId(inboxId, messageId));
  }

  @Override
  public InputStream raw(UUID id) {
    EmailMessage m = get(id).orElseThrow(() -> new NotFoundException("message", id.toString()));
    return engine.config().blobs().get(BlobStore.Namespace.RAW, m.rawStorageKey())
        .orElseThrow(() -> new NotFoundException("raw message", m.rawStorageKey()));
  }

  @Override
  public InputStream attachment(UUID messageId, UUID attachmentId) {
    Objects.requireNonNull(attachmentId, "attachmentId");
    EmailMessage m = get(messageId)
        .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
    EmailAttachment a = m.attachments().stream().filter(x -> x.id().equals(attachmentId))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("attachment", attachmentId.toString()));
    return engine.config().blobs().get(BlobStore.Namespace.ATTACHMENTS, a.storageKey())
        .orElseThrow(() -> new NotFoundException("attachment content", a.storageKey()));
  }
}
