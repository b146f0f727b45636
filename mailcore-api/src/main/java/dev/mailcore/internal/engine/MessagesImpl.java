package dev.mailcore.internal.engine;

import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.MessageId;
import dev.mailcore.Messages;
import dev.mailcore.NotFoundException;
import dev.mailcore.UnsupportedByStoreException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.Scope;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class MessagesImpl implements Messages {
  /** S3's longest presigned-URL lifetime (SigV4). */
  private static final Duration MAX_URL_LIFETIME = Duration.ofDays(7);

  private final Engine engine;

  private final Scope scope;

  MessagesImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  @Override
  public Optional<EmailMessage> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.messages().find(scope, id));
  }

  @Override
  public Optional<EmailMessage> find(UUID inboxId, MessageId messageId) {
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(messageId, "messageId");
    return engine.store().inTransaction(tx -> tx.messages().findByMessageId(scope, inboxId, messageId));
  }

  @Override
  public InputStream raw(UUID id) {
    EmailMessage m = get(id).orElseThrow(() -> new NotFoundException("message", id.toString()));
    return engine.config().blobs().get(BlobStore.Namespace.RAW, m.rawStorageKey())
        .orElseThrow(() -> new NotFoundException("raw message", m.rawStorageKey()));
  }

  @Override
  public InputStream attachment(UUID messageId, UUID attachmentId) {
    EmailAttachment a = findAttachment(messageId, attachmentId);
    return engine.config().blobs().get(BlobStore.Namespace.ATTACHMENTS, a.storageKey())
        .orElseThrow(() -> new NotFoundException("attachment content", a.storageKey()));
  }

  @Override
  public URI attachmentUrl(UUID messageId, UUID attachmentId, Duration validFor) {
    Objects.requireNonNull(validFor, "validFor");
    if (validFor.isZero() || validFor.isNegative() || validFor.compareTo(MAX_URL_LIFETIME) > 0) {
      throw new ValidationException("validFor", "must be positive and at most 7 days (S3's"
          + " limit for presigned URLs), got " + validFor);
    }
    EmailAttachment a = findAttachment(messageId, attachmentId);
    BlobStore blobs = engine.config().blobs();
    return blobs.downloadUrl(BlobStore.Namespace.ATTACHMENTS, a.storageKey(),
        new BlobStore.Download(validFor, a.contentType(),
            ContentDisposition.attachment(a.filename())))
        .orElseThrow(() -> new UnsupportedByStoreException("attachment download URLs",
            blobs.toString(), "stream the content with messages().attachment(messageId,"
                + " attachmentId) and serve it from your application, or configure a blob"
                + " store that presigns, such as S3BlobStore"));
  }

  private EmailAttachment findAttachment(UUID messageId, UUID attachmentId) {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(attachmentId, "attachmentId");
    EmailMessage m = get(messageId)
        .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
    return m.attachments().stream().filter(x -> x.id().equals(attachmentId))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("attachment", attachmentId.toString()));
  }
}
