package dev.mailcore.internal.engine;

import dev.mailcore.AuthKeys;
import dev.mailcore.Deliveries;
import dev.mailcore.Domains;
import dev.mailcore.EmailMessage;
import dev.mailcore.Mailboxes;
import dev.mailcore.Messages;
import dev.mailcore.Sender;
import dev.mailcore.Suppressions;
import dev.mailcore.Threads;
import dev.mailcore.WebhookRegistry;
import dev.mailcore.internal.webhook.WebhookOutbox;
import dev.mailcore.internal.webhook.WebhookRegistryImpl;
import dev.mailcore.internal.threading.ThreadResolver;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

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
  private final Sender sender;
  private final Deliveries deliveries;
  private final Suppressions suppressions;
  private final AuthKeysImpl authKeys;
  private final Inbound inbound;
  private final WebhookRegistryImpl webhooks;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Wires an engine.
   *
   * @param config the validated configuration
   */
  public Engine(EngineConfig config) {
    this.config = config;
    this.webhooks = new WebhookRegistryImpl(this, config.webhooks());
    this.writer = new MessageWriter(new ThreadResolver(config.threadingWindow()));
    this.inbound = new Inbound(this);
    this.domains = new DomainsImpl(this, Scope.all());
    this.mailboxes = new MailboxesImpl(this, inbound, Scope.all());
    this.threads = new ThreadsImpl(this, Scope.all());
    this.messages = new MessagesImpl(this, Scope.all());
    this.sender = new SenderImpl(this, Scope.all());
    this.deliveries = new DeliveriesImpl(this, Scope.all());
    this.suppressions = new SuppressionsImpl(this, Scope.all());
    this.authKeys = new AuthKeysImpl(this, config.auth());
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

  /** @return the sender facade */
  public Sender sender() {
    return sender;
  }

  /** @return the deliveries facade */
  public Deliveries deliveries() {
    return deliveries;
  }

  /** @return the suppressions facade */
  public Suppressions suppressions() {
    return suppressions;
  }

  /** @return the auth keys facade */
  public AuthKeys authKeys() {
    return authKeys;
  }

  /** @return the webhook registry facade */
  public WebhookRegistry webhooks() {
    return webhooks;
  }

  /**
   * The facades bound to one organization (ADR 0016): every store lookup they make carries
   * {@code Scope.organization(organizationId)}. Cheap: a handful of small objects sharing this
   * engine, its key cache and its webhook dispatcher.
   *
   * @param organizationId the organization, already checked by the API
   * @return the scoped facades
   */
  public Scoped forOrganization(String organizationId) {
    Scope scope = Scope.organization(organizationId);
    return new Scoped(new DomainsImpl(this, scope), new MailboxesImpl(this, inbound, scope),
        new ThreadsImpl(this, scope), new MessagesImpl(this, scope), new SenderImpl(this, scope),
        new DeliveriesImpl(this, scope), new SuppressionsImpl(this, scope),
        authKeys.scoped(scope), webhooks.scoped(scope));
  }

  /**
   * The facades of one organization.
   *
   * @param domains domains
   * @param mailboxes inboxes
   * @param threads threads
   * @param messages messages
   * @param sender sending
   * @param deliveries delivery status
   * @param suppressions the account-wide suppression list (list/remove refused)
   * @param authKeys the organization's keys
   * @param webhooks the organization's endpoints
   */
  public record Scoped(Domains domains, Mailboxes mailboxes, Threads threads, Messages messages,
      Sender sender, Deliveries deliveries, Suppressions suppressions, AuthKeys authKeys,
      WebhookRegistry webhooks) {}

  /** @return the outbox every change emits its webhook events into, in its own transaction */
  public WebhookOutbox outbox() {
    return webhooks.outbox();
  }

  /**
   * Stores one message into its inbox with threading, in its own transaction, and runs
   * {@code alsoInTransaction} in the same transaction after a non-duplicate write (outbound mail
   * records its idempotency key and Pending event there, so they commit together with the
   * message or not at all). A transient store failure is retried.
   *
   * @param inboxDomain the inbox's domain name
   * @param draft the message
   * @param now the store time
   * @param alsoInTransaction more work for the same transaction; may throw to roll back
   * @return the outcome
   */
  public MessageWriter.Written writeMessage(String inboxDomain, MessageDraft draft, Instant now,
      BiConsumer<StoreTransaction, MessageWriter.Written> alsoInTransaction) {
    return inTransactionRetrying(tx -> {
      MessageWriter.Written w = writer.write(tx, inboxDomain, draft, now);
      if (!w.duplicate()) {
        alsoInTransaction.accept(tx, w);
      }
      return w;
    });
  }

  /**
   * Runs {@code work} in a transaction, retrying it (from the start, in a new transaction) when
   * the store reports a transient failure. The work must therefore be safe to repeat.
   *
   * @param work the work
   * @param <T> the result type
   * @return what the work returned
   * @throws dev.mailcore.StorageException when the failure persists
   */
  public <T> T inTransactionRetrying(Function<StoreTransaction, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return store().inTransaction(work);
      } catch (dev.mailcore.StorageException e) {
        if (!e.retryable() || attempt >= WRITE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** @return the writer that threads and stores messages */
  MessageWriter writer() {
    return writer;
  }

  /** Marks the engine closed and stops the webhook dispatcher; injected components stay open. */
  public void close() {
    closed.set(true);
    webhooks.close();
  }
}
