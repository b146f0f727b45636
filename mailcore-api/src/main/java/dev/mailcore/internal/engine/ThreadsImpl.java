package dev.mailcore.internal.engine;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ThreadId;
import dev.mailcore.Threads;
import dev.mailcore.WebhookEventType;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
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
    return engine.store().inTransaction(tx -> tx.threads().find(scope, id)).filter(t -> !t.deleted());
  }

  @Override
  public Page<EmailMessage> messages(ThreadId id, PageRequest page) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(MESSAGES, page);
    List<EmailMessage> rows = engine.store().inTransaction(tx -> {
      tx.threads().find(scope, id).filter(t -> !t.deleted())
          .orElseThrow(() -> new NotFoundException("thread", id.toString()));
      return tx.messages().list(scope, id, after, page.limit() + 1);
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
}
