package dev.mailcore.internal.engine;

import dev.mailcore.Domains;
import dev.mailcore.EmailMessage;
import dev.mailcore.Mailboxes;
import dev.mailcore.Messages;
import dev.mailcore.Threads;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.MailStore;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine behind {@link dev.mailcore.MailCore}: holds the configuration and the facades.
 * Thread-safe.
 */
public final class Engine {
  private static final int WRITE_ATTEMPTS = 3;

  private final EngineConfig config;
  private final MessageWriter writer;
  private final Domains domains;
  private final Mailboxes mailboxes;
  private final Threads threads;
  private final Messages messages;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Wires an engine.
   *
   * @param config the validated configuration
   */
  public Engine(EngineConfig config) {
    this.config = config;
    this.writer = new MessageWriter(new ThreadResolver(config.threadingWindow()));
    this.domains = new DomainsImpl(this);
    this.mailboxes = new MailboxesImpl(this, new Inbound(this));
    this.threads = new ThreadsImpl(this);
    this.messages = new MessagesImpl(this);
  }

  /** @return the configuration */
  public EngineConfig config() {
    return config;
  }

  /**
   * The store, after checking the instance is open.
   *
   * @return the store
   */
  public MailStore store() {
    if (closed.get()) {
      throw new IllegalStateException("this MailCore is closed; build a new one");
    }
    return config.store();
  }

  /** @return the domains facade */
  public Domains domains() {
    return domains;
  }

  /** @return the mailboxes facade */
  public Mailboxes mailboxes() {
    return mailboxes;
  }

  /** @return the threads facade */
  public Threads threads() {
    return threads;
  }

  /** @return the messages facade */
  public Messages messages() {
    return messages;
  }

  /**
   * Stores one message into its inbox with threading, in its own transaction. A concurrent
   * insert of the same Message-ID (a race between application instances) and a transient store
   * failure (serialization failure, deadlock, lost connection) are retried; after a race the
   * first writer's message is returned as a duplicate.
   *
   * @param inboxDomain the inbox's domain name
   * @param draft the message (thread id ignored)
   * @param now the store time
   * @return the outcome
   */
  public MessageWriter.Written writeMessage(String inboxDomain, EmailMessage draft, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return store().inTransaction(tx -> writer.write(tx, inboxDomain, draft, now));
      } catch (dev.mailcore.StorageException e) {
        if (!e.retryable() || attempt >= WRITE_ATTEMPTS) {
          throw e;
        }
      } catch (MessageWriter.ConcurrentDuplicateException e) {
        if (attempt >= WRITE_ATTEMPTS) {
          throw new dev.mailcore.StorageException("message " + draft.messageId()
              + " kept colliding with concurrent inserts into inbox " + draft.inboxId()
              + "; retry the call", true, e);
        }
      }
    }
  }

  /** Marks the engine closed. Injected components are not closed. */
  public void close() {
    closed.set(true);
  }
}
