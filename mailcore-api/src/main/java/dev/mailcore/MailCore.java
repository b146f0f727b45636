package dev.mailcore;

import dev.mailcore.internal.engine.Engine;
import dev.mailcore.internal.engine.EngineConfig;
import dev.mailcore.internal.engine.ValueRules;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.DnsResolver;
import dev.mailcore.spi.DomainIdentities;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.MailTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point: real email inboxes for an application. Build one per application and share
 * it between all threads.
 *
 * <pre>{@code
 * MailCore mail = MailCore.builder()
 *     .store(PostgresMailStore.builder().dataSource(ds).build())
 *     .blobStore(S3BlobStore.builder().client(s3).rawBucket("raw").attachmentBucket("att").build())
 *     .build();
 *
 * Domain d = mail.domains().create("org_1", "mail.acme.com");
 * Inbox support = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Acme Support"));
 * mail.mailboxes().receive(InboundMail.of(rawBytes, "support@mail.acme.com"));
 * Page<EmailThread> threads = mail.threads().list(support.id(), PageRequest.first());
 * }</pre>
 *
 * <h2>Who closes what</h2>
 * Stores, transports and clients passed to the builder belong to the caller: <b>{@link #close()}
 * does not close them</b>, because the application may share them. Close them after closing
 * {@code MailCore}. Resources an adapter creates itself (for example a connection pool built from
 * a JDBC URL) are closed by that adapter's own {@code close()}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; calls after it fail with
 * {@link IllegalStateException}.
 */
public final class MailCore implements AutoCloseable {
  /** The API's argument rules, handed to the engine (ADR 0010): one copy, in {@link Checks}. */
  private static final ValueRules VALUE_RULES = new ValueRules() {
    @Override
    public String organization(String organizationId) {
      return Checks.organization(organizationId);
    }

    @Override
    public void singleLine(String field, String value) {
      Checks.singleLine(field, value);
    }
  };

  private final Engine engine;

  private MailCore(Engine engine) {
    this.engine = engine;
  }

  /**
   * Starts building a {@code MailCore}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Domains: register, look up, configure, delete.
   *
   * @return the domains facade
   */
  public Domains domains() {
    return engine.domains();
  }

  /**
   * Inboxes, and receiving inbound mail into them.
   *
   * @return the mailboxes facade
   */
  public Mailboxes mailboxes() {
    return engine.mailboxes();
  }

  /**
   * Conversations: list, read, delete.
   *
   * @return the threads facade
   */
  public Threads threads() {
    return engine.threads();
  }

  /**
   * Stored messages, their raw bytes and attachments.
   *
   * @return the messages facade
   */
  public Messages messages() {
    return engine.messages();
  }

  /**
   * Sending and replying from inboxes.
   *
   * @return the sender facade
   */
  public Sender sender() {
    return engine.sender();
  }

  /**
   * Delivery status and events of outbound messages.
   *
   * @return the deliveries facade
   */
  public Deliveries deliveries() {
    return engine.deliveries();
  }

  /**
   * The account-wide suppression list.
   *
   * @return the suppressions facade
   */
  public Suppressions suppressions() {
    return engine.suppressions();
  }

  /**
   * Organizations' JWT public keys, and authenticating the tokens they sign.
   *
   * @return the auth keys facade
   */
  public AuthKeys authKeys() {
    return engine.authKeys();
  }

  /**
   * Webhook endpoints, their deliveries, and the dispatcher that posts them. Events are written
   * to the outbox whether or not the dispatcher runs: start it with
   * {@code webhooks().dispatcher().start()}, or call {@code dispatchDue()} on a schedule.
   *
   * @return the webhook registry
   */
  public WebhookRegistry webhooks() {
    return engine.webhooks();
  }

  /**
   * The same facades, bound to one organization: they see and change only the domains (and
   * their inboxes, threads, messages), webhook endpoints and auth keys of {@code organizationId}.
   * Use this for everything a tenant's request does; keep the unscoped facades of this class for
   * operators, inbound pipelines and single-tenant hosts. See {@link OrganizationMail} for what
   * is refused there and why.
   *
   * @param organizationId the organization (the JWT {@code iss}, as on its domains)
   * @return the organization's view; cheap, create one per request if convenient
   * @throws ValidationException if the id is blank, longer than 255 characters or has a line
   *     break
   */
  public OrganizationMail forOrganization(String organizationId) {
    String org = Checks.organization(organizationId);
    return new OrganizationMail(org, engine.forOrganization(org));
  }

  /**
   * The view of the organization a verified token speaks for:
   * {@code forOrganization(mail.authKeys().authenticate(jwt))}. A token of organization A thus
   * reaches only A's resources; B's answer {@link NotFoundException} as if they did not exist.
   *
   * @param principal what {@link AuthKeys#authenticate(String)} returned
   * @return the organization's view
   */
  public OrganizationMail forOrganization(Principal principal) {
    return forOrganization(Objects.requireNonNull(principal, "principal").organizationId());
  }

  /**
   * Marks this instance closed and stops its webhook dispatcher (deliveries in flight are
   * abandoned; their leases expire and another instance retries them). Does not close the store,
   * blob store, transport or clients passed to the builder (see the class documentation).
   * Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Configures and builds a {@link MailCore}. {@link #store(MailStore)} and
   * {@link #blobStore(BlobStore)} are required; everything else has a default. Not thread-safe;
   * build once and share the result.
   */
  public static final class Builder {
    private MailStore store;
    private BlobStore blobStore;
    private MailTransport transport;
    private DomainIdentities domainIdentities;
    private DnsResolver dnsResolver;
    private Clock clock = Clock.systemUTC();
    private Limits limits = Limits.defaults();
    private Duration threadingWindow = Duration.ofDays(30);
    private String inboundMxHost;
    private AuthSettings auth = AuthSettings.defaults();
    private WebhookSettings webhooks = WebhookSettings.defaults();

    private Builder() {}

    /**
     * The host domains must name in their MX record to receive mail, when the application
     * receives through its own server (for example {@code mx.acme.com}). Optional: by default
     * the MX comes from the configured {@link #domainIdentities} (SES: its region's
     * {@code inbound-smtp} host), and with neither none is listed. When set, it replaces the
     * provider's inbound MX in {@link Domains#dnsRecords(java.util.UUID)} and
     * {@link Domains#verify}.
     *
     * @param host a host name
     * @return this builder
     * @throws IllegalArgumentException if the host is blank
     */
    public Builder inboundMxHost(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("inboundMxHost must not be blank");
      }
      this.inboundMxHost = host.strip().toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    /**
     * Where rows are stored (required). Not closed by {@link MailCore#close()}.
     *
     * @param store the store, for example {@code PostgresMailStore}
     * @return this builder
     */
    public Builder store(MailStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Where raw messages and attachments are stored (required). Not closed by
     * {@link MailCore#close()}.
     *
     * @param blobStore the blob store, for example {@code S3BlobStore}
     * @return this builder
     */
    public Builder blobStore(BlobStore blobStore) {
      this.blobStore = Objects.requireNonNull(blobStore, "blobStore");
      return this;
    }

    /**
     * How outbound mail leaves (optional; without one, sending fails with a clear error). Not
     * closed by {@link MailCore#close()}.
     *
     * @param transport the transport, for example {@code SesTransport} or {@code SmtpTransport}
     * @return this builder
     */
    public Builder transport(MailTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Registers domains with the mail provider and supplies the DNS records it needs (optional;
     * without one, domains are stored without a provider identity and
     * {@link Domains#dnsRecords(java.util.UUID)} lists only DMARC and the
     * {@link #inboundMxHost} if set).
     *
     * @param identities the provider identities, for example {@code SesDomainIdentities}
     * @return this builder
     */
    public Builder domainIdentities(DomainIdentities identities) {
      this.domainIdentities = Objects.requireNonNull(identities, "identities");
      return this;
    }

    /**
     * Resolves DNS for domain verification (optional).
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder dnsResolver(DnsResolver resolver) {
      this.dnsResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The clock for every timestamp mailcore writes (default: UTC system clock). Tests pass a
     * controllable clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Size and shape limits (default {@link Limits#defaults()}).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How recent a thread's last activity must be for a message to join it by subject alone
     * (default 30 days). Header-linked replies join their thread at any age.
     *
     * @param window a positive duration of at most 3650 days
     * @return this builder
     * @throws IllegalArgumentException if the window is zero, negative, or longer than 3650 days
     */
    public Builder threadingWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isZero() || window.isNegative() || window.compareTo(Duration.ofDays(3650)) > 0) {
        throw new IllegalArgumentException(
            "threadingWindow must be positive and at most 3650 days, got " + window);
      }
      this.threadingWindow = window;
      return this;
    }

    /**
     * How {@link AuthKeys#authenticate(String)} treats tokens: clock skew, how long keys are
     * cached (the bound on revocation through another instance), token size (default
     * {@link AuthSettings#defaults()}). Token times are checked against {@link #clock(Clock)}.
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder authentication(AuthSettings settings) {
      this.auth = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * How webhooks are delivered (default {@link WebhookSettings#defaults()}).
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder webhooks(WebhookSettings settings) {
      this.webhooks = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Builds the instance.
     *
     * @return a ready {@code MailCore}
     * @throws IllegalStateException if the store or blob store is missing
     */
    public MailCore build() {
      if (store == null) {
        throw new IllegalStateException("MailCore.builder(): store(...) is required, for example"
            + " PostgresMailStore.builder()...build(), or MailCoreTestkit.inMemory() in tests");
      }
      if (blobStore == null) {
        throw new IllegalStateException("MailCore.builder(): blobStore(...) is required, for"
            + " example S3BlobStore.builder()...build(), or an InMemoryBlobStore in tests");
      }
      return new MailCore(new Engine(new EngineConfig(store, blobStore,
          Optional.ofNullable(transport), Optional.ofNullable(domainIdentities),
          Optional.ofNullable(dnsResolver), clock, limits, threadingWindow,
          Optional.ofNullable(inboundMxHost), VALUE_RULES, auth, webhooks)));
    }
  }
}
