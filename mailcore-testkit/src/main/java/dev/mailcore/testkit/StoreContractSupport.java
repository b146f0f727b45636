package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.Direction;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ThreadId;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store contract suites share: the hook that creates the store under test, and the
 * test data helpers. There is one suite per aggregate ({@link DomainStoreContract},
 * {@link InboxStoreContract}, {@link ThreadStoreContract}, {@link MessageStoreContract},
 * {@link DeliveryEventStoreContract}, {@link SuppressionStoreContract},
 * {@link IdempotencyStoreContract}) and one for the transaction as a whole
 * ({@link StoreTransactionContract}); a store passes by a thin subclass of each:
 *
 * <pre>{@code
 * class PostgresDomainStoreTest extends DomainStoreContract {
 *   @Override
 *   protected MailStore createStore() {
 *     return PostgresMailStore.builder().dataSource(freshSchema()).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Test data uses microsecond-precision timestamps (what PostgreSQL stores) and, where the
 * order of ids matters, ids on both sides of the sign bit: ids are ordered as unsigned 128-bit
 * numbers, which is the order of their canonical string form and PostgreSQL's {@code uuid}
 * order. Rows reference each other as a relational store requires (an inbox's domain exists, a
 * message's thread exists), so stores with foreign keys pass too. Data is arranged only through
 * SPI methods the engine itself calls.
 *
 * <p>Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class StoreContractSupport {

  /** A fixed, microsecond-precision base time for test data. */
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:30.123456Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The store under test, fresh for each test. */
  protected MailStore store;

  /** Creates the contract; subclasses are created by JUnit. */
  protected StoreContractSupport() {}

  /**
   * Creates a fresh, empty store. Called once per test; the store is closed after the test.
   *
   * @return the store under test
   */
  protected abstract MailStore createStore();

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * Runs work in one transaction of the store under test.
   *
   * @param work the work
   * @param <T> the result type
   * @return the result
   */
  protected <T> T tx(Function<StoreTransaction, T> work) {
    return store.inTransaction(work);
  }

  /**
   * Runs work without a result in one transaction.
   *
   * @param work the work
   */
  protected void run(Consumer<StoreTransaction> work) {
    store.inTransaction(t -> {
      work.accept(t);
      return null;
    });
  }

  /**
   * {@link #T0} plus some seconds.
   *
   * @param seconds offset
   * @return the instant
   */
  protected static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /**
   * A UUID whose 32 hex digits are {@code prefix} followed by a distinguishing suffix, for tests
   * that depend on id order.
   *
   * @param first the first hex digit (0-f), which decides the order
   * @param n a distinguishing number
   * @return the id
   */
  protected static UUID orderedId(char first, int n) {
    String hex = first + String.format("%031x", n);
    return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
        + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
  }

  /**
   * A domain value (not stored) with every optional field set.
   *
   * @param org the organization
   * @param name the domain name
   * @param createdAt creation time
   * @return the domain
   */
  protected static Domain domain(String org, String name, Instant createdAt) {
    return new Domain(UUID.randomUUID(), org, name,
        Optional.of("arn:aws:ses:eu-west-1:123456789012:identity/" + name),
        List.of("tok1", "tok2", "tok3"), Optional.of("Acme Support"),
        Optional.of(EmailAddress.of("Help Desk", "help@" + name)),
        Optional.of(EmailAddress.of("bounces@" + name)),
        new DnsVerification(true, false, true, false), createdAt, createdAt, Optional.empty());
  }

  protected static Domain bareDomain(String org, String name, Instant createdAt) {
    return new Domain(UUID.randomUUID(), org, name, Optional.empty(), List.of(), Optional.empty(),
        Optional.empty(), Optional.empty(), DnsVerification.NONE, createdAt, createdAt,
        Optional.empty());
  }

  protected static Domain withId(Domain d, UUID id) {
    return new Domain(id, d.organizationId(), d.name(), d.sesIdentityArn(), d.dkimTokens(),
        d.fromName(), d.replyToAddress(), d.bounceAddress(), d.verification(), d.createdAt(),
        d.updatedAt(), d.deletedAt());
  }

  protected static Domain deleted(Domain d, Instant when) {
    return new Domain(d.id(), d.organizationId(), d.name(), d.sesIdentityArn(), d.dkimTokens(),
        d.fromName(), d.replyToAddress(), d.bounceAddress(), d.verification(), d.createdAt(),
        when, Optional.of(when));
  }

  /**
   * An inbox value (not stored).
   *
   * @param domainId its domain
   * @param localPart its local part
   * @param catchAll whether it is the catch-all
   * @param createdAt creation time
   * @return the inbox
   */
  protected static Inbox inbox(UUID domainId, String localPart, boolean catchAll,
      Instant createdAt) {
    return new Inbox(UUID.randomUUID(), domainId, "Inbox " + localPart, localPart, catchAll,
        createdAt, createdAt, Optional.empty());
  }

  protected static Inbox withId(Inbox i, UUID id) {
    return new Inbox(id, i.domainId(), i.name(), i.localPart(), i.catchAll(), i.createdAt(),
        i.updatedAt(), i.deletedAt());
  }

  protected static Inbox deleted(Inbox i, Instant when) {
    return new Inbox(i.id(), i.domainId(), i.name(), i.localPart(), i.catchAll(), i.createdAt(),
        when, Optional.of(when));
  }

  protected static Inbox changed(Inbox i, String localPart, boolean catchAll) {
    return new Inbox(i.id(), i.domainId(), "Renamed " + localPart, localPart, catchAll,
        i.createdAt(), i.updatedAt().plusSeconds(1), i.deletedAt());
  }

  /**
   * A thread value (not stored).
   *
   * @param inboxId its inbox
   * @param subject its subject
   * @param updatedAt its last activity (also its creation time)
   * @return the thread
   */
  protected static EmailThread thread(UUID inboxId, String subject, Instant updatedAt) {
    return new EmailThread(new ThreadId(UUID.randomUUID()), inboxId, subject, updatedAt,
        updatedAt, 1, Optional.empty());
  }

  protected static EmailThread withId(EmailThread t, UUID id) {
    return new EmailThread(new ThreadId(id), t.inboxId(), t.subject(), t.createdAt(),
        t.updatedAt(), t.messageCount(), t.deletedAt());
  }

  protected static EmailThread deleted(EmailThread t, Instant when) {
    return new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(), t.updatedAt(),
        t.messageCount(), Optional.of(when));
  }

  protected static EmailThread counted(EmailThread t, int count, Instant updatedAt) {
    return new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(), updatedAt, count,
        t.deletedAt());
  }

  /**
   * A mutable message description, so tests can state only what they care about.
   */
  protected static final class Msg {
    UUID id = UUID.randomUUID();
    MessageId messageId;
    ThreadId threadId;
    UUID inboxId;
    Direction direction = Direction.INBOUND;
    EmailAddress from = EmailAddress.of("Ann Lee", "ann@example.com");
    List<EmailAddress> to = List.of(EmailAddress.of("support@acme.test"));
    List<EmailAddress> cc = List.of();
    List<EmailAddress> bcc = List.of();
    List<EmailAddress> replyTo = List.of();
    String subject = "Hello";
    Instant sentAt = T0;
    Optional<MessageId> inReplyTo = Optional.empty();
    List<MessageId> references = List.of();
    Optional<String> bodyText = Optional.of("Hello there");
    Optional<String> bodyHtml = Optional.empty();
    List<EmailAttachment> attachments = List.of();
    String rawStorageKey = "2026/03/02/raw.eml";
    Optional<String> providerMessageId = Optional.empty();
    Instant createdAt = T0;
    ReceiptVerdicts verdicts = ReceiptVerdicts.NONE;

    private Msg(UUID inboxId, ThreadId threadId, String messageId) {
      this.inboxId = inboxId;
      this.threadId = threadId;
      this.messageId = new MessageId(messageId);
    }

    Msg sent(Instant when) {
      this.sentAt = when;
      this.createdAt = when;
      return this;
    }

    Msg id(UUID value) {
      this.id = value;
      return this;
    }

    Msg created(Instant when) {
      this.createdAt = when;
      return this;
    }

    Msg inReplyTo(String parent) {
      this.inReplyTo = Optional.of(new MessageId(parent));
      return this;
    }

    Msg references(String... ids) {
      List<MessageId> out = new ArrayList<>();
      for (String s : ids) {
        out.add(new MessageId(s));
      }
      this.references = out;
      return this;
    }

    Msg from(String address) {
      this.from = EmailAddress.of(address);
      return this;
    }

    Msg to(String... addresses) {
      this.to = addresses(addresses);
      return this;
    }

    Msg cc(String... addresses) {
      this.cc = addresses(addresses);
      return this;
    }

    Msg bcc(String... addresses) {
      this.bcc = addresses(addresses);
      return this;
    }

    private static List<EmailAddress> addresses(String... addresses) {
      List<EmailAddress> out = new ArrayList<>();
      for (String a : addresses) {
        out.add(EmailAddress.of(a));
      }
      return out;
    }

    EmailMessage build() {
      return new EmailMessage(id, messageId, threadId, inboxId, direction, from, to, cc, bcc,
          replyTo, subject, sentAt, inReplyTo, references, bodyText, bodyHtml, attachments,
          rawStorageKey, providerMessageId, createdAt, verdicts);
    }
  }

  /**
   * Starts describing a message.
   *
   * @param thread the thread it goes into (and whose inbox)
   * @param messageId the Message-ID
   * @return the description
   */
  protected static Msg msg(EmailThread thread, String messageId) {
    return new Msg(thread.inboxId(), thread.id(), messageId);
  }

  /** A stored domain and inbox most tests start from. */
  protected record World(Domain domain, Inbox inbox) {}

  /**
   * Stores a domain {@code acme.test} with inbox {@code support}.
   *
   * @return what was stored
   */
  protected World world() {
    return world("acme.test");
  }

  /**
   * Stores a domain with inbox {@code support}.
   *
   * @param domainName the domain name
   * @return what was stored
   */
  protected World world(String domainName) {
    Domain d = domain("org_a", domainName, T0);
    Inbox i = inbox(d.id(), "support", false, T0);
    run(t -> {
      assertThat(t.domains().insert(d)).isTrue();
      assertThat(t.inboxes().insert(i)).isTrue();
    });
    return new World(d, i);
  }

  /** The organization of {@link #world()}'s domain. */
  protected static final String ORG_A = "org_a";
  /** An organization that owns nothing unless a test stores something for it. */
  protected static final String ORG_B = "org_b";
  /** {@link #ORG_A}'s scope. */
  protected static final Scope SCOPE_A = Scope.organization(ORG_A);
  /** {@link #ORG_B}'s scope. */
  protected static final Scope SCOPE_B = Scope.organization(ORG_B);

  /**
   * Stores a domain of {@link #ORG_B} with an inbox {@code support}, the look-alike of
   * {@link #world()} for scope cases.
   *
   * @param domainName the domain name (another than {@link #world()}'s)
   * @return what was stored
   */
  protected World otherOrganizationsWorld(String domainName) {
    Domain d = domain(ORG_B, domainName, T0);
    Inbox i = inbox(d.id(), "support", false, T0);
    run(t -> {
      assertThat(t.domains().insert(d)).isTrue();
      assertThat(t.inboxes().insert(i)).isTrue();
    });
    return new World(d, i);
  }

  /**
   * Stores another inbox on a stored domain.
   *
   * @param domainId the domain
   * @param localPart the local part
   * @return the stored inbox
   */
  protected Inbox storeInbox(UUID domainId, String localPart) {
    Inbox i = inbox(domainId, localPart, false, T0);
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(i))).isTrue();
    return i;
  }

  /**
   * Stores a thread now, with a starter message of its own (a thread row is only ever written
   * with a message): Message-ID {@code <starter-THREADID@contract.invalid>}, no references and no
   * participant keys, so it never matches a threading lookup.
   *
   * @param inboxId the inbox
   * @param subject the subject
   * @param updatedAt last activity (also creation time)
   * @return the stored thread
   */
  protected EmailThread storeThread(UUID inboxId, String subject, Instant updatedAt) {
    return storeThread(thread(inboxId, subject, updatedAt));
  }

  /**
   * Stores a thread row exactly as given, with a starter message (see
   * {@link #storeThread(UUID, String, Instant)}).
   *
   * @param row the thread
   * @return the stored thread
   */
  protected EmailThread storeThread(EmailThread row) {
    Msg starter = msg(row, "starter-" + row.id().value() + "@contract.invalid");
    starter.sentAt = row.createdAt();
    starter.createdAt = row.createdAt();
    EmailMessage m = starter.build();
    assertThat(tx((StoreTransaction t) ->
        t.messages().insert(m, Set.of(), ThreadChange.start(row)))).isTrue();
    return row;
  }

  /**
   * A thread that is stored with the first message {@link #storeMessage(Msg)} puts into it, as
   * the engine does.
   *
   * @param inboxId the inbox
   * @param subject the subject
   * @param updatedAt last activity (also creation time)
   * @return the thread (not stored yet)
   */
  protected EmailThread newThread(UUID inboxId, String subject, Instant updatedAt) {
    EmailThread t = thread(inboxId, subject, updatedAt);
    pending.put(t.id(), t);
    return t;
  }

  private final Map<ThreadId, EmailThread> pending = new HashMap<>();

  /**
   * The change that writes a thread's row back as it is now in the store: the thread
   * bookkeeping is the engine's, so these tests keep thread rows as they arranged them.
   *
   * @param id the thread
   * @return the change
   */
  protected ThreadChange unchanged(ThreadId id) {
    return ThreadChange.update(tx((StoreTransaction t) -> t.threads().find(Scope.all(), id)).orElseThrow());
  }

  /**
   * The participant keys the test data stores with a message: its From, To and Cc addresses,
   * lower-cased (what the engine passes for a message on another domain).
   *
   * @param m the message
   * @return the keys
   */
  protected static Set<String> participantsOf(EmailMessage m) {
    Set<String> out = new LinkedHashSet<>();
    out.add(m.from().normalized());
    m.to().forEach(a -> out.add(a.normalized()));
    m.cc().forEach(a -> out.add(a.normalized()));
    return out;
  }

  /**
   * Stores a message with {@link #participantsOf} as its participant keys, asserting it was
   * inserted. Its thread is started if it was made by {@link #newThread} and not stored yet,
   * else written back unchanged.
   *
   * @param m the message
   * @return the stored message
   */
  protected EmailMessage storeMessage(Msg m) {
    EmailMessage built = m.build();
    return storeMessage(m, participantsOf(built));
  }

  /**
   * Stores a message with these participant keys, asserting it was inserted.
   *
   * @param m the message
   * @param participants its participant keys
   * @return the stored message
   */
  protected EmailMessage storeMessage(Msg m, Collection<String> participants) {
    EmailMessage built = m.build();
    assertThat(insert(built, participants)).as("insert(%s)", built.messageId()).isTrue();
    return built;
  }

  /**
   * Inserts a message with {@link #participantsOf} as its participant keys, in its own
   * transaction; its thread is started or kept as by {@link #storeMessage(Msg)}.
   *
   * @param message the message
   * @return what {@link dev.mailcore.spi.MessageStore#insert} returned
   */
  protected boolean insert(EmailMessage message) {
    return insert(message, participantsOf(message));
  }

  private boolean insert(EmailMessage message, Collection<String> participants) {
    EmailThread starts = pending.get(message.threadId());
    ThreadChange change = starts != null ? ThreadChange.start(starts)
        : unchanged(message.threadId());
    boolean inserted = tx((StoreTransaction t) ->
        t.messages().insert(message, participants, change));
    if (inserted) {
      pending.remove(message.threadId());
    }
    return inserted;
  }

  protected static List<UUID> ids(List<Domain> domains) {
    return domains.stream().map(Domain::id).toList();
  }

  protected static void assertSameJson(String actual, String expected) {
    try {
      assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected));
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + actual, e);
    }
  }
}
