package dev.mailcore.internal.engine;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.Threads;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookEventType;
import dev.mailcore.internal.threading.BaseSubject;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class ThreadsImpl implements Threads {
  private static final String THREADS = "threads";
  private static final String MESSAGES = "messages";

  private final Engine engine;

  private final Scope scope;

  ThreadsImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  @Override
  public Page<EmailThread> list(UUID inboxId, PageRequest page) {
    Objects.requireNonNull(inboxId, "inboxId");
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(THREADS, page);
    List<EmailThread> rows = engine.store().inTransaction(
        tx -> tx.threads().list(scope, inboxId, after, page.limit() + 1));
    return Cursors.keysetPage(THREADS, rows, page.limit(),
        t -> new Keyset(t.updatedAt(), t.id().value()));
  }

  @Override
  public Optional<EmailThread> get(ThreadId id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> current(tx, id)).filter(t -> !t.deleted());
  }

  /**
   * The thread an id names in this view's scope: its own row, or the thread it was merged into
   * (ADR 0003).
   */
  private Optional<EmailThread> current(StoreTransaction tx, ThreadId id) {
    Optional<EmailThread> own = tx.threads().find(scope, id);
    if (own.isPresent()) {
      return own;
    }
    return tx.threads().findSurvivor(id).flatMap(survivor -> tx.threads().find(scope, survivor));
  }

  @Override
  public Page<EmailMessage> messages(ThreadId id, PageRequest page) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(MESSAGES, page);
    List<EmailMessage> rows = engine.store().inTransaction(tx -> {
      EmailThread t = current(tx, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("thread", id.toString()));
      return tx.messages().list(scope, t.id(), after, page.limit() + 1);
    });
    return Cursors.keysetPage(MESSAGES, rows, page.limit(),
        m -> new Keyset(m.sentAt(), m.id()));
  }

  @Override
  public void delete(ThreadId id) {
    Objects.requireNonNull(id, "id");
    engine.store().inTransaction(tx -> {
      UUID inboxId = tx.threads().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("thread", id.toString())).inboxId();
      // Read again under the lock: a message joining meanwhile has changed count and activity,
      // and the values written back must include that.
      tx.lockInbox(inboxId);
      EmailThread t = tx.threads().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("thread", id.toString()));
      Instant now = engine.config().clock().instant();
      EmailThread deleted = new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(),
          t.updatedAt(), t.messageCount(), Optional.of(now));
      tx.threads().update(deleted);
      engine.outbox().thread(tx, WebhookEventType.THREAD_DELETED, deleted);
      return null;
    });
  }

  @Override
  public Optional<ThreadPlacement> explain(UUID messageId) {
    Objects.requireNonNull(messageId, "messageId");
    return engine.store().inTransaction(tx -> {
      tx.messages().find(scope, messageId)
          .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
      return tx.messages().findPlacement(messageId);
    });
  }

  @Override
  public EmailThread move(UUID messageId, ThreadId target) {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(target, "target");
    return engine.store().inTransaction(tx -> {
      EmailMessage m = lockedMessage(tx, messageId);
      EmailThread to = current(tx, target).filter(t -> !t.deleted())
          .orElseThrow(() -> new NotFoundException("thread", target.toString()));
      if (!to.inboxId().equals(m.inboxId())) {
        throw new ValidationException("target", "thread " + target + " belongs to inbox "
            + to.inboxId() + ", message " + messageId + " to inbox " + m.inboxId()
            + "; move a message only between threads of its own inbox");
      }
      if (to.id().equals(m.threadId())) {
        return to;
      }
      EmailThread after = MessageWriter.joined(to, m.createdAt());
      tx.threads().move(messageId, ThreadChange.update(after), ThreadPlacement.of(
          ThreadPlacement.Rule.MOVED, Optional.empty(), Optional.of(to.id())));
      return after;
    });
  }

  @Override
  public EmailThread split(UUID messageId) {
    Objects.requireNonNull(messageId, "messageId");
    return engine.store().inTransaction(tx -> {
      EmailMessage m = lockedMessage(tx, messageId);
      EmailThread from = tx.threads().find(scope, m.threadId()).orElseThrow(
          () -> new NotFoundException("thread", m.threadId().toString()));
      if (from.messageCount() <= 1) {
        return from;
      }
      EmailThread fresh = new EmailThread(new ThreadId(Uuids.next()), m.inboxId(),
          BaseSubject.of(m.subject()), m.createdAt(), m.createdAt(), 1, Optional.empty());
      tx.threads().move(messageId, ThreadChange.start(fresh), ThreadPlacement.of(
          ThreadPlacement.Rule.SPLIT, Optional.empty(), Optional.empty()));
      return fresh;
    });
  }

  /** The message (in this view's scope), read again after taking its inbox's lock. */
  private EmailMessage lockedMessage(StoreTransaction tx, UUID messageId) {
    EmailMessage m = tx.messages().find(scope, messageId)
        .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
    tx.lockInbox(m.inboxId());
    return tx.messages().find(scope, messageId)
        .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
  }
}
