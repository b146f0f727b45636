package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.ConflictException;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.MailCoreException;
import dev.mailcore.NotFoundException;
import dev.mailcore.OrganizationMail;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveResult;
import dev.mailcore.Reply;
import dev.mailcore.ThreadId;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookEndpoint;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.spi.MailStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation through {@link MailCore#forOrganization(String)} (ADR 0016), for a given
 * store: two organizations with look-alike data (same local parts, same subjects, same
 * attachment names), and for every facade method a test that organization B can neither read,
 * list, change nor learn the existence of A's resources, with ids taken from A's results and
 * ids guessed. "Cannot learn" is checked strictly: an operation on A's id fails with the same
 * exception type, status and message (the id aside) as on a random id. Each write attempt is
 * followed by a check that A's resource is unchanged. Every store runs it unchanged:
 *
 * <pre>{@code
 * class PostgresCrossTenantTest extends CrossTenantContract {
 *   @Override
 *   protected MailStore createStore() {
 *     return freshPostgresStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test runs on a fresh {@link MailCoreTestkit} built on the store (webhook endpoints may
 * name loopback URLs; nothing is dispatched). Not thread-safe; JUnit runs each test on a fresh
 * instance.
 */
public abstract class CrossTenantContract {
  /** The organization whose resources B tries to reach. */
  protected static final String ORG_A = "org_alpha";
  /** The organization that tries. */
  protected static final String ORG_B = "org_beta";
  private static final String SUBJECT = "Invoice 42";
  private static final byte[] PDF = "%PDF-1.4 look-alike".getBytes(StandardCharsets.US_ASCII);

  /** The testkit around the instance under test. */
  protected MailCoreTestkit kit;
  /** The unscoped instance (operator). */
  protected MailCore mail;
  /** Organization A's view. */
  protected OrganizationMail a;
  /** Organization B's view. */
  protected OrganizationMail b;

  /** A's domain, inbox, received thread and message (with one attachment), and sent message. */
  protected Domain aDomain;
  /** A's support inbox. */
  protected Inbox aInbox;
  /** A's thread holding the received message. */
  protected EmailThread aThread;
  /** A's received message. */
  protected EmailMessage aReceived;
  /** A's attachment. */
  protected EmailAttachment aAttachment;
  /** A's sent message. */
  protected EmailMessage aSent;
  /** A's webhook endpoint. */
  protected WebhookEndpoint aEndpoint;
  /** A delivery of A's endpoint (the message.received event). */
  protected UUID aDelivery;
  /** A's auth key. */
  protected AuthKey aKey;
  /** B's own inbox (same local part as A's). */
  protected Inbox bInbox;

  /** Creates the contract; subclasses are created by JUnit. */
  protected CrossTenantContract() {}

  /**
   * Creates a fresh, empty store of the kind under test; the testkit closes it.
   *
   * @return the store
   */
  protected abstract MailStore createStore();

  @BeforeEach
  void twoOrganizations() {
    kit = MailCoreTestkit.builder().store(createStore())
        .webhooks(WebhookSettings.builder().allowLoopback(true).build()).build();
    mail = kit.mail();
    a = mail.forOrganization(ORG_A);
    b = mail.forOrganization(ORG_B);

    aDomain = a.domains().create(ORG_A, "alpha.test");
    aInbox = a.mailboxes().create(aDomain.id(), InboxSpec.of("support", "Support"));
    Domain bDomain = b.domains().create(ORG_B, "beta.test");
    bInbox = b.mailboxes().create(bDomain.id(), InboxSpec.of("support", "Support"));
    aEndpoint = a.webhooks().register(ORG_A, WebhookSpec.of("http://127.0.0.1:9/hook",
        WebhookEventType.MESSAGE_RECEIVED).withInboxes(Set.of(aInbox.id()))).endpoint();
    b.webhooks().register(ORG_B, WebhookSpec.of("http://127.0.0.1:9/hook",
        WebhookEventType.MESSAGE_RECEIVED));

    // Look-alike mail: same subject, same attachment name, same Message-ID in both inboxes.
    for (String to : List.of("support@alpha.test", "support@beta.test")) {
      mail.mailboxes().receive(InboundMail.of(TestEmail.builder().from("customer@example.test")
          .to(to).subject(SUBJECT).messageId("<same-id@example.test>").text("see attached")
          .attachment("invoice.pdf", "application/pdf", PDF).build()
          .getBytes(StandardCharsets.UTF_8), to));
    }
    aThread = a.threads().list(aInbox.id(), PageRequest.first()).items().get(0);
    aReceived = a.threads().messages(aThread.id(), PageRequest.first()).items().get(0);
    aAttachment = aReceived.attachments().get(0);
    aSent = a.sender().send(OutboundEmail.builder().inboxId(aInbox.id()).to("client@example.test")
        .subject(SUBJECT).text("hello").build()).message();
    b.sender().send(OutboundEmail.builder().inboxId(bInbox.id()).to("client@example.test")
        .subject(SUBJECT).text("hello").build());
    aDelivery = a.webhooks().deliveries(aEndpoint.id(), WebhookDeliveryFilter.all(),
        PageRequest.first()).items().get(0).id();
    aKey = a.authKeys().register(ORG_A, "ci", publicKeyPem(), AuthKeyAlgorithm.ES256);
    b.authKeys().register(ORG_B, "ci", publicKeyPem(), AuthKeyAlgorithm.ES256);
  }

  @AfterEach
  void close() {
    if (kit != null) {
      kit.close();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  /**
   * Asserts that {@code call} on A's id fails exactly as on an id nobody has: the same exception
   * type, HTTP status, and message once the id is masked. Nothing tells B the resource exists.
   *
   * @param aId the id of A's resource
   * @param call the operation, taking the id
   * @throws AssertionError if either call succeeds, or the failures differ
   */
  public static void assertLikeMissing(UUID aId, Consumer<UUID> call) {
    UUID random = UUID.randomUUID();
    MailCoreException onA = catchThrowableOfType(MailCoreException.class,
        () -> call.accept(aId));
    MailCoreException onNothing = catchThrowableOfType(MailCoreException.class,
        () -> call.accept(random));
    assertThat(onA).as("the call on A's id must fail").isNotNull();
    assertThat(onNothing).as("the call on a random id must fail").isNotNull();
    assertThat(onA).isExactlyInstanceOf(onNothing.getClass());
    assertThat(onA.httpStatus()).isEqualTo(onNothing.httpStatus());
    assertThat(onA.getMessage().replace(aId.toString(), "<id>"))
        .isEqualTo(onNothing.getMessage().replace(random.toString(), "<id>"));
  }

  /** {@link #assertLikeMissing} for operations that must answer 404. */
  private static void assertNotFound(UUID aId, Consumer<UUID> call) {
    assertLikeMissing(aId, call);
    assertThatThrownBy(() -> call.accept(aId)).isInstanceOf(NotFoundException.class);
  }

  private static <T> void assertEmptyLikeMissing(UUID aId, Function<UUID, T> lookup) {
    assertThat(lookup.apply(aId)).isEqualTo(lookup.apply(UUID.randomUUID()));
  }

  private static String publicKeyPem() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(g.generateKeyPair().getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the fixture is real: A sees its own resources, the operator sees both ---------------

  @Test
  void ownerSeesEverything_andTheOperatorSeesBoth() {
    assertThat(a.domains().get(aDomain.id())).contains(aDomain);
    assertThat(a.mailboxes().get(aInbox.id())).contains(aInbox);
    assertThat(a.threads().get(aThread.id())).isPresent();
    assertThat(a.messages().get(aReceived.id())).isPresent();
    assertThat(a.messages().raw(aReceived.id())).isNotNull();
    assertThat(a.deliveries().status(aSent.id()).messageId()).isEqualTo(aSent.id());
    assertThat(a.webhooks().get(aEndpoint.id())).isPresent();
    assertThat(a.authKeys().get(aKey.id())).isPresent();
    assertThat(mail.domains().get(aDomain.id())).isPresent();
    assertThat(mail.mailboxes().get(bInbox.id())).isPresent();
    // The look-alike is real: B's inbox holds threads of the same subject and count as A's.
    assertThat(b.threads().list(bInbox.id(), PageRequest.first()).items())
        .extracting(EmailThread::subject).containsOnly(aThread.subject())
        .hasSameSizeAs(a.threads().list(aInbox.id(), PageRequest.first()).items());
  }

  // ---- domains ----------------------------------------------------------------------------

  /** {@code domains()}. */
  @Nested
  class Domains {
    @Test
    void get_byName_list_doNotShowA() {
      assertEmptyLikeMissing(aDomain.id(), id -> b.domains().get(id));
      assertThat(b.domains().byName("alpha.test")).isEmpty();
      assertThat(b.domains().list(ORG_B, PageRequest.first()).items())
          .extracting(Domain::id).doesNotContain(aDomain.id()).hasSize(1);
    }

    @Test
    void anotherOrganizationsArgument_isAValidationError() {
      assertThatThrownBy(() -> b.domains().list(ORG_A, PageRequest.first()))
          .isInstanceOf(ValidationException.class).hasMessageContaining(ORG_B);
      assertThatThrownBy(() -> b.domains().create(ORG_A, "gamma.test"))
          .isInstanceOf(ValidationException.class);
      assertThat(mail.domains().byName("gamma.test")).isEmpty();
    }

    @Test
    void aTakenName_isAConflictThatDoesNotNameAsDomain() {
      ConflictException e = catchThrowableOfType(ConflictException.class,
          () -> b.domains().create(ORG_B, "alpha.test"));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).doesNotContain(aDomain.id().toString()).doesNotContain(ORG_A);
      assertThat(e.id()).isEqualTo("alpha.test");
    }

    @Test
    void update_dnsRecords_verify_delete_areNotFound_andChangeNothing() {
      assertNotFound(aDomain.id(), id -> b.domains().update(id,
          DomainSettings.NONE.withFromName("Mallory")));
      assertNotFound(aDomain.id(), id -> b.domains().dnsRecords(id));
      assertNotFound(aDomain.id(), id -> b.domains().verify(id));
      assertNotFound(aDomain.id(), id -> b.domains().delete(id));
      assertThat(a.domains().get(aDomain.id())).contains(aDomain);
    }
  }

  // ---- mailboxes --------------------------------------------------------------------------

  /** {@code mailboxes()}. */
  @Nested
  class Mailboxes {
    @Test
    void get_byAddress_list_doNotShowA() {
      assertEmptyLikeMissing(aInbox.id(), id -> b.mailboxes().get(id));
      assertThat(b.mailboxes().byAddress("support@alpha.test")).isEmpty();
      assertThat(b.mailboxes().list(aDomain.id(), PageRequest.first()).items()).isEmpty();
    }

    @Test
    void create_update_delete_areNotFound_andChangeNothing() {
      assertNotFound(aDomain.id(), id -> b.mailboxes().create(id, InboxSpec.of("sales", "S")));
      assertNotFound(aInbox.id(), id -> b.mailboxes().update(id, InboxSpec.of("x", "X")));
      assertNotFound(aInbox.id(), id -> b.mailboxes().delete(id));
      assertThat(a.mailboxes().get(aInbox.id())).contains(aInbox);
      assertThat(a.mailboxes().list(aDomain.id(), PageRequest.first()).items()).hasSize(1);
    }

    @Test
    void receive_isRefusedInAScope() {
      InboundMail m = InboundMail.of(TestEmail.builder().to("support@alpha.test").build()
          .getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> b.mailboxes().receive(m))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("unscoped");
      assertThatThrownBy(() -> b.mailboxes().receiveAll(List.of(m)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(a.threads().list(aInbox.id(), PageRequest.first()).items()).hasSize(2);
    }
  }

  // ---- threads ----------------------------------------------------------------------------

  /** {@code threads()}. */
  @Nested
  class Threads {
    @Test
    void list_get_doNotShowA() {
      assertThat(b.threads().list(aInbox.id(), PageRequest.first()).items()).isEmpty();
      assertEmptyLikeMissing(aThread.id().value(), id -> b.threads().get(new ThreadId(id)));
    }

    @Test
    void messages_delete_areNotFound_andChangeNothing() {
      assertNotFound(aThread.id().value(),
          id -> b.threads().messages(new ThreadId(id), PageRequest.first()));
      assertNotFound(aThread.id().value(), id -> b.threads().delete(new ThreadId(id)));
      assertThat(a.threads().get(aThread.id())).isPresent();
    }

    @Test
    void explain_move_split_ofAsMessagesOrIntoAsThreads_areNotFound_andChangeNothing() {
      EmailThread bThread = b.threads().list(bInbox.id(), PageRequest.first()).items().get(0);
      EmailMessage bMessage = b.threads().messages(bThread.id(), PageRequest.first()).items()
          .get(0);

      assertNotFound(aReceived.id(), id -> b.threads().explain(id));
      assertNotFound(aReceived.id(), id -> b.threads().split(id));
      assertNotFound(aReceived.id(), id -> b.threads().move(id, bThread.id()));
      assertNotFound(aThread.id().value(),
          id -> b.threads().move(bMessage.id(), new ThreadId(id)));

      assertThat(a.threads().get(aThread.id())).get().extracting(EmailThread::messageCount)
          .isEqualTo(aThread.messageCount());
      assertThat(a.threads().messages(aThread.id(), PageRequest.first()).items())
          .extracting(EmailMessage::id).containsExactly(aReceived.id());
      assertThat(b.threads().get(bThread.id())).get().extracting(EmailThread::messageCount)
          .isEqualTo(bThread.messageCount());
    }
  }

  // ---- messages ---------------------------------------------------------------------------

  /** {@code messages()}. */
  @Nested
  class Messages {
    @Test
    void get_find_doNotShowA() {
      assertEmptyLikeMissing(aReceived.id(), id -> b.messages().get(id));
      assertEmptyLikeMissing(aSent.id(), id -> b.messages().get(id));
      assertThat(b.messages().find(aInbox.id(), aReceived.messageId())).isEmpty();
      // B's own look-alike (same Message-ID) is B's, never A's.
      assertThat(b.messages().find(bInbox.id(), aReceived.messageId()))
          .hasValueSatisfying(m -> assertThat(m.id()).isNotEqualTo(aReceived.id()));
    }

    @Test
    void raw_attachment_attachmentUrl_areNotFound() {
      assertNotFound(aReceived.id(), id -> b.messages().raw(id));
      assertNotFound(aReceived.id(), id -> b.messages().attachment(id, aAttachment.id()));
      assertNotFound(aReceived.id(), id -> b.messages().attachmentUrl(id, aAttachment.id(),
          Duration.ofMinutes(5)));
    }
  }

  // ---- sender -----------------------------------------------------------------------------

  /** {@code sender()}. */
  @Nested
  class Sender {
    @Test
    void sendFromAsInbox_isNotFound_andSendsNothing() {
      int before = kit.transport().sent().size();
      assertNotFound(aInbox.id(), id -> b.sender().send(OutboundEmail.builder().inboxId(id)
          .to("victim@example.test").subject(SUBJECT).text("phish").build()));
      assertThat(kit.transport().sent()).hasSize(before);
    }

    @Test
    void replyToAsMessage_isNotFound_andSendsNothing() {
      int before = kit.transport().sent().size();
      assertNotFound(aReceived.id(), id -> b.sender().reply(id, Reply.text("phish")));
      assertNotFound(aSent.id(), id -> b.sender().reply(id, Reply.text("phish")));
      assertThat(kit.transport().sent()).hasSize(before);
    }
  }

  // ---- deliveries -------------------------------------------------------------------------

  /** {@code deliveries()}. */
  @Nested
  class Deliveries {
    @Test
    void status_events_areNotFound() {
      assertNotFound(aSent.id(), id -> b.deliveries().status(id));
      assertNotFound(aSent.id(), id -> b.deliveries().events(id));
    }

    @Test
    void record_onAsMessage_isNotFound_andRecordsNothing() {
      int before = a.deliveries().events(aSent.id()).size();
      assertNotFound(aSent.id(), id -> b.deliveries().record(DeliveryEvent.builder()
          .messageId(id).delivered().recipients("client@example.test").build()));
      String providerId = a.messages().get(aSent.id()).orElseThrow().providerMessageId()
          .orElseThrow();
      assertThatThrownBy(() -> b.deliveries().record(DeliveryEvent.builder()
          .sesMessageId(providerId).delivered().recipients("client@example.test").build()))
          .isInstanceOf(NotFoundException.class)
          .hasMessage(new NotFoundException("message", "provider id " + providerId)
              .getMessage());
      assertThat(a.deliveries().events(aSent.id())).hasSize(before);
    }
  }

  // ---- suppressions -----------------------------------------------------------------------

  /** {@code suppressions()}: account-wide, so listing and removing are operator-only. */
  @Nested
  class Suppressions {
    @Test
    void list_remove_areRefused_add_check_work() {
      mail.suppressions().add("bounced@example.test");
      assertThatThrownBy(() -> b.suppressions().list(PageRequest.first()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("whole account");
      assertThatThrownBy(() -> b.suppressions().remove("bounced@example.test"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(mail.suppressions().check("bounced@example.test")).isPresent();
      assertThat(b.suppressions().check("bounced@example.test")).isPresent();
      b.suppressions().add("spam-trap@example.test");
      assertThat(mail.suppressions().check("spam-trap@example.test")).isPresent();
    }
  }

  // ---- webhooks ---------------------------------------------------------------------------

  /** {@code webhooks()}. */
  @Nested
  class Webhooks {
    @Test
    void registerWithAsInbox_failsLikeAnUnknownInbox() {
      assertLikeMissing(aInbox.id(), id -> b.webhooks().register(ORG_B,
          WebhookSpec.of("http://127.0.0.1:9/b", WebhookEventType.MESSAGE_RECEIVED)
              .withInboxes(Set.of(id))));
      assertThat(b.webhooks().list(ORG_B, PageRequest.first()).items()).hasSize(1);
    }

    @Test
    void get_list_doNotShowA() {
      assertEmptyLikeMissing(aEndpoint.id(), id -> b.webhooks().get(id));
      assertThat(b.webhooks().list(ORG_B, PageRequest.first()).items())
          .extracting(WebhookEndpoint::id).doesNotContain(aEndpoint.id());
      assertThatThrownBy(() -> b.webhooks().list(ORG_A, PageRequest.first()))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> b.webhooks().register(ORG_A,
          WebhookSpec.of("http://127.0.0.1:9/b", WebhookEventType.MESSAGE_RECEIVED)))
          .isInstanceOf(ValidationException.class);
    }

    @Test
    void changesToAsEndpoint_areNotFound_andChangeNothing() {
      WebhookSpec hijack = WebhookSpec.of("http://127.0.0.1:9/mallory",
          WebhookEventType.MESSAGE_RECEIVED);
      assertNotFound(aEndpoint.id(), id -> b.webhooks().update(id, hijack));
      assertNotFound(aEndpoint.id(), id -> b.webhooks().rotateSecret(id));
      assertNotFound(aEndpoint.id(), id -> b.webhooks().disable(id));
      assertNotFound(aEndpoint.id(), id -> b.webhooks().enable(id));
      assertNotFound(aEndpoint.id(), id -> b.webhooks().delete(id));
      assertThat(a.webhooks().get(aEndpoint.id())).contains(aEndpoint);
    }

    @Test
    void deliveries_replay_replayFailed_areNotFound() {
      assertNotFound(aEndpoint.id(), id -> b.webhooks().deliveries(id,
          WebhookDeliveryFilter.all(), PageRequest.first()));
      assertNotFound(aDelivery, id -> b.webhooks().replay(id));
      assertNotFound(aEndpoint.id(), id -> b.webhooks().replayFailed(id, Instant.EPOCH));
    }

    @Test
    void oneMessageToBothOrganizations_eachEndpointHearsOnlyItsOwnInbox() {
      WebhookEndpoint bEndpoint = b.webhooks().list(ORG_B, PageRequest.first()).items().get(0);
      int aBefore = deliveryCount(a, aEndpoint.id());
      int bBefore = deliveryCount(b, bEndpoint.id());
      // One transaction writes the copies for both inboxes, reading their endpoints together.
      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(TestEmail.builder()
          .from("customer@example.test").to("support@alpha.test").subject("Both")
          .messageId("<both@example.test>").text("to both").build()
          .getBytes(StandardCharsets.UTF_8), "support@alpha.test", "support@beta.test"));
      assertThat(r.deliveries()).hasSize(2);
      assertThat(deliveryCount(a, aEndpoint.id())).isEqualTo(aBefore + 1);
      assertThat(deliveryCount(b, bEndpoint.id())).isEqualTo(bBefore + 1);
    }

    private int deliveryCount(OrganizationMail org, UUID endpointId) {
      return org.webhooks().deliveries(endpointId, WebhookDeliveryFilter.all(),
          PageRequest.first()).items().size();
    }

    @Test
    void dispatcher_listeners_areOperatorOnly() {
      assertThatThrownBy(() -> b.webhooks().dispatcher())
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> b.webhooks().addListener(n -> { }))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  // ---- auth keys --------------------------------------------------------------------------

  /** {@code authKeys()}. */
  @Nested
  class AuthKeys {
    @Test
    void get_list_doNotShowA() {
      assertEmptyLikeMissing(aKey.id(), id -> b.authKeys().get(id));
      assertThat(b.authKeys().list(ORG_B, PageRequest.first()).items())
          .extracting(AuthKey::id).doesNotContain(aKey.id()).hasSize(1);
      assertThatThrownBy(() -> b.authKeys().list(ORG_A, PageRequest.first()))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> b.authKeys().register(ORG_A, "x", publicKeyPem(),
          AuthKeyAlgorithm.ES256)).isInstanceOf(ValidationException.class);
    }

    @Test
    void revokeOfAsKey_isNotFound_andLeavesItActive() {
      assertNotFound(aKey.id(), id -> b.authKeys().revoke(id));
      assertThat(a.authKeys().get(aKey.id())).hasValueSatisfying(
          k -> assertThat(k.revoked()).isFalse());
    }
  }

  // ---- ids guessed ------------------------------------------------------------------------

  @Test
  void guessedIds_ofEveryKind_findNothing() {
    for (int i = 0; i < 20; i++) {
      UUID guess = UUID.randomUUID();
      assertThat(b.domains().get(guess)).isEmpty();
      assertThat(b.mailboxes().get(guess)).isEmpty();
      assertThat(b.threads().get(new ThreadId(guess))).isEmpty();
      assertThat(b.messages().get(guess)).isEmpty();
      assertThat(b.webhooks().get(guess)).isEmpty();
      assertThat(b.authKeys().get(guess)).isEmpty();
    }
  }
}
