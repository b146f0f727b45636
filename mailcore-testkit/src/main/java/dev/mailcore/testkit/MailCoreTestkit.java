package dev.mailcore.testkit;

import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryReport;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.Limits;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiveResult;
import dev.mailcore.spi.MailStore;
import dev.mailcore.WebhookSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A complete, working mailcore for tests and demos, with nothing external: an
 * {@link InMemoryMailStore}, an {@link InMemoryBlobStore}, a {@link RecordingTransport}, a
 * {@link FakeDnsResolver}, {@link FakeDomainIdentities} and a {@link MutableClock}, all
 * reachable for scripting and assertions.
 *
 * <pre>{@code
 * try (MailCoreTestkit kit = MailCoreTestkit.inMemory()) {
 *   Inbox support = kit.inbox("support@acme.test");
 *   kit.receive("From: ann@example.com\r\nTo: support@acme.test\r\nSubject: Hi\r\n\r\nHello");
 *   assertThat(kit.mail().threads().list(support.id(), PageRequest.first()).items()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe, like {@link MailCore}.
 */
public final class MailCoreTestkit implements AutoCloseable {
  /** Where {@link #inMemory()} starts its clock. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");
  /** The organization {@link #inbox(String)} registers domains for. */
  public static final String DEFAULT_ORGANIZATION = "org_test";

  private final MailCore mail;
  private final MailStore store;
  private final InMemoryBlobStore blobs;
  private final RecordingTransport transport;
  private final FakeDnsResolver dns;
  private final FakeDomainIdentities identities;
  private final MutableClock clock;

  private MailCoreTestkit(Builder b) {
    this.store = b.store != null ? b.store : new InMemoryMailStore();
    this.blobs = new InMemoryBlobStore();
    this.transport = b.transport;
    this.dns = new FakeDnsResolver();
    this.identities = new FakeDomainIdentities();
    this.clock = MutableClock.at(b.start);
    this.mail = MailCore.builder().store(store).blobStore(blobs).transport(transport)
        .dnsResolver(dns).domainIdentities(identities).clock(clock).limits(b.limits)
        .threadingWindow(b.threadingWindow).webhooks(b.webhooks).build();
  }

  /**
   * A testkit with the defaults: clock at {@link #DEFAULT_START}, default limits.
   *
   * @return a new testkit
   */
  public static MailCoreTestkit inMemory() {
    return builder().build();
  }

  /**
   * A builder to change the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the mailcore under test */
  public MailCore mail() {
    return mail;
  }

  /** @return the store: an {@link InMemoryMailStore} unless {@link Builder#store} set another */
  public MailStore store() {
    return store;
  }

  /** @return the in-memory blob store */
  public InMemoryBlobStore blobs() {
    return blobs;
  }

  /** @return the recording transport */
  public RecordingTransport transport() {
    return transport;
  }

  /** @return the fake DNS */
  public FakeDnsResolver dns() {
    return dns;
  }

  /** @return the fake provider identities */
  public FakeDomainIdentities identities() {
    return identities;
  }

  /** @return the clock; advance it to move time */
  public MutableClock clock() {
    return clock;
  }

  /**
   * Returns the inbox for an address, creating its domain (for {@link #DEFAULT_ORGANIZATION})
   * and the inbox when missing.
   *
   * @param address for example {@code support@acme.test}
   * @return the inbox
   */
  public Inbox inbox(String address) {
    EmailAddress a = EmailAddress.of(Objects.requireNonNull(address, "address"));
    Domain d = mail.domains().byName(a.domain())
        .orElseGet(() -> mail.domains().create(DEFAULT_ORGANIZATION, a.domain()));
    return mail.mailboxes().byAddress(a.address()).orElseGet(() -> mail.mailboxes()
        .create(d.id(), InboxSpec.of(a.localPart(), a.localPart())));
  }

  /**
   * Receives a message given as text (use CRLF or LF line ends), routed on its To/Cc headers.
   *
   * @param rawMessage the RFC 5322 text
   * @return the result
   */
  public ReceiveResult receive(String rawMessage) {
    return mail.mailboxes().receive(
        InboundMail.of(rawMessage.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Receives a message given as text for explicit envelope recipients.
   *
   * @param rawMessage the RFC 5322 text
   * @param recipients envelope recipients
   * @return the result
   */
  public ReceiveResult receive(String rawMessage, String... recipients) {
    return mail.mailboxes().receive(
        InboundMail.of(rawMessage.getBytes(StandardCharsets.UTF_8), recipients));
  }

  /**
   * Simulates the provider reporting delivery of a sent message.
   *
   * @param messageId mailcore's id of the message
   * @param recipients the recipients it reached; none means all
   * @return the message's delivery state afterwards
   */
  public DeliveryReport simulateDelivery(UUID messageId, String... recipients) {
    return mail.deliveries().record(DeliveryEvent.builder().messageId(messageId).delivered()
        .recipients(recipients).build());
  }

  /**
   * Simulates a permanent bounce (the recipient is then suppressed).
   *
   * @param messageId mailcore's id of the message
   * @param recipient the recipient that bounced
   * @return the message's delivery state afterwards
   */
  public DeliveryReport simulateBounce(UUID messageId, String recipient) {
    return mail.deliveries().record(DeliveryEvent.builder().messageId(messageId)
        .bounced(DeliveryEvent.BounceType.PERMANENT, "550 5.1.1 simulated: user unknown")
        .recipients(recipient).detail("simulated", true).build());
  }

  /**
   * Simulates a spam complaint (the recipient is then suppressed).
   *
   * @param messageId mailcore's id of the message
   * @param recipient the recipient that complained
   * @return the message's delivery state afterwards
   */
  public DeliveryReport simulateComplaint(UUID messageId, String recipient) {
    return mail.deliveries().record(DeliveryEvent.builder().messageId(messageId).complained()
        .recipients(recipient).detail("feedbackType", "abuse").detail("simulated", true)
        .build());
  }

  /** Closes the mailcore instance, then the store. */
  @Override
  public void close() {
    mail.close();
    store.close();
  }

  /** Configures a {@link MailCoreTestkit}. Not thread-safe. */
  public static final class Builder {
    private Instant start = DEFAULT_START;
    private Limits limits = Limits.defaults();
    private Duration threadingWindow = Duration.ofDays(30);
    private RecordingTransport transport = new RecordingTransport();
    private MailStore store;
    private WebhookSettings webhooks = WebhookSettings.builder().allowLoopback(true).jitter(0)
        .build();

    private Builder() {}

    /**
     * The store to run on instead of a new {@link InMemoryMailStore}, for example to run the
     * testkit's behaviour suites on another store. The testkit closes it in {@link #close()}.
     *
     * @param value an empty store
     * @return this builder
     */
    public Builder store(MailStore value) {
      this.store = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Where the clock starts.
     *
     * @param instant the start
     * @return this builder
     */
    public Builder startAt(Instant instant) {
      this.start = Objects.requireNonNull(instant, "instant");
      return this;
    }

    /**
     * Limits to use.
     *
     * @param value the limits
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * The subject-fallback threading window.
     *
     * @param window the window
     * @return this builder
     */
    public Builder threadingWindow(Duration window) {
      this.threadingWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * A recording transport to use (for example a subclass).
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(RecordingTransport value) {
      this.transport = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Webhook settings (default: loopback allowed, so a {@link WebhookReceiver} can receive;
     * no jitter, so retry times are exact under the {@link MutableClock}).
     *
     * @param value the settings
     * @return this builder
     */
    public Builder webhooks(WebhookSettings value) {
      this.webhooks = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Builds the testkit.
     *
     * @return the testkit
     */
    public MailCoreTestkit build() {
      return new MailCoreTestkit(this);
    }
  }
}
