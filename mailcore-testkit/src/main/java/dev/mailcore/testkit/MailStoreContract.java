package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.mailcore.StorageException;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.ThreadId;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MailStore} must have: each {@link StoreTransaction} method's
 * documented semantics, transaction rollback and the per-inbox lock. Adapters subclass it in
 * their tests and implement {@link #createStore()}; the testkit runs it against
 * {@link InMemoryMailStore}.
 *
 * <pre>{@code
 * class PostgresMailStoreContractTest extends MailStoreContract {
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
 * message's thread exists), so stores with foreign keys pass too.
 *
 * <p>Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class MailStoreContract {

  /** A fixed, microsecond-precision base time for test data. */
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:30.123456Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The store under test, fresh for each test. */
  protected MailStore store;

  /** Creates the contract; subclasses are created by JUnit. */
  protected MailStoreContract() {}

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

  private static Domain bareDomain(String org, String name, Instant createdAt) {
    return new Domain(UUID.randomUUID(), org, name, Optional.empty(), List.of(), Optional.empty(),
        Optional.empty(), Optional.empty(), DnsVerification.NONE, createdAt, createdAt,
        Optional.empty());
  }

  private static Domain withId(Domain d, UUID id) {
    return new Domain(id, d.organizationId(), d.name(), d.sesIdentityArn(), d.dkimTokens(),
        d.fromName(), d.replyToAddress(), d.bounceAddress(), d.verification(), d.createdAt(),
        d.updatedAt(), d.deletedAt());
  }

  private static Domain deleted(Domain d, Instant when) {
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

  private static Inbox withId(Inbox i, UUID id) {
    return new Inbox(id, i.domainId(), i.name(), i.localPart(), i.catchAll(), i.createdAt(),
        i.updatedAt(), i.deletedAt());
  }

  private static Inbox deleted(Inbox i, Instant when) {
    return new Inbox(i.id(), i.domainId(), i.name(), i.localPart(), i.catchAll(), i.createdAt(),
        when, Optional.of(when));
  }

  private static Inbox changed(Inbox i, String localPart, boolean catchAll) {
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

  private static EmailThread withId(EmailThread t, UUID id) {
    return new EmailThread(new ThreadId(id), t.inboxId(), t.subject(), t.createdAt(),
        t.updatedAt(), t.messageCount(), t.deletedAt());
  }

  private static EmailThread deleted(EmailThread t, Instant when) {
    return new EmailThread(t.id(), t.inboxId(), t.subject(), t.createdAt(), t.updatedAt(),
        t.messageCount(), Optional.of(when));
  }

  private static EmailThread counted(EmailThread t, int count, Instant updatedAt) {
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
    String subject = "Hello";
    Instant sentAt = T0;
    Optional<MessageId> inReplyTo = Optional.empty();
    List<MessageId> references = List.of();
    Optional<String> bodyText = Optional.of("Hello there");
    Optional<String> bodyHtml = Optional.empty();
    List<EmailAttachment> attachments = List.of();
    String rawStorageKey = "2026/03/02/raw.eml";
    Optional<String> sesMessageId = Optional.empty();
    Instant createdAt = T0;

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
          subject, sentAt, inReplyTo, references, bodyText, bodyHtml, attachments, rawStorageKey,
          sesMessageId, createdAt);
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
      assertThat(t.insertDomain(d)).isTrue();
      assertThat(t.insertInbox(i)).isTrue();
    });
    return new World(d, i);
  }

  /**
   * Stores a thread.
   *
   * @param inboxId the inbox
   * @param subject the subject
   * @param updatedAt last activity
   * @return the stored thread
   */
  protected EmailThread storeThread(UUID inboxId, String subject, Instant updatedAt) {
    EmailThread t = thread(inboxId, subject, updatedAt);
    run(x -> x.insertThread(t));
    return t;
  }

  /**
   * Stores a message, asserting it was inserted.
   *
   * @param m the message
   * @return the stored message
   */
  protected EmailMessage storeMessage(Msg m) {
    EmailMessage built = m.build();
    assertThat(tx((StoreTransaction t) -> t.insertMessage(built, ThreadChange.unchanged())))
        .as("insertMessage(%s)", built.messageId()).isTrue();
    return built;
  }

  private static List<UUID> ids(List<Domain> domains) {
    return domains.stream().map(Domain::id).toList();
  }

  private static void assertSameJson(String actual, String expected) {
    try {
      assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected));
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + actual, e);
    }
  }

  // ---- domains ------------------------------------------------------------------------------

  /** Domains: insert conflicts, soft deletion, lookups and listing. */
  @Nested
  class Domains {

    @Test
    void insertDomain_thenFind_roundTripsEveryField() {
      Domain full = domain("org_a", "acme.test", T0);
      Domain bare = bareDomain("org_a", "bare.test", at(1));
      run(t -> {
        assertThat(t.insertDomain(full)).isTrue();
        assertThat(t.insertDomain(bare)).isTrue();
      });

      assertThat(tx((StoreTransaction t) -> t.findDomain(full.id()))).contains(full);
      assertThat(tx((StoreTransaction t) -> t.findDomain(bare.id()))).contains(bare);
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("acme.test"))).contains(full);
    }

    @Test
    void insertDomain_whenActiveDomainHasName_returnsFalseAndInsertsNothing() {
      Domain first = domain("org_a", "acme.test", T0);
      Domain second = domain("org_b", "acme.test", at(1));
      run(t -> t.insertDomain(first));

      assertThat(tx((StoreTransaction t) -> t.insertDomain(second))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.findDomain(second.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("acme.test"))).contains(first);
    }

    @Test
    void insertDomain_whenSameNameSoftDeleted_insertsAndByNameFindsNewOne() {
      Domain old = domain("org_a", "acme.test", T0);
      run(t -> t.insertDomain(old));
      run(t -> t.updateDomain(deleted(old, at(5))));
      Domain fresh = domain("org_a", "acme.test", at(10));

      assertThat(tx((StoreTransaction t) -> t.insertDomain(fresh))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("acme.test"))).contains(fresh);
      assertThat(tx((StoreTransaction t) -> t.findDomain(old.id()))).contains(deleted(old, at(5)));
    }

    @Test
    void findDomain_whenSoftDeleted_returnsIt_butFindByNameDoesNot() {
      Domain d = domain("org_a", "acme.test", T0);
      run(t -> t.insertDomain(d));
      run(t -> t.updateDomain(deleted(d, at(3))));

      assertThat(tx((StoreTransaction t) -> t.findDomain(d.id()))).hasValueSatisfying(x -> {
        assertThat(x.deleted()).isTrue();
        assertThat(x.deletedAt()).contains(at(3));
      });
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("acme.test"))).isEmpty();
    }

    @Test
    void find_whenUnknown_returnsEmpty() {
      assertThat(tx((StoreTransaction t) -> t.findDomain(UUID.randomUUID()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("nowhere.test"))).isEmpty();
    }

    @Test
    void updateDomain_replacesValues() {
      Domain d = bareDomain("org_a", "acme.test", T0);
      run(t -> t.insertDomain(d));
      Domain updated = new Domain(d.id(), d.organizationId(), d.name(),
          Optional.of("arn:x"), List.of("c", "a", "b"), Optional.of("Acme"),
          Optional.of(EmailAddress.of("reply@acme.test")), Optional.empty(),
          new DnsVerification(true, true, true, true), d.createdAt(), at(60), Optional.empty());

      run(t -> t.updateDomain(updated));

      assertThat(tx((StoreTransaction t) -> t.findDomain(d.id()))).contains(updated);
    }

    @Test
    void listDomains_returnsOrganizationsActiveDomainsOldestFirst() {
      Domain a = domain("org_a", "a.test", at(2));
      Domain b = domain("org_a", "b.test", at(1));
      Domain c = domain("org_a", "c.test", at(3));
      Domain gone = domain("org_a", "gone.test", at(4));
      Domain other = domain("org_b", "other.test", at(0));
      run(t -> List.of(a, b, c, gone, other).forEach(t::insertDomain));
      run(t -> t.updateDomain(deleted(gone, at(9))));

      assertThat(ids(tx(t -> t.listDomains("org_a", Optional.empty(), 10))))
          .containsExactly(b.id(), a.id(), c.id());
      assertThat(ids(tx(t -> t.listDomains("org_b", Optional.empty(), 10))))
          .containsExactly(other.id());
      assertThat(tx(
          (StoreTransaction t) -> t.listDomains("org_none", Optional.empty(), 10))).isEmpty();
    }

    @Test
    void listDomains_pagesByKeysetWithTiesBrokenById() {
      List<Domain> expected = new ArrayList<>();
      char[] firsts = {'0', '7', '8', 'f'};
      for (int i = 0; i < firsts.length; i++) {
        expected.add(withId(domain("org_a", "d" + i + ".test", at(1)), orderedId(firsts[i], i)));
      }
      Domain later = domain("org_a", "later.test", at(2));
      expected.add(later);
      run(t -> {
        // insert in an order unrelated to the listing order
        for (int i = expected.size() - 1; i >= 0; i--) {
          t.insertDomain(expected.get(i));
        }
      });

      List<UUID> seen = new ArrayList<>();
      Optional<Keyset> after = Optional.empty();
      for (int page = 0; page < 10; page++) {
        Optional<Keyset> cursor = after;
        List<Domain> rows = tx(t -> t.listDomains("org_a", cursor, 2));
        assertThat(rows.size()).isLessThanOrEqualTo(2);
        if (rows.isEmpty()) {
          break;
        }
        rows.forEach(r -> seen.add(r.id()));
        Domain last = rows.get(rows.size() - 1);
        after = Optional.of(new Keyset(last.createdAt(), last.id()));
      }
      assertThat(seen).containsExactlyElementsOf(ids(expected));
    }
  }

  // ---- inboxes ------------------------------------------------------------------------------

  /** Inboxes: local-part and catch-all conflicts on insert and update, lookups, listing. */
  @Nested
  class Inboxes {
    private Domain domain;
    private Domain otherDomain;

    @BeforeEach
    void domains() {
      domain = domain("org_a", "acme.test", T0);
      otherDomain = domain("org_a", "other.test", T0);
      run(t -> {
        t.insertDomain(domain);
        t.insertDomain(otherDomain);
      });
    }

    @Test
    void insertInbox_thenFind_roundTrips() {
      Inbox i = inbox(domain.id(), "support", false, T0);
      assertThat(tx((StoreTransaction t) -> t.insertInbox(i))).isTrue();

      assertThat(tx((StoreTransaction t) -> t.findInbox(i.id()))).contains(i);
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "support"))).contains(i);
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(otherDomain.id(), "support"))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "sales"))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of()))).isEmpty();
    }

    @Test
    void insertInbox_whenLocalPartTakenOnDomain_returnsFalseAndInsertsNothing() {
      Inbox first = inbox(domain.id(), "support", false, T0);
      Inbox dup = inbox(domain.id(), "support", false, at(1));
      Inbox elsewhere = inbox(otherDomain.id(), "support", false, at(1));
      run(t -> t.insertInbox(first));

      assertThat(tx((StoreTransaction t) -> t.insertInbox(dup))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.findInbox(dup.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.insertInbox(elsewhere))).isTrue();
    }

    @Test
    void insertInbox_whenLocalPartSoftDeleted_inserts() {
      Inbox old = inbox(domain.id(), "support", false, T0);
      run(t -> t.insertInbox(old));
      run(t -> t.updateInbox(deleted(old, at(1))));
      Inbox fresh = inbox(domain.id(), "support", false, at(2));

      assertThat(tx((StoreTransaction t) -> t.insertInbox(fresh))).isTrue();
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "support"))).contains(fresh);
      assertThat(tx((StoreTransaction t) -> t.findInbox(old.id()))).hasValueSatisfying(
          x -> assertThat(x.deletedAt()).contains(at(1)));
    }

    @Test
    void insertInbox_whenDomainHasActiveCatchAll_refusesSecondCatchAll() {
      Inbox all = inbox(domain.id(), "all", true, T0);
      Inbox second = inbox(domain.id(), "everything", true, at(1));
      Inbox regular = inbox(domain.id(), "everything", false, at(1));
      Inbox otherAll = inbox(otherDomain.id(), "all", true, at(1));
      run(t -> t.insertInbox(all));

      assertThat(tx((StoreTransaction t) -> t.insertInbox(second))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.findInbox(second.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.insertInbox(regular))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.insertInbox(otherAll))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of())))
          .containsExactly(all);
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(otherDomain.name(), List.of())))
          .containsExactly(otherAll);
    }

    @Test
    void insertInbox_whenCatchAllSoftDeleted_allowsNewCatchAll() {
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> t.insertInbox(all));
      run(t -> t.updateInbox(deleted(all, at(1))));
      Inbox next = inbox(domain.id(), "rest", true, at(2));

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.insertInbox(next))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of())))
          .containsExactly(next);
    }

    @Test
    void updateInbox_replacesValues_andKeepingOwnLocalPartIsNoConflict() {
      Inbox i = inbox(domain.id(), "support", true, T0);
      run(t -> t.insertInbox(i));
      Inbox renamedOnly = new Inbox(i.id(), i.domainId(), "New name", "support", true,
          i.createdAt(), at(5), Optional.empty());

      assertThat(tx((StoreTransaction t) -> t.updateInbox(renamedOnly))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findInbox(i.id()))).contains(renamedOnly);

      Inbox moved = changed(renamedOnly, "help", false);
      assertThat(tx((StoreTransaction t) -> t.updateInbox(moved))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findInbox(i.id()))).contains(moved);
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "help"))).contains(moved);
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "support"))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of()))).isEmpty();
    }

    @Test
    void updateInbox_whenLocalPartTaken_returnsFalseAndChangesNothing() {
      Inbox support = inbox(domain.id(), "support", false, T0);
      Inbox sales = inbox(domain.id(), "sales", false, T0);
      run(t -> {
        t.insertInbox(support);
        t.insertInbox(sales);
      });

      assertThat(tx(
          (StoreTransaction t) -> t.updateInbox(changed(sales, "support", false)))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.findInbox(sales.id()))).contains(sales);
    }

    @Test
    void updateInbox_whenBecomingSecondCatchAll_returnsFalseAndChangesNothing() {
      Inbox all = inbox(domain.id(), "all", true, T0);
      Inbox sales = inbox(domain.id(), "sales", false, T0);
      run(t -> {
        t.insertInbox(all);
        t.insertInbox(sales);
      });

      assertThat(tx(
          (StoreTransaction t) -> t.updateInbox(changed(sales, "sales", true)))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.findInbox(sales.id()))).contains(sales);
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of())))
          .containsExactly(all);
    }

    @Test
    void lookups_excludeSoftDeletedInboxes_butFindInboxIncludesThem() {
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> t.insertInbox(all));
      run(t -> t.updateInbox(deleted(all, at(1))));

      assertThat(tx((StoreTransaction t) -> t.findInboxByLocalPart(domain.id(), "all"))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(domain.name(), List.of()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findInbox(all.id()))).contains(deleted(all, at(1)));
    }

    @Test
    void findRouteCandidates_returnsMatchingLocalPartsAndCatchAll_ofThatDomainOnly() {
      Inbox support = inbox(domain.id(), "support", false, T0);
      Inbox sales = inbox(domain.id(), "sales", false, T0);
      Inbox all = inbox(domain.id(), "all", true, T0);
      Inbox unrelated = inbox(domain.id(), "billing", false, T0);
      Inbox elsewhere = inbox(otherDomain.id(), "support", false, T0);
      Inbox elsewhereAll = inbox(otherDomain.id(), "rest", true, T0);
      run(t -> List.of(support, sales, all, unrelated, elsewhere, elsewhereAll)
          .forEach(t::insertInbox));

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test",
          List.of("support", "sales", "support", "nobody")))).containsExactlyInAnyOrder(
              support, sales, all);
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("other.test",
          List.of("support")))).containsExactlyInAnyOrder(elsewhere, elsewhereAll);
    }

    @Test
    void findRouteCandidates_whenCatchAllMatchesLocalPart_returnsItOnce() {
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> t.insertInbox(all));

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test",
          List.of("all")))).containsExactly(all);
    }

    @Test
    void findRouteCandidates_whenNoLocalParts_returnsOnlyCatchAll() {
      Inbox support = inbox(domain.id(), "support", false, T0);
      run(t -> t.insertInbox(support));

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test", List.of())))
          .isEmpty();
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> t.insertInbox(all));
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test", List.of())))
          .containsExactly(all);
    }

    @Test
    void findRouteCandidates_excludesSoftDeletedInboxes() {
      Inbox support = inbox(domain.id(), "support", false, T0);
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> {
        t.insertInbox(support);
        t.insertInbox(all);
      });
      run(t -> {
        t.updateInbox(deleted(support, at(1)));
        t.updateInbox(deleted(all, at(1)));
      });

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test",
          List.of("support", "all")))).isEmpty();
    }

    @Test
    void findRouteCandidates_whenDomainUnknownOrSoftDeleted_returnsEmpty() {
      Inbox support = inbox(domain.id(), "support", false, T0);
      Inbox all = inbox(domain.id(), "all", true, T0);
      run(t -> {
        t.insertInbox(support);
        t.insertInbox(all);
      });

      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("nowhere.test",
          List.of("support")))).isEmpty();
      run(t -> t.updateDomain(deleted(domain, at(1))));
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates("acme.test",
          List.of("support")))).isEmpty();
    }

    @Test
    void listInboxes_returnsDomainsActiveInboxesOldestFirst_pagedByKeyset() {
      List<Inbox> expected = new ArrayList<>();
      char[] firsts = {'1', '9', 'a'};
      for (int i = 0; i < firsts.length; i++) {
        expected.add(withId(inbox(domain.id(), "tie" + i, false, at(2)), orderedId(firsts[i], i)));
      }
      Inbox oldest = inbox(domain.id(), "oldest", false, at(1));
      expected.add(0, oldest);
      Inbox newest = inbox(domain.id(), "newest", false, at(3));
      expected.add(newest);
      Inbox gone = inbox(domain.id(), "gone", false, at(2));
      Inbox elsewhere = inbox(otherDomain.id(), "elsewhere", false, at(2));
      run(t -> {
        for (int i = expected.size() - 1; i >= 0; i--) {
          t.insertInbox(expected.get(i));
        }
        t.insertInbox(gone);
        t.insertInbox(elsewhere);
      });
      run(t -> t.updateInbox(deleted(gone, at(4))));

      List<UUID> seen = new ArrayList<>();
      Optional<Keyset> after = Optional.empty();
      for (int page = 0; page < 10; page++) {
        Optional<Keyset> cursor = after;
        List<Inbox> rows = tx(t -> t.listInboxes(domain.id(), cursor, 2));
        assertThat(rows.size()).isLessThanOrEqualTo(2);
        if (rows.isEmpty()) {
          break;
        }
        rows.forEach(r -> seen.add(r.id()));
        Inbox last = rows.get(rows.size() - 1);
        after = Optional.of(new Keyset(last.createdAt(), last.id()));
      }
      assertThat(seen).containsExactlyElementsOf(expected.stream().map(Inbox::id).toList());
    }
  }

  // ---- threads ------------------------------------------------------------------------------

  /** Threads: round trip, update, newest-first keyset listing. */
  @Nested
  class Threads {
    private World w;

    @BeforeEach
    void world() {
      w = MailStoreContract.this.world();
    }

    @Test
    void insertThread_thenFind_roundTrips_includingDeleted() {
      EmailThread live = new EmailThread(new ThreadId(UUID.randomUUID()), w.inbox().id(),
          "Invoice 42", T0, at(30), 3, Optional.empty());
      EmailThread gone = new EmailThread(new ThreadId(UUID.randomUUID()), w.inbox().id(),
          "", T0, T0, 0, Optional.of(at(1)));
      run(t -> {
        t.insertThread(live);
        t.insertThread(gone);
      });

      assertThat(tx((StoreTransaction t) -> t.findThread(live.id()))).contains(live);
      assertThat(tx((StoreTransaction t) -> t.findThread(gone.id()))).contains(gone);
      assertThat(tx(
          (StoreTransaction t) -> t.findThread(new ThreadId(UUID.randomUUID())))).isEmpty();
    }

    @Test
    void updateThread_replacesCountActivityAndDeletion() {
      EmailThread t0 = storeThread(w.inbox().id(), "Hello", T0);
      EmailThread updated = deleted(counted(t0, 7, at(100)), at(101));
      run(t -> t.updateThread(updated));
      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id()))).contains(updated);

      EmailThread restored = new EmailThread(t0.id(), t0.inboxId(), t0.subject(), t0.createdAt(),
          at(200), 8, Optional.empty());
      run(t -> t.updateThread(restored));
      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id()))).contains(restored);
    }

    @Test
    void insertMessage_joiningThread_countsOneMore_andMovesActivityOnlyForward() {
      EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));

      assertThat(tx((StoreTransaction t) -> t.insertMessage(msg(t0, "j1@example.com").build(),
          ThreadChange.join(at(20))))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id())))
          .contains(counted(t0, 2, at(20)));

      // An older activity (a clock behind another writer's) never moves the thread backwards.
      assertThat(tx((StoreTransaction t) -> t.insertMessage(msg(t0, "j2@example.com").build(),
          ThreadChange.join(at(5))))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id())))
          .contains(counted(t0, 3, at(20)));
    }

    @Test
    void insertMessage_joiningDeletedThread_restoresIt() {
      EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));
      run(t -> t.updateThread(deleted(t0, at(11))));

      assertThat(tx((StoreTransaction t) -> t.insertMessage(msg(t0, "back@example.com").build(),
          ThreadChange.join(at(12))))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id())))
          .contains(counted(t0, 2, at(12)));
    }

    @Test
    void insertMessage_joiningMissingThread_failsAndWritesNothing() {
      EmailThread never = thread(w.inbox().id(), "never stored", at(1));
      EmailMessage m = msg(never, "orphan@example.com").build();

      assertThatThrownBy(() -> run(t -> t.insertMessage(m, ThreadChange.join(at(2)))))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(never.id().toString());
      assertThat(tx((StoreTransaction t) -> t.findMessage(m.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findThread(never.id()))).isEmpty();
    }

    @Test
    void insertMessage_startingThread_insertsBoth() {
      EmailThread fresh = thread(w.inbox().id(), "Fresh", at(3));
      EmailMessage m = msg(fresh, "first@example.com").references("ghost@example.com").build();

      assertThat(tx((StoreTransaction t) -> t.insertMessage(m, ThreadChange.start(fresh))))
          .isTrue();
      assertThat(tx((StoreTransaction t) -> t.findThread(fresh.id()))).contains(fresh);
      assertThat(tx((StoreTransaction t) -> t.findMessage(m.id()))).contains(m);
    }

    @Test
    void insertMessage_duplicate_leavesThreadUntouched_evenWhenStartingOrJoining() {
      EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));
      EmailMessage first = storeMessage(msg(t0, "dup@example.com"));
      EmailMessage again = msg(t0, "dup@example.com").build();
      EmailThread wouldStart = thread(w.inbox().id(), "Other", at(30));
      EmailMessage againElsewhere = msg(wouldStart, "dup@example.com").build();

      assertThat(tx((StoreTransaction t) -> t.insertMessage(again, ThreadChange.join(at(20)))))
          .isFalse();
      assertThat(tx((StoreTransaction t) ->
          t.insertMessage(againElsewhere, ThreadChange.start(wouldStart)))).isFalse();

      assertThat(tx((StoreTransaction t) -> t.findThread(t0.id()))).contains(t0);
      assertThat(tx((StoreTransaction t) -> t.findThread(wouldStart.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) ->
          t.findMessageByMessageId(w.inbox().id(), first.messageId()))).contains(first);
    }

    @Test
    void listThreads_newestActivityFirst_tiesByIdDescending_deletedAndOtherInboxesExcluded() {
      UUID inboxId = w.inbox().id();
      Inbox other = inbox(w.domain().id(), "sales", false, T0);
      run(t -> t.insertInbox(other));
      EmailThread oldest = storeThread(inboxId, "oldest", at(1));
      List<EmailThread> tied = new ArrayList<>();
      char[] firsts = {'0', '7', '8', 'f'};
      for (int i = 0; i < firsts.length; i++) {
        EmailThread t = withId(thread(inboxId, "tie " + i, at(5)), orderedId(firsts[i], i));
        tied.add(t);
        run(x -> x.insertThread(t));
      }
      EmailThread newest = storeThread(inboxId, "newest", at(9));
      EmailThread gone = storeThread(inboxId, "gone", at(7));
      run(t -> t.updateThread(deleted(gone, at(8))));
      storeThread(other.id(), "elsewhere", at(6));

      List<ThreadId> expected = new ArrayList<>();
      expected.add(newest.id());
      for (int i = tied.size() - 1; i >= 0; i--) {
        expected.add(tied.get(i).id());
      }
      expected.add(oldest.id());

      assertThat(tx((StoreTransaction t) -> t.listThreads(inboxId, Optional.empty(), 100)).stream()
          .map(EmailThread::id).toList()).containsExactlyElementsOf(expected);

      List<ThreadId> paged = new ArrayList<>();
      Optional<Keyset> after = Optional.empty();
      for (int page = 0; page < 10; page++) {
        Optional<Keyset> cursor = after;
        List<EmailThread> rows = tx(t -> t.listThreads(inboxId, cursor, 2));
        assertThat(rows.size()).isLessThanOrEqualTo(2);
        if (rows.isEmpty()) {
          break;
        }
        rows.forEach(r -> paged.add(r.id()));
        EmailThread last = rows.get(rows.size() - 1);
        after = Optional.of(new Keyset(last.updatedAt(), last.id().value()));
      }
      assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Test
    void listThreads_whenLimitSmallerThanRows_returnsAtMostLimit() {
      for (int i = 0; i < 5; i++) {
        storeThread(w.inbox().id(), "t" + i, at(i));
      }
      assertThat(tx(
          (StoreTransaction t) -> t.listThreads(w.inbox().id(), Optional.empty(), 3))).hasSize(3)
          .extracting(EmailThread::subject).containsExactly("t4", "t3", "t2");
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Messages: insert and dedupe, exact round trip, provider ids, listing. */
  @Nested
  class Messages {
    private World w;
    private EmailThread thread;

    @BeforeEach
    void world() {
      w = MailStoreContract.this.world();
      thread = storeThread(w.inbox().id(), "Hello", T0);
    }

    @Test
    void insertMessage_thenFind_roundTripsEveryFieldExactly() {
      Msg m = msg(thread, "full-1@example.com");
      m.direction = Direction.OUTBOUND;
      m.from = EmailAddress.of("Zoë Ñandú", "Zoe@Example.com");
      m.to = List.of(EmailAddress.of("Support Team", "support@acme.test"),
          EmailAddress.of("second@acme.test"), EmailAddress.of("a.b+tag@sub.example.org"));
      m.cc = List.of(EmailAddress.of("cc-only@example.net"),
          EmailAddress.of("\"Quoted, Name\"", "q@example.net"));
      m.bcc = List.of(EmailAddress.of("Hidden", "hidden@example.net"));
      m.subject = "Re: Grüße – 日本語 subject";
      m.sentAt = T0.minus(Duration.ofDays(400));
      m.createdAt = at(2);
      m.inReplyTo = Optional.of(new MessageId("parent@example.com"));
      m.references = List.of(new MessageId("z-root@example.com"),
          new MessageId("a-middle@example.com"), new MessageId("parent@example.com"),
          new MessageId("Case@Example.com"));
      m.bodyText = Optional.of("line 1\r\nline 2\n\ttabbed ✓");
      m.bodyHtml = Optional.of("<p>Hello <b>there</b></p>");
      m.attachments = List.of(
          new EmailAttachment(UUID.randomUUID(), "report 2026.pdf", "application/pdf", 123_456,
              "2026/03/02/abc/1.pdf", Optional.empty(), false),
          new EmailAttachment(UUID.randomUUID(), "logo.png", "image/png", 0,
              "2026/03/02/abc/2.png", Optional.of("logo@acme"), true),
          new EmailAttachment(UUID.randomUUID(), "big.bin", "application/octet-stream",
              5L << 30, "2026/03/02/abc/3", Optional.of("cid-3"), false));
      m.rawStorageKey = "2026/03/02/abcdef.eml";
      m.sesMessageId = Optional.of("0100018f-ses-id");
      EmailMessage stored = storeMessage(m);

      Msg bare = msg(thread, "bare-1@example.com");
      bare.bodyText = Optional.empty();
      bare.to = List.of();
      bare.from = EmailAddress.of("nobody@example.com");
      bare.subject = "";
      bare.sent(at(3));
      EmailMessage storedBare = storeMessage(bare);

      assertThat(tx((StoreTransaction t) -> t.findMessage(stored.id()))).contains(stored);
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), stored.messageId())))
          .contains(stored);
      assertThat(tx((StoreTransaction t) -> t.findMessage(storedBare.id()))).contains(storedBare);
      assertThat(tx((StoreTransaction t) -> t.listMessages(thread.id(), Optional.empty(), 10)))
          .containsExactly(stored, storedBare);
    }

    @Test
    void insertMessage_whenInboxHasMessageId_returnsFalseAndInsertsNothing() {
      EmailMessage first = storeMessage(msg(thread, "dup@example.com"));
      EmailMessage second = msg(thread, "dup@example.com").sent(at(1)).build();

      assertThat(tx((StoreTransaction t) -> t.insertMessage(second, ThreadChange.unchanged())))
          .isFalse();
      assertThat(tx((StoreTransaction t) -> t.findMessage(second.id()))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), first.messageId())))
          .contains(first);
      assertThat(tx((StoreTransaction t) -> t.listMessages(thread.id(), Optional.empty(), 10)))
          .containsExactly(first);
    }

    @Test
    void insertMessage_sameMessageIdInAnotherInbox_inserts() {
      Inbox sales = inbox(w.domain().id(), "sales", false, T0);
      run(t -> t.insertInbox(sales));
      EmailThread salesThread = storeThread(sales.id(), "Hello", T0);
      EmailMessage a = storeMessage(msg(thread, "shared@example.com"));
      EmailMessage b = storeMessage(msg(salesThread, "shared@example.com"));

      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), a.messageId())))
              .contains(a);
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(sales.id(), a.messageId()))).contains(b);
    }

    @Test
    void insertMessage_messageIdsDifferingOnlyInCase_areDistinct() {
      storeMessage(msg(thread, "ABC@example.com"));
      storeMessage(msg(thread, "abc@example.com"));

      assertThat(tx((StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(),
          new MessageId("Abc@example.com")))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.listMessages(thread.id(), Optional.empty(), 10))).hasSize(2);
    }

    @Test
    void find_whenUnknown_returnsEmpty() {
      assertThat(tx((StoreTransaction t) -> t.findMessage(UUID.randomUUID()))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), new MessageId("x@y"))))
              .isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findMessageBySesMessageId("nope"))).isEmpty();
    }

    @Test
    void updateSesMessageId_thenFindBySesMessageId_returnsMessageWithId() {
      EmailMessage m = storeMessage(msg(thread, "out-1@acme.test"));
      storeMessage(msg(thread, "out-2@acme.test"));

      run(t -> t.updateSesMessageId(m.id(), "ses-123"));

      EmailMessage expected = m.with(m.threadId(), Optional.of("ses-123"));
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageBySesMessageId("ses-123"))).contains(expected);
      assertThat(tx((StoreTransaction t) -> t.findMessage(m.id()))).contains(expected);
      assertThat(tx((StoreTransaction t) -> t.findMessageBySesMessageId("ses-124"))).isEmpty();
    }

    @Test
    void listMessages_oldestFirstBySentAtThenId_pagedByKeyset() {
      EmailThread other = storeThread(w.inbox().id(), "Other", T0);
      storeMessage(msg(other, "elsewhere@example.com").sent(at(2)));
      List<EmailMessage> expected = new ArrayList<>();
      // sent order differs from insert order and from created order
      expected.add(msg(thread, "m-early@example.com").sent(at(1)).created(at(50)).build());
      char[] firsts = {'0', '7', '8', 'f'};
      for (int i = 0; i < firsts.length; i++) {
        expected.add(msg(thread, "m-tie" + i + "@example.com").sent(at(2))
            .id(orderedId(firsts[i], i)).build());
      }
      expected.add(msg(thread, "m-late@example.com").sent(at(3)).created(at(0)).build());
      for (int i = expected.size() - 1; i >= 0; i--) {
        EmailMessage m = expected.get(i);
        assertThat(tx((StoreTransaction t) -> t.insertMessage(m, ThreadChange.unchanged())))
            .isTrue();
      }

      assertThat(tx((StoreTransaction t) -> t.listMessages(thread.id(), Optional.empty(), 100)))
          .containsExactlyElementsOf(expected);

      List<EmailMessage> paged = new ArrayList<>();
      Optional<Keyset> after = Optional.empty();
      for (int page = 0; page < 10; page++) {
        Optional<Keyset> cursor = after;
        List<EmailMessage> rows = tx(t -> t.listMessages(thread.id(), cursor, 2));
        assertThat(rows.size()).isLessThanOrEqualTo(2);
        if (rows.isEmpty()) {
          break;
        }
        paged.addAll(rows);
        EmailMessage last = rows.get(rows.size() - 1);
        after = Optional.of(new Keyset(last.sentAt(), last.id()));
      }
      assertThat(paged).containsExactlyElementsOf(expected);
    }
  }

  // ---- threading lookups --------------------------------------------------------------------

  /** The lookups threading relies on: by Message-ID, by child reference, by subject. */
  @Nested
  class ThreadingLookups {
    private World w;
    private Inbox sales;
    private EmailThread thread;

    @BeforeEach
    void world() {
      w = MailStoreContract.this.world();
      sales = inbox(w.domain().id(), "sales", false, T0);
      run(t -> t.insertInbox(sales));
      thread = storeThread(w.inbox().id(), "Hello", T0);
    }

    @Test
    void findThreadsOf_mapsKnownIdsOfThisInboxOnly_deletedThreadsIncluded() {
      EmailThread gone = storeThread(w.inbox().id(), "Gone", T0);
      EmailThread salesThread = storeThread(sales.id(), "Hello", T0);
      storeMessage(msg(thread, "a@example.com"));
      storeMessage(msg(gone, "b@example.com"));
      storeMessage(msg(salesThread, "c@example.com"));
      run(t -> t.updateThread(deleted(gone, at(1))));

      Map<MessageId, ThreadId> found = tx(t -> t.findThreadsOf(w.inbox().id(), List.of(
          new MessageId("a@example.com"), new MessageId("b@example.com"),
          new MessageId("c@example.com"), new MessageId("unknown@example.com"),
          new MessageId("A@example.com"))));

      assertThat(found).containsOnly(Map.entry(new MessageId("a@example.com"), thread.id()),
          Map.entry(new MessageId("b@example.com"), gone.id()));
      assertThat(tx((StoreTransaction t) -> t.findThreadsOf(w.inbox().id(), List.of()))).isEmpty();
    }

    @Test
    void findThreadsOf_findsAMessageByItsAliasInItsInboxOnly() {
      EmailMessage sent = storeMessage(msg(thread, "ours@acme.test"));
      MessageId alias = new MessageId("0102abc-000000@eu-west-1.amazonses.com");

      run(t -> t.insertMessageAlias(sent.id(), alias));

      assertThat(tx((StoreTransaction t) -> t.findMessageAlias(sent.id()))).contains(alias);
      assertThat(tx((StoreTransaction t) -> t.findThreadsOf(w.inbox().id(),
          List.of(alias, new MessageId("ours@acme.test"))))).containsOnly(
          Map.entry(alias, thread.id()), Map.entry(new MessageId("ours@acme.test"), thread.id()));
      assertThat(tx((StoreTransaction t) -> t.findThreadsOf(sales.id(), List.of(alias))))
          .isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findMessageAlias(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void findThreadReferencing_viaInReplyTo_findsChildsThread() {
      storeMessage(msg(thread, "child@example.com").inReplyTo("parent@example.com"));

      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("parent@example.com")))).contains(thread.id());
      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(sales.id(),
          new MessageId("parent@example.com")))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("Parent@example.com")))).isEmpty();
    }

    @Test
    void findThreadReferencing_viaReferences_findsChildsThread_evenIfDeleted() {
      storeMessage(msg(thread, "child@example.com").inReplyTo("other@example.com")
          .references("root@example.com", "parent@example.com", "other@example.com"));
      run(t -> t.updateThread(deleted(thread, at(1))));

      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("parent@example.com")))).contains(thread.id());
      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("root@example.com")))).contains(thread.id());
      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("unrelated@example.com")))).isEmpty();
    }

    @Test
    void findThreadReferencing_whenSeveralChildren_mostRecentlyStoredWins() {
      EmailThread first = storeThread(w.inbox().id(), "First", T0);
      EmailThread second = storeThread(w.inbox().id(), "Second", T0);
      storeMessage(msg(first, "c1@example.com").references("parent@example.com")
          .sent(at(100)).created(at(1)));
      storeMessage(msg(second, "c2@example.com").inReplyTo("parent@example.com")
          .sent(at(2)).created(at(2)));

      assertThat(tx((StoreTransaction t) -> t.findThreadReferencing(w.inbox().id(),
          new MessageId("parent@example.com")))).contains(second.id());
    }

    @Test
    void findThreadBySubject_matchesOnFromToOrCc_normalized() {
      storeMessage(msg(thread, "m@example.com").from("Ann.Lee@Example.COM")
          .to("support@acme.test", "Bob@Example.net").cc("carol@example.org"));
      Set<String> nobody = Set.of();

      for (String who : List.of("ann.lee@example.com", "bob@example.net", "carol@example.org")) {
        assertThat(tx(
            (StoreTransaction t) ->
                t.findThreadBySubject(w.inbox().id(), "Hello", List.of(who), T0)))
            .as("participant %s", who).contains(thread.id());
      }
      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello",
          List.of("dave@example.com", "bob@example.net"), T0))).contains(thread.id());
      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello",
          List.of("dave@example.com"), T0))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello", nobody, T0)))
              .isEmpty();
    }

    @Test
    void findThreadBySubject_ignoresBcc() {
      storeMessage(msg(thread, "m@example.com").bcc("secret@example.com"));

      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello",
          List.of("secret@example.com"), T0))).isEmpty();
    }

    @Test
    void findThreadBySubject_requiresExactSubject() {
      storeMessage(msg(thread, "m@example.com"));
      List<String> ann = List.of("ann@example.com");

      assertThat(tx(
          (StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello", ann, T0)))
          .contains(thread.id());
      for (String other : List.of("hello", "Hello ", "Hello!", "Hell", "")) {
        assertThat(tx(
            (StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), other, ann, T0)))
            .as("subject '%s'", other).isEmpty();
      }
    }

    @Test
    void findThreadBySubject_windowBoundaryIsInclusive() {
      EmailThread t1 = storeThread(w.inbox().id(), "Window", at(100));
      storeMessage(msg(t1, "w@example.com"));
      List<String> ann = List.of("ann@example.com");

      assertThat(tx(
          (StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Window", ann, at(100))))
          .contains(t1.id());
      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Window", ann,
          at(100).plus(1, ChronoUnit.MICROS)))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Window", ann, at(50))))
          .contains(t1.id());
    }

    @Test
    void findThreadBySubject_excludesDeletedThreadsAndOtherInboxes() {
      EmailThread salesThread = storeThread(sales.id(), "Hello", at(5));
      storeMessage(msg(salesThread, "s@example.com"));
      storeMessage(msg(thread, "m@example.com"));
      run(t -> t.updateThread(deleted(thread, at(1))));

      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Hello",
          List.of("ann@example.com"), T0))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(sales.id(), "Hello",
          List.of("ann@example.com"), T0))).contains(salesThread.id());
    }

    @Test
    void findThreadBySubject_whenSeveralMatch_mostRecentlyActiveWins() {
      EmailThread older = storeThread(w.inbox().id(), "Status", at(10));
      EmailThread newer = storeThread(w.inbox().id(), "Status", at(20));
      EmailThread oldest = storeThread(w.inbox().id(), "Status", at(5));
      // newer was created after older but the store must order by activity, not insertion
      storeMessage(msg(newer, "n@example.com"));
      storeMessage(msg(older, "o@example.com"));
      storeMessage(msg(oldest, "x@example.com"));

      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Status",
          List.of("ann@example.com"), T0))).contains(newer.id());

      run(t -> t.updateThread(counted(older, 2, at(30))));
      assertThat(tx((StoreTransaction t) -> t.findThreadBySubject(w.inbox().id(), "Status",
          List.of("ann@example.com"), T0))).contains(older.id());
    }
  }

  // ---- delivery events ----------------------------------------------------------------------

  /** Delivery events: stored per message, listed in the order they happened. */
  @Nested
  class DeliveryEvents {

    @Test
    void listDeliveryEvents_returnsEventsInTimeOrderThenId_perMessage() {
      World w = MailStoreContract.this.world();
      EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);
      EmailMessage m = storeMessage(msg(thread, "out@acme.test"));
      EmailMessage other = storeMessage(msg(thread, "out2@acme.test"));
      DeliveryEventRecord sent = new DeliveryEventRecord(UUID.randomUUID(), m.id(),
          Optional.of("ses-1"), "sent", Optional.empty(), "{}", at(1));
      DeliveryEventRecord bounced = new DeliveryEventRecord(orderedId('f', 1), m.id(),
          Optional.of("ses-1"), "bounced", Optional.of("550 5.1.1 user unknown"),
          "{\"recipients\":[{\"address\":\"x@example.com\",\"status\":\"bounced\"}],"
              + "\"bounceType\":\"Permanent\"}", at(3));
      DeliveryEventRecord delivered = new DeliveryEventRecord(orderedId('0', 2), m.id(),
          Optional.empty(), "delivered", Optional.empty(),
          "{\"recipients\":[{\"address\":\"y@example.com\"}]}", at(3));
      DeliveryEventRecord otherEvent = new DeliveryEventRecord(UUID.randomUUID(), other.id(),
          Optional.empty(), "pending", Optional.empty(), "{}", at(0));
      run(t -> {
        t.insertDeliveryEvent(bounced);
        t.insertDeliveryEvent(delivered);
        t.insertDeliveryEvent(sent);
        t.insertDeliveryEvent(otherEvent);
      });

      List<DeliveryEventRecord> events = tx(t -> t.listDeliveryEvents(m.id()));
      assertThat(events).extracting(DeliveryEventRecord::id)
          .containsExactly(sent.id(), delivered.id(), bounced.id());
      List<DeliveryEventRecord> expected = List.of(sent, delivered, bounced);
      for (int i = 0; i < expected.size(); i++) {
        DeliveryEventRecord e = expected.get(i);
        DeliveryEventRecord a = events.get(i);
        assertThat(a.messageId()).isEqualTo(e.messageId());
        assertThat(a.sesMessageId()).isEqualTo(e.sesMessageId());
        assertThat(a.status()).isEqualTo(e.status());
        assertThat(a.reason()).isEqualTo(e.reason());
        assertThat(a.createdAt()).isEqualTo(e.createdAt());
        // JSON is compared as JSON: a jsonb column may reformat it
        assertSameJson(a.detailsJson(), e.detailsJson());
      }
      assertThat(tx(
          (StoreTransaction t) -> t.listDeliveryEvents(other.id())))
              .extracting(DeliveryEventRecord::id)
          .containsExactly(otherEvent.id());
      assertThat(tx((StoreTransaction t) -> t.listDeliveryEvents(UUID.randomUUID()))).isEmpty();
    }
  }

  // ---- suppressions -------------------------------------------------------------------------

  /** The account-wide suppression list. */
  @Nested
  class Suppressions {

    private Suppression s(String address, SuppressionReason reason, String detail, Instant at) {
      return new Suppression(address, reason, Optional.ofNullable(detail), at);
    }

    @Test
    void upsertSuppression_insertsThenReplaces() {
      Suppression first = s("x@example.com", SuppressionReason.BOUNCE, "550 user unknown", T0);
      run(t -> t.upsertSuppression(first));
      assertThat(tx(
          (StoreTransaction t) -> t.findSuppressions(List.of("x@example.com"))))
              .containsExactly(first);

      Suppression second = s("x@example.com", SuppressionReason.COMPLAINT, null, at(9));
      run(t -> t.upsertSuppression(second));
      assertThat(tx(
          (StoreTransaction t) -> t.findSuppressions(List.of("x@example.com"))))
              .containsExactly(second);
      assertThat(tx(
          (StoreTransaction t) -> t.listSuppressions(Optional.empty(), 10)))
              .containsExactly(second);
    }

    @Test
    void deleteSuppression_returnsWhetherItWasSuppressed() {
      run(t -> t.upsertSuppression(s("x@example.com", SuppressionReason.MANUAL, null, T0)));

      assertThat(tx((StoreTransaction t) -> t.deleteSuppression("x@example.com"))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.deleteSuppression("x@example.com"))).isFalse();
      assertThat(tx((StoreTransaction t) -> t.deleteSuppression("never@example.com"))).isFalse();
      assertThat(tx(
          (StoreTransaction t) -> t.findSuppressions(List.of("x@example.com")))).isEmpty();
    }

    @Test
    void findSuppressions_returnsOnlySuppressedOnes() {
      Suppression a = s("a@example.com", SuppressionReason.BOUNCE, "hard", T0);
      Suppression c = s("c@example.com", SuppressionReason.COMPLAINT, null, at(1));
      run(t -> {
        t.upsertSuppression(a);
        t.upsertSuppression(c);
      });

      assertThat(tx(
          (StoreTransaction t) -> t.findSuppressions(List.of("a@example.com", "b@example.com",
          "c@example.com", "A@example.com")))).containsExactlyInAnyOrder(a, c);
      assertThat(tx((StoreTransaction t) -> t.findSuppressions(List.of()))).isEmpty();
    }

    @Test
    void listSuppressions_ordersByAddress_pagedByLastAddress() {
      List<String> addresses = List.of("zed@example.com", "amy@example.com", "bob@b.example",
          "bob@a.example", "carl@example.com");
      for (String a : addresses) {
        run(t -> t.upsertSuppression(s(a, SuppressionReason.MANUAL, null, T0)));
      }
      List<String> sorted = addresses.stream().sorted().toList();

      List<String> seen = new ArrayList<>();
      Optional<String> after = Optional.empty();
      for (int page = 0; page < 10; page++) {
        Optional<String> cursor = after;
        List<Suppression> rows = tx(t -> t.listSuppressions(cursor, 2));
        assertThat(rows.size()).isLessThanOrEqualTo(2);
        if (rows.isEmpty()) {
          break;
        }
        rows.forEach(r -> seen.add(r.address()));
        after = Optional.of(rows.get(rows.size() - 1).address());
      }
      assertThat(seen).containsExactlyElementsOf(sorted);
    }
  }

  // ---- idempotency keys ---------------------------------------------------------------------

  /** Send idempotency keys: conflict, expiry and replacement. */
  @Nested
  class IdempotencyKeys {
    private World w;
    private EmailMessage first;
    private EmailMessage second;

    @BeforeEach
    void world() {
      w = MailStoreContract.this.world();
      EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);
      first = storeMessage(msg(thread, "send-1@acme.test"));
      second = storeMessage(msg(thread, "send-2@acme.test"));
    }

    @Test
    void insertIdempotencyKey_whenUnexpiredKeyExists_returnsFalseAndKeepsFirst() {
      UUID inboxId = w.inbox().id();
      assertThat(tx(
          (StoreTransaction t) ->
              t.insertIdempotencyKey(inboxId, "key-1", first.id(), at(10), at(0))))
          .isTrue();
      assertThat(tx(
          (StoreTransaction t) ->
              t.insertIdempotencyKey(inboxId, "key-1", second.id(), at(20), at(10))))
          .as("a row created exactly at expiredBefore has not expired").isFalse();

      assertThat(tx(
          (StoreTransaction t) -> t.findIdempotencyKey(inboxId, "key-1", at(0))))
              .contains(first.id());
    }

    @Test
    void insertIdempotencyKey_whenExistingKeyExpired_replacesIt() {
      UUID inboxId = w.inbox().id();
      run(t -> t.insertIdempotencyKey(inboxId, "key-1", first.id(), at(10), at(0)));

      assertThat(tx(
          (StoreTransaction t) -> t.insertIdempotencyKey(inboxId, "key-1", second.id(), at(100),
          at(10).plus(1, ChronoUnit.MICROS)))).isTrue();
      assertThat(tx(
          (StoreTransaction t) -> t.findIdempotencyKey(inboxId, "key-1", at(50))))
              .contains(second.id());
    }

    @Test
    void findIdempotencyKey_respectsNotBefore() {
      UUID inboxId = w.inbox().id();
      run(t -> t.insertIdempotencyKey(inboxId, "key-1", first.id(), at(10), at(0)));

      assertThat(tx(
          (StoreTransaction t) -> t.findIdempotencyKey(inboxId, "key-1", at(10))))
              .contains(first.id());
      assertThat(tx((StoreTransaction t) -> t.findIdempotencyKey(inboxId, "key-1",
          at(10).plus(1, ChronoUnit.MICROS)))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findIdempotencyKey(inboxId, "key-2", at(0)))).isEmpty();
    }

    @Test
    void idempotencyKeys_areScopedPerInbox() {
      Inbox sales = inbox(w.domain().id(), "sales", false, T0);
      run(t -> t.insertInbox(sales));
      EmailThread salesThread = storeThread(sales.id(), "Hello", T0);
      EmailMessage salesMessage = storeMessage(msg(salesThread, "send-3@acme.test"));

      assertThat(tx(
          (StoreTransaction t) -> t.insertIdempotencyKey(w.inbox().id(), "key-1", first.id(), at(1),
          at(0)))).isTrue();
      assertThat(tx(
          (StoreTransaction t) ->
              t.insertIdempotencyKey(sales.id(), "key-1", salesMessage.id(), at(1),
          at(0)))).isTrue();
      assertThat(tx((StoreTransaction t) -> t.findIdempotencyKey(w.inbox().id(), "key-1", at(0))))
          .contains(first.id());
      assertThat(tx((StoreTransaction t) -> t.findIdempotencyKey(sales.id(), "key-1", at(0))))
          .contains(salesMessage.id());
    }
  }

  // ---- transactions -------------------------------------------------------------------------

  /** Rollback: an exception from the work leaves nothing written, and propagates unchanged. */
  @Nested
  class Rollback {
    private World w;
    private EmailThread thread;
    private EmailMessage message;

    @BeforeEach
    void world() {
      w = MailStoreContract.this.world();
      thread = storeThread(w.inbox().id(), "Hello", T0);
      message = storeMessage(msg(thread, "existing@example.com"));
      run(t -> t.upsertSuppression(new Suppression("kept@example.com", SuppressionReason.BOUNCE,
          Optional.empty(), T0)));
    }

    private void assertRolledBack(Consumer<StoreTransaction> write) {
      IllegalStateException boom = new IllegalStateException("boom");
      assertThatThrownBy(() -> store.inTransaction(t -> {
        write.accept(t);
        throw boom;
      })).isSameAs(boom);
    }

    @Test
    void rollback_insertDomain() {
      Domain d = domain("org_a", "new.test", T0);
      assertRolledBack(t -> assertThat(t.insertDomain(d)).isTrue());
      assertThat(tx((StoreTransaction t) -> t.findDomain(d.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findDomainByName("new.test"))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.insertDomain(d))).isTrue();
    }

    @Test
    void rollback_updateDomain() {
      assertRolledBack(t -> t.updateDomain(deleted(w.domain(), at(1))));
      assertThat(tx((StoreTransaction t) -> t.findDomain(w.domain().id()))).contains(w.domain());
    }

    @Test
    void rollback_insertAndUpdateInbox() {
      Inbox i = inbox(w.domain().id(), "sales", true, T0);
      assertRolledBack(t -> {
        assertThat(t.insertInbox(i)).isTrue();
        assertThat(t.updateInbox(changed(w.inbox(), "renamed", false))).isTrue();
      });
      assertThat(tx((StoreTransaction t) -> t.findInbox(i.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findRouteCandidates(w.domain().name(), List.of()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findInbox(w.inbox().id()))).contains(w.inbox());
      assertThat(tx(
          (StoreTransaction t) -> t.findInboxByLocalPart(w.domain().id(), "renamed"))).isEmpty();
    }

    @Test
    void rollback_insertAndUpdateThread() {
      EmailThread t2 = thread(w.inbox().id(), "New", at(1));
      assertRolledBack(t -> {
        t.insertThread(t2);
        t.updateThread(deleted(counted(thread, 9, at(9)), at(9)));
      });
      assertThat(tx((StoreTransaction t) -> t.findThread(t2.id()))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findThread(thread.id()))).contains(thread);
    }

    @Test
    void rollback_insertMessage_withThreadInSameTransaction() {
      EmailThread t2 = thread(w.inbox().id(), "New", at(1));
      Msg m = msg(t2, "new@example.com").inReplyTo("p@example.com");
      m.attachments = List.of(new EmailAttachment(UUID.randomUUID(), "a.txt", "text/plain", 1,
          "k/a.txt", Optional.empty(), false));
      EmailMessage built = m.build();
      assertRolledBack(t -> {
        t.insertThread(t2);
        assertThat(t.insertMessage(built, ThreadChange.unchanged())).isTrue();
      });
      assertThat(tx((StoreTransaction t) -> t.findMessage(built.id()))).isEmpty();
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), built.messageId())))
              .isEmpty();
      assertThat(tx(
          (StoreTransaction t) ->
              t.findThreadReferencing(w.inbox().id(), new MessageId("p@example.com"))))
          .isEmpty();
      // the Message-ID is free again: the failed insert left no unique-key residue
      run(t -> t.insertThread(t2));
      assertThat(tx((StoreTransaction t) -> t.insertMessage(built, ThreadChange.unchanged())))
          .isTrue();
      assertThat(tx((StoreTransaction t) -> t.findMessage(built.id()))).contains(built);
    }

    @Test
    void rollback_updateSesMessageId() {
      assertRolledBack(t -> t.updateSesMessageId(message.id(), "ses-rolled-back"));
      assertThat(tx(
          (StoreTransaction t) -> t.findMessageBySesMessageId("ses-rolled-back"))).isEmpty();
      assertThat(tx((StoreTransaction t) -> t.findMessage(message.id()))).contains(message);
    }

    @Test
    void rollback_insertDeliveryEvent() {
      assertRolledBack(t -> t.insertDeliveryEvent(new DeliveryEventRecord(UUID.randomUUID(),
          message.id(), Optional.empty(), "sent", Optional.empty(), "{}", T0)));
      assertThat(tx((StoreTransaction t) -> t.listDeliveryEvents(message.id()))).isEmpty();
    }

    @Test
    void rollback_suppressionWrites() {
      assertRolledBack(t -> {
        t.upsertSuppression(new Suppression("new@example.com", SuppressionReason.MANUAL,
            Optional.empty(), T0));
        assertThat(t.deleteSuppression("kept@example.com")).isTrue();
      });
      assertThat(tx((StoreTransaction t) -> t.listSuppressions(Optional.empty(), 10)))
          .extracting(Suppression::address).containsExactly("kept@example.com");
    }

    @Test
    void rollback_insertIdempotencyKey() {
      assertRolledBack(t -> assertThat(t.insertIdempotencyKey(w.inbox().id(), "k",
          message.id(), T0, T0)).isTrue());
      assertThat(tx(
          (StoreTransaction t) -> t.findIdempotencyKey(w.inbox().id(), "k", T0.minusSeconds(1))))
          .isEmpty();
    }

    @Test
    void transaction_seesItsOwnWrites_andCommitsThemTogether() {
      EmailThread t2 = thread(w.inbox().id(), "New", at(1));
      EmailMessage m = msg(t2, "together@example.com").build();
      List<Object> inside = tx(t -> {
        t.insertThread(t2);
        t.insertMessage(m, ThreadChange.unchanged());
        return List.of(t.findThread(t2.id()), t.findMessage(m.id()),
            t.listThreads(w.inbox().id(), Optional.empty(), 10).size());
      });
      assertThat(inside).containsExactly(Optional.of(t2), Optional.of(m), 2);
      assertThat(tx((StoreTransaction t) -> t.findMessage(m.id()))).contains(m);
    }
  }

  // ---- concurrency --------------------------------------------------------------------------

  /** Concurrency: the inbox lock serializes, unique keys hold under races. */
  @Nested
  class Concurrency {
    private static final int WORKERS = 2;
    private static final int ROUNDS = 100;

    private <T> List<T> race(int workers, Callable<T> work) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        CyclicBarrier start = new CyclicBarrier(workers);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          futures.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return work.call();
          }));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
          out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void lockInbox_serializesReadModifyWrite_noLostUpdates() throws Exception {
      World w = MailStoreContract.this.world();
      EmailThread counter = storeThread(w.inbox().id(), "counter", T0);
      run(t -> t.updateThread(counted(counter, 0, T0)));

      race(WORKERS, () -> {
        for (int i = 0; i < ROUNDS; i++) {
          run(t -> {
            t.lockInbox(w.inbox().id());
            EmailThread current = t.findThread(counter.id()).orElseThrow();
            t.updateThread(counted(current, current.messageCount() + 1, current.updatedAt()));
          });
        }
        return null;
      });

      assertThat(tx((StoreTransaction t) -> t.findThread(counter.id()))).hasValueSatisfying(
          t -> assertThat(t.messageCount()).isEqualTo(WORKERS * ROUNDS));
    }

    @Test
    void insertMessage_joiningConcurrentlyWithoutInboxLock_noLostUpdates() throws Exception {
      World w = MailStoreContract.this.world();
      EmailThread counter = storeThread(w.inbox().id(), "counter", T0);
      run(t -> t.updateThread(counted(counter, 0, T0)));
      AtomicInteger ids = new AtomicInteger();

      race(WORKERS, () -> {
        for (int i = 0; i < ROUNDS; i++) {
          EmailMessage m = msg(counter, "join-" + ids.incrementAndGet() + "@example.com").build();
          run(t -> t.insertMessage(m, ThreadChange.join(T0)));
        }
        return null;
      });

      assertThat(tx((StoreTransaction t) -> t.findThread(counter.id()))).hasValueSatisfying(
          t -> assertThat(t.messageCount()).isEqualTo(WORKERS * ROUNDS));
    }

    @Test
    void insertMessage_concurrentSameMessageId_exactlyOneWins() throws Exception {
      World w = MailStoreContract.this.world();
      EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);

      for (int round = 0; round < 10; round++) {
        String mid = "race-" + round + "@example.com";
        List<EmailMessage> candidates = List.of(msg(thread, mid).build(), msg(thread, mid).build());
        AtomicInteger next = new AtomicInteger();
        List<Boolean> results = race(2, () -> {
          EmailMessage m = candidates.get(next.getAndIncrement());
          return tx(t -> t.insertMessage(m, ThreadChange.unchanged()));
        });
        assertThat(results).containsExactlyInAnyOrder(true, false);
        assertThat(tx(
            (StoreTransaction t) -> t.findMessageByMessageId(w.inbox().id(), new MessageId(mid))))
            .hasValueSatisfying(m -> assertThat(candidates).contains(m));
      }
    }

    @Test
    void insertIdempotencyKey_concurrentSameKey_exactlyOneWins() throws Exception {
      World w = MailStoreContract.this.world();
      EmailThread thread = storeThread(w.inbox().id(), "Hello", T0);
      EmailMessage a = storeMessage(msg(thread, "a@acme.test"));
      EmailMessage b = storeMessage(msg(thread, "b@acme.test"));

      for (int round = 0; round < 10; round++) {
        String key = "key-" + round;
        List<UUID> candidates = List.of(a.id(), b.id());
        AtomicInteger next = new AtomicInteger();
        List<Boolean> results = race(2, () -> {
          UUID m = candidates.get(next.getAndIncrement());
          return tx(t -> t.insertIdempotencyKey(w.inbox().id(), key, m, T0, T0.minusSeconds(60)));
        });
        assertThat(results).containsExactlyInAnyOrder(true, false);
        assertThat(tx(
            (StoreTransaction t) -> t.findIdempotencyKey(w.inbox().id(), key, T0.minusSeconds(60))))
            .hasValueSatisfying(id -> assertThat(candidates).contains(id));
      }
    }
  }
}
