package dev.mailcore.internal.engine;

import dev.mailcore.AttachmentTooLargeException;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryException;
import dev.mailcore.DeliveryReport;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Direction;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.NotFoundException;
import dev.mailcore.OutboundAttachment;
import dev.mailcore.OutboundEmail;
import dev.mailcore.Reply;
import dev.mailcore.SendResult;
import dev.mailcore.Sender;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressedRecipientException;
import dev.mailcore.ValidationException;
import dev.mailcore.internal.outbound.MimeComposer;
import dev.mailcore.internal.threading.BaseSubject;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.IdempotencyRecord;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import dev.mailcore.spi.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound mail (DESIGN section 5): checks, MIME, raw-first storage, threading, transport
 * outside the transaction, then Sent or the failure. Thread-safe.
 */
final class SenderImpl implements Sender {
  private static final Logger LOG = LoggerFactory.getLogger(SenderImpl.class);
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private final Engine engine;
  private final MimeComposer composer = new MimeComposer();

  private final Scope scope;

  SenderImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  /** Everything a send needs, whether it came from send() or reply(). */
  private record Outgoing(UUID inboxId, List<EmailAddress> to, List<EmailAddress> cc,
      List<EmailAddress> bcc, String subject, Optional<String> text, Optional<String> html,
      List<OutboundAttachment> attachments, Map<String, String> headers,
      Optional<String> fromName, List<EmailAddress> replyTo, Optional<MessageId> inReplyTo,
      List<MessageId> references, Optional<String> idempotencyKey, boolean skipSuppressed) {}

  /** The sending identity, read in the first transaction. */
  private record Origin(Inbox inbox, Domain domain) {
    EmailAddress address() {
      return EmailAddress.of(inbox.localPart() + "@" + domain.name());
    }

    String envelopeSender() {
      return domain.bounceAddress().orElse(address()).address();
    }
  }

  @Override
  public SendResult send(OutboundEmail email) {
    Objects.requireNonNull(email, "email");
    return deliver(new Outgoing(email.inboxId(), email.to(), email.cc(), email.bcc(),
        email.subject(), email.text(), email.html(), email.attachments(), email.headers(),
        email.fromName(), email.replyTo(), Optional.empty(), List.of(), email.idempotencyKey(),
        email.skipSuppressed()));
  }

  @Override
  public SendResult reply(UUID parentMessageId, Reply reply) {
    Objects.requireNonNull(parentMessageId, "parentMessageId");
    Objects.requireNonNull(reply, "reply");
    record Parent(EmailMessage message, MessageId seenAs) {}
    Parent found = engine.store().inTransaction(tx -> tx.messages().find(scope, parentMessageId)
        .map(m -> new Parent(m, tx.messages().findAlias(m.id()).orElse(m.messageId()))))
        .orElseThrow(() -> new NotFoundException("message", parentMessageId.toString()));
    EmailMessage parent = found.message();
    Origin origin = engine.store().inTransaction(tx -> origin(tx, parent.inboxId()));
    String self = origin.address().normalized();

    List<EmailAddress> to = new ArrayList<>();
    if (parent.direction() == Direction.OUTBOUND) {
      // Following up our own message: to the same people.
      to.addAll(parent.to());
    } else {
      to.addAll(replyToOf(parent));
    }
    to.removeIf(a -> a.normalized().equals(self));
    List<EmailAddress> cc = new ArrayList<>();
    if (reply.replyAll()) {
      Set<String> seen = new HashSet<>();
      seen.add(self);
      to.forEach(a -> seen.add(a.normalized()));
      List<EmailAddress> others = new ArrayList<>();
      if (parent.direction() == Direction.INBOUND) {
        others.addAll(parent.to());
      }
      others.addAll(parent.cc());
      for (EmailAddress a : others) {
        if (seen.add(a.normalized())) {
          cc.add(a);
        }
      }
    }
    if (to.isEmpty() && cc.isEmpty()) {
      throw new ValidationException("parentMessageId", "message " + parentMessageId
          + " names nobody to reply to (its Reply-To/From is the inbox itself); use send()"
          + " with explicit recipients");
    }
    if (to.isEmpty()) {
      to.add(cc.remove(0));
    }
    // The parent as its recipients know it: SES, for one, replaced our Message-ID.
    List<MessageId> references = new ArrayList<>(parent.references());
    references.remove(parent.messageId());
    references.remove(found.seenAs());
    references.add(found.seenAs());
    return deliver(new Outgoing(parent.inboxId(), to, cc, List.of(),
        BaseSubject.replySubject(parent.subject()), reply.text(), reply.html(),
        reply.attachments(),
        reply.headers(), Optional.empty(), List.of(), Optional.of(found.seenAs()),
        references, reply.idempotencyKey(), reply.skipSuppressed()));
  }

  private SendResult deliver(Outgoing o) {
    MailTransport transport = engine.config().transport().orElseThrow(() -> new DeliveryException(
        "no transport is configured, so nothing can be sent; add one with"
            + " MailCore.builder().transport(...) (SesTransport, SmtpTransport)", false, false,
        null));
    long attachmentBytes = 0;
    for (OutboundAttachment a : o.attachments()) {
      attachmentBytes += a.sizeBytes();
    }
    long limit = engine.config().limits().maxAttachmentBytes();
    if (attachmentBytes > limit) {
      throw new AttachmentTooLargeException(attachmentBytes, limit);
    }
    Instant now = engine.config().clock().instant();

    record Checked(Origin origin, Optional<IdempotencyRecord> key, List<String> suppressed) {
      Optional<UUID> earlier(Instant now) {
        return key.filter(k -> live(k, now)).map(IdempotencyRecord::messageId);
      }
    }
    Checked checked = engine.store().inTransaction(tx -> {
      Origin origin = origin(tx, o.inboxId());
      Optional<IdempotencyRecord> key = o.idempotencyKey()
          .flatMap(k -> tx.idempotency().find(o.inboxId(), k));
      boolean earlier = key.filter(k -> live(k, now)).isPresent();
      List<String> all = new ArrayList<>();
      for (List<EmailAddress> l : List.of(o.to(), o.cc(), o.bcc())) {
        l.forEach(a -> all.add(a.normalized()));
      }
      List<String> suppressed = earlier ? List.of()
          : tx.suppressions().find(all).stream().map(Suppression::address).sorted().toList();
      return new Checked(origin, key, suppressed);
    });
    if (checked.earlier(now).isPresent()) {
      return replay(transport, checked.origin(), checked.earlier(now).get());
    }
    // An expired row for the key is replaced, but only if nobody replaced it since we read it.
    Optional<Instant> expiredKey = checked.key().map(IdempotencyRecord::createdAt);

    Set<String> suppressed = new LinkedHashSet<>(checked.suppressed());
    if (!suppressed.isEmpty() && !o.skipSuppressed()) {
      throw new SuppressedRecipientException(List.copyOf(suppressed));
    }
    List<EmailAddress> to = without(o.to(), suppressed);
    List<EmailAddress> cc = without(o.cc(), suppressed);
    List<EmailAddress> bcc = without(o.bcc(), suppressed);
    if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
      throw new SuppressedRecipientException(List.copyOf(suppressed));
    }

    Origin origin = checked.origin();
    EmailAddress from = EmailAddress.of(o.fromName().or(() -> origin.domain().fromName())
        .orElse(null), origin.address().address());
    List<EmailAddress> replyTo = !o.replyTo().isEmpty() ? o.replyTo()
        : origin.domain().replyToAddress().map(List::of).orElse(List.of());
    MessageId messageId = MimeComposer.newMessageId(origin.domain().name());
    byte[] raw = composer.compose(new MimeComposer.Draft(messageId, now, from, to, cc, replyTo,
        o.subject(), o.text(), o.html(), o.attachments(), o.headers(), o.inReplyTo(),
        o.references()));

    // Raw bytes first: whatever happens next, what was (or would have been) sent is kept.
    BlobStore blobs = engine.config().blobs();
    String rawKey = StorageKeys.raw(messageId, now);
    blobs.put(BlobStore.Namespace.RAW, rawKey, new ByteArrayInputStream(raw), raw.length,
        "message/rfc822");
    List<EmailAttachment> attachments = storeAttachments(blobs, messageId, now, o.attachments());

    MessageDraft draft = new MessageDraft(Uuids.next(), messageId, origin.inbox().id(),
        Direction.OUTBOUND, from, to, cc, bcc, replyTo, o.subject(), now, o.inReplyTo(),
        o.references(), o.text().map(MimeComposer::crlf), o.html().map(MimeComposer::crlf),
        attachments, rawKey, now);
    List<String> skipped = List.copyOf(suppressed);
    MessageWriter.Written written;
    try {
      written = engine.writeMessage(origin.domain().name(), draft, now, (tx, w) -> {
        engine.outbox().written(tx, w);
        if (o.idempotencyKey().isPresent()) {
          IdempotencyRecord key = new IdempotencyRecord(origin.inbox().id(),
              o.idempotencyKey().get(), w.message().id(), now);
          boolean recorded = expiredKey.isPresent()
              ? tx.idempotency().replace(key, expiredKey.get())
              : tx.idempotency().insert(key);
          if (!recorded) {
            throw new IdempotencyRace();
          }
        }
        DeliveryEvent.Builder pending = DeliveryEvent.builder().messageId(w.message().id())
            .status(DeliveryStatus.PENDING);
        if (!skipped.isEmpty()) {
          pending.detail(DeliveryLog.SKIPPED, skipped);
        }
        tx.deliveryEvents().insert(DeliveryLog.record(w.message().id(), Optional.empty(),
            pending.build(), now));
      });
    } catch (IdempotencyRace race) {
      UUID winner = engine.store().inTransaction(tx -> tx.idempotency().find(origin.inbox()
          .id(), o.idempotencyKey().get())).filter(k -> live(k, now))
          .map(IdempotencyRecord::messageId).orElseThrow(() -> new IllegalStateException(
              "idempotency key vanished after a conflicting insert"));
      return replay(transport, origin, winner);
    }
    EmailMessage stored = written.message();
    return transmit(transport, origin, stored, raw, skipped, o.idempotencyKey().isPresent());
  }

  /**
   * Whether a recorded key still makes a send with the same key a replay: recorded within
   * {@link #IDEMPOTENCY_WINDOW} of {@code now} (inclusive). Older keys have expired and are
   * replaced by the next send that uses them.
   */
  static boolean live(IdempotencyRecord key, Instant now) {
    return !key.createdAt().isBefore(now.minus(IDEMPOTENCY_WINDOW));
  }

  /** An earlier send with the same key: report it, or resume it if it failed retryably. */
  private SendResult replay(MailTransport transport, Origin origin, UUID messageId) {
    record Earlier(EmailMessage message, List<DeliveryEventRecord> events) {}
    Earlier e = engine.store().inTransaction(tx -> {
      EmailMessage m = tx.messages().find(Scope.all(), messageId).orElseThrow(() -> new NotFoundException(
          "message", messageId.toString()));
      return new Earlier(m, tx.deliveryEvents().list(m.id()));
    });
    List<String> skipped = DeliveryLog.skippedRecipients(e.events());
    if (DeliveryLog.resumable(e.events())) {
      byte[] raw = readRaw(e.message());
      return transmit(transport, origin, e.message(), raw, skipped, true);
    }
    DeliveryReport report = DeliveryLog.report(e.message(), e.events());
    return new SendResult(e.message(), report.status(), skipped, true);
  }

  /** Hands the bytes over, outside any transaction, and records the outcome. */
  private SendResult transmit(MailTransport transport, Origin origin, EmailMessage stored,
      byte[] raw, List<String> skipped, boolean resumable) {
    List<String> recipients = DeliveryLog.allRecipients(stored).stream()
        .map(EmailAddress::normalized).toList();
    TransportResult result;
    try {
      result = transport.send(new TransportRequest(stored.messageId(), raw,
          origin.envelopeSender(), recipients));
    } catch (DeliveryException e) {
      recordFailure(stored, e, resumable);
      throw e;
    } catch (RuntimeException e) {
      DeliveryException wrapped = new DeliveryException("the transport failed unexpectedly"
          + " sending " + stored.messageId() + ": " + e, false, false, e);
      recordFailure(stored, wrapped, false);
      throw wrapped;
    }
    String providerId = result.providerId();
    Instant at = engine.config().clock().instant();
    try {
      DeliveryEvent sent = DeliveryEvent.builder().messageId(stored.id())
          .sesMessageId(providerId).status(DeliveryStatus.SENT).build();
      engine.store().inTransaction(tx -> {
        tx.messages().setProviderMessageId(stored.id(), providerId);
        result.deliveredMessageId()
            .ifPresent(alias -> tx.messages().insertAlias(stored.id(), alias));
        tx.deliveryEvents().insert(DeliveryLog.record(stored.id(), Optional.of(providerId), sent,
            at));
        engine.outbox().delivery(tx, stored.withProviderMessageId(Optional.of(providerId)), sent);
        return null;
      });
    } catch (RuntimeException e) {
      // The provider has it; only our bookkeeping failed. Say so loudly: a resend would
      // duplicate the message.
      LOG.error("message {} was accepted by the transport as {} but recording Sent failed",
          stored.messageId(), providerId, e);
      throw e;
    }
    return new SendResult(stored.withProviderMessageId(Optional.of(providerId)),
        DeliveryStatus.SENT, skipped, false);
  }

  private void recordFailure(EmailMessage stored, DeliveryException e, boolean resumable) {
    Instant at = engine.config().clock().instant();
    String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    DeliveryEvent event = e.retryable() && resumable
        ? DeliveryEvent.builder().messageId(stored.id()).status(DeliveryStatus.PENDING)
            .detail(DeliveryLog.RETRYABLE_FAILURE, true).detail("error", reason).build()
        : DeliveryEvent.builder().messageId(stored.id()).failed(reason)
            .detail("retryable", e.retryable()).build();
    try {
      engine.store().inTransaction(tx -> {
        tx.deliveryEvents().insert(DeliveryLog.record(stored.id(), Optional.empty(), event, at));
        if (event.status() instanceof DeliveryStatus.Failed) {
          engine.outbox().delivery(tx, stored, event);
        }
        return null;
      });
    } catch (RuntimeException storeFailure) {
      e.addSuppressed(storeFailure);
    }
  }

  private Origin origin(StoreTransaction tx, UUID inboxId) {
    Inbox inbox = tx.inboxes().find(scope, inboxId).filter(i -> !i.deleted())
        .orElseThrow(() -> new NotFoundException("inbox", inboxId.toString()));
    Domain domain = tx.domains().find(scope, inbox.domainId()).filter(d -> !d.deleted())
        .orElseThrow(() -> new NotFoundException("domain", inbox.domainId().toString()));
    return new Origin(inbox, domain);
  }

  private static List<EmailAttachment> storeAttachments(BlobStore blobs, MessageId messageId,
      Instant now, List<OutboundAttachment> attachments) {
    List<EmailAttachment> out = new ArrayList<>(attachments.size());
    for (OutboundAttachment a : attachments) {
      UUID id = Uuids.next();
      String key = StorageKeys.attachment(messageId, now, id, a.filename());
      try (InputStream in = a.content().get()) {
        blobs.put(BlobStore.Namespace.ATTACHMENTS, key, in, a.sizeBytes(), a.contentType());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.add(new EmailAttachment(id, a.filename(), a.contentType(), a.sizeBytes(), key,
          a.contentId(), a.inline()));
    }
    return out;
  }

  private byte[] readRaw(EmailMessage m) {
    try (InputStream in = engine.config().blobs().get(BlobStore.Namespace.RAW,
        m.rawStorageKey()).orElseThrow(() -> new dev.mailcore.StorageException("raw message "
            + m.rawStorageKey() + " of " + m.messageId() + " is missing from the blob store",
            false, null))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new dev.mailcore.StorageException("reading raw message " + m.rawStorageKey()
          + " failed: " + e.getMessage(), true, e);
    }
  }

  /** The parent's Reply-To, else its From. */
  private static List<EmailAddress> replyToOf(EmailMessage parent) {
    return parent.replyTo().isEmpty() ? List.of(parent.from()) : parent.replyTo();
  }

  private static List<EmailAddress> without(List<EmailAddress> list, Set<String> drop) {
    return list.stream().filter(a -> !drop.contains(a.normalized())).toList();
  }

  /** Rolls the write back when another send recorded the same idempotency key first. */
  private static final class IdempotencyRace extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdempotencyRace() {
      super("idempotency key recorded concurrently", null, false, false);
    }
  }
}
