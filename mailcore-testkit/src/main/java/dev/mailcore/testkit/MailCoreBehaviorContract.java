package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.ConflictException;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.Mailboxes;
import dev.mailcore.MalformedMessageException;
import dev.mailcore.MessageId;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.MailStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end behaviour of a {@link MailCore} on a given store, through the public API only:
 * inbound routing, batches, dedupe, raw and attachment storage, the threading rules (numbered as
 * in ADR 0003 and {@code ThreadResolver}: {@code rule1_...} to {@code rule6_...}), thread state
 * and pagination, sending and replying with idempotency, suppression and delivery events
 * ({@link SendingScenarios}), real clients' conversations ({@link ClientThreadingScenarios}) and
 * the notmuch fixture corpora ({@link NotmuchThreadingScenarios}, skipped with a reason when the
 * shared fixtures are absent). Every store runs it unchanged:
 *
 * <pre>{@code
 * class PostgresBehaviorTest extends MailCoreBehaviorContract {
 *   @Override
 *   protected MailStore createStore() {
 *     return freshPostgresStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Each instance runs in a {@link MailCoreTestkit} built on the store (blobs in memory, a
 * {@link RecordingTransport}, default limits, the default 30-day threading window); the testkit
 * closes the store after the test.
 *
 * <p>Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class MailCoreBehaviorContract {

  /** Where the clock starts. */
  protected static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  /** The organization test domains belong to. */
  protected static final String ORG = "org_behavior";
  /** The default inbox address most tests receive into. */
  protected static final String SUPPORT = "support@acme.test";

  /** The testkit around the instance under test, fresh for each test. */
  protected MailCoreTestkit kit;
  /** The clock the instance under test uses; tests move it. */
  protected MutableClock clock;
  /** The instance under test, fresh for each test. */
  protected MailCore mail;

  /** Creates the contract; subclasses are created by JUnit. */
  protected MailCoreBehaviorContract() {}

  /**
   * Creates a fresh, empty store of the kind under test. Called once per test, and again by
   * scenarios that need a second instance; the testkit closes each store it is given.
   *
   * @return the store
   */
  protected abstract MailStore createStore();

  @BeforeEach
  void openMailCore() {
    kit = newKit(MailCoreTestkit.builder().startAt(START));
    clock = kit.clock();
    mail = kit.mail();
  }

  @AfterEach
  void closeMailCore() {
    if (kit != null) {
      kit.close();
    }
  }

  private MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
    return builder.store(createStore()).build();
  }

  // ---- the scenario suites, run on the same store ------------------------------------------

  /** Sending, replying, idempotency, suppression and delivery events. */
  @Nested
  class Sending extends SendingScenarios {
    @Override
    protected MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
      return MailCoreBehaviorContract.this.newKit(builder);
    }
  }

  /** Conversations as real mail clients write them. */
  @Nested
  class ClientThreading extends ClientThreadingScenarios {
    @Override
    protected MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
      return MailCoreBehaviorContract.this.newKit(builder);
    }
  }

  /** The notmuch corpora (skipped when the shared fixtures are absent). */
  @Nested
  class NotmuchThreading extends NotmuchThreadingScenarios {
    @Override
    protected MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
      return MailCoreBehaviorContract.this.newKit(builder);
    }
  }

  /** Threading whatever the arrival order (generated conversations, concurrent delivery). */
  @Nested
  class OrderIndependence extends OrderIndependenceScenarios {
    @Override
    protected MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
      return MailCoreBehaviorContract.this.newKit(builder);
    }
  }

  /** receiveAll batches thread exactly as one-by-one receives. */
  @Nested
  class BatchReceive extends BatchReceiveScenarios {
    @Override
    protected MailCoreTestkit newKit(MailCoreTestkit.Builder builder) {
      return MailCoreBehaviorContract.this.newKit(builder);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * Returns the inbox for an address, creating its domain and the inbox when missing.
   *
   * @param address for example {@code support@acme.test}
   * @return the inbox
   */
  protected Inbox inbox(String address) {
    EmailAddress a = EmailAddress.of(address);
    Domain d = domain(a.domain());
    return mail.mailboxes().byAddress(a.address()).orElseGet(() -> mail.mailboxes()
        .create(d.id(), InboxSpec.of(a.localPart(), a.localPart())));
  }

  /**
   * Creates a catch-all inbox on a domain (creating the domain when missing).
   *
   * @param domainName the domain
   * @param localPart the catch-all inbox's own local part
   * @return the inbox
   */
  protected Inbox catchAll(String domainName, String localPart) {
    return mail.mailboxes().create(domain(domainName).id(),
        InboxSpec.of(localPart, "Catch-all").withCatchAll(true));
  }

  private Domain domain(String name) {
    return mail.domains().byName(name).orElseGet(() -> mail.domains().create(ORG, name));
  }

  /**
   * A message dated now (by the test clock), otherwise {@link TestEmail}'s defaults.
   *
   * @return the builder
   */
  protected TestEmail email() {
    return TestEmail.builder().date(clock.instant());
  }

  /**
   * Receives a message.
   *
   * @param email the message
   * @param recipients envelope recipients; none means route on To/Cc
   * @return the result
   */
  protected ReceiveResult receive(TestEmail email, String... recipients) {
    return mail.mailboxes().receive(InboundMail.of(email.bytes(), recipients));
  }

  /**
   * Receives a message that must be stored, new, in exactly one inbox.
   *
   * @param email the message
   * @param recipients envelope recipients; none means route on To/Cc
   * @return the stored message
   */
  protected EmailMessage receiveOne(TestEmail email, String... recipients) {
    ReceiveResult r = receive(email, recipients);
    assertThat(r.deliveries()).as("deliveries of %s", r.messageId()).hasSize(1);
    assertThat(r.deliveries().get(0).duplicate()).as("duplicate").isFalse();
    return r.deliveries().get(0).message();
  }

  /**
   * Every active thread of an inbox, following cursors.
   *
   * @param inboxId the inbox
   * @return the threads, newest activity first
   */
  protected List<EmailThread> allThreads(UUID inboxId) {
    List<EmailThread> out = new ArrayList<>();
    PageRequest req = PageRequest.first(PageRequest.MAX_LIMIT);
    while (true) {
      Page<EmailThread> page = mail.threads().list(inboxId, req);
      out.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        return out;
      }
      req = PageRequest.after(page.nextCursor().get()).withLimit(PageRequest.MAX_LIMIT);
    }
  }

  /**
   * Every message of a thread, following cursors.
   *
   * @param threadId the thread
   * @return the messages, oldest first
   */
  protected List<EmailMessage> allMessages(ThreadId threadId) {
    List<EmailMessage> out = new ArrayList<>();
    PageRequest req = PageRequest.first(PageRequest.MAX_LIMIT);
    while (true) {
      Page<EmailMessage> page = mail.threads().messages(threadId, req);
      out.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        return out;
      }
      req = PageRequest.after(page.nextCursor().get()).withLimit(PageRequest.MAX_LIMIT);
    }
  }

  /**
   * The stored thread (deleted or not is not checked).
   *
   * @param id the thread
   * @return the active thread
   */
  protected EmailThread thread(ThreadId id) {
    return mail.threads().get(id).orElseThrow(() -> new AssertionError("no active thread " + id));
  }

  private static byte[] readAll(InputStream in) {
    try (InputStream s = in) {
      return s.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- conflicts ----------------------------------------------------------------------------

  /** A domain or inbox that already exists is a 409 naming it, on every store. */
  @Nested
  class Conflicts {

    @Test
    void createDomain_whenNameTaken_conflictNamesTheExistingDomain() {
      Domain first = mail.domains().create(ORG, "acme.test");

      assertThatThrownBy(() -> mail.domains().create("org_other", "Acme.Test"))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.resource()).isEqualTo("domain");
            assertThat(e.id()).isEqualTo(first.id().toString());
          });
    }

    @Test
    void createInbox_whenAddressOrCatchAllTaken_conflictNamesTheExistingInbox() {
      Inbox support = inbox(SUPPORT);
      Inbox all = mail.mailboxes().create(support.domainId(),
          InboxSpec.of("all", "All").withCatchAll(true));

      assertThatThrownBy(() -> mail.mailboxes().create(support.domainId(),
          InboxSpec.of("Support", "Again")))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.resource()).isEqualTo("inbox");
            assertThat(e.id()).isEqualTo(support.id().toString());
          });
      assertThatThrownBy(() -> mail.mailboxes().create(support.domainId(),
          InboxSpec.of("other", "Other").withCatchAll(true)))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.id()).isEqualTo(all.id().toString()));
    }
  }

  // ---- routing ------------------------------------------------------------------------------

  /** Which inboxes a message lands in. */
  @Nested
  class Routing {

    @Test
    void receive_whenEnvelopeRecipientMatchesInbox_storesThere() {
      Inbox support = inbox(SUPPORT);
      ReceiveResult r = receive(email().to(SUPPORT).messageId("<r1@example.com>"), SUPPORT);

      assertThat(r.deliveries()).singleElement().satisfies(d -> {
        assertThat(d.duplicate()).isFalse();
        assertThat(d.message().inboxId()).isEqualTo(support.id());
        assertThat(d.message().messageId()).isEqualTo(new MessageId("r1@example.com"));
      });
      assertThat(r.unknownRecipients()).isEmpty();
      assertThat(allThreads(support.id())).hasSize(1);
    }

    @Test
    void receive_whenPlusAddressed_routesToBaseInbox() {
      Inbox support = inbox(SUPPORT);
      EmailMessage m = receiveOne(email().to("support+billing@acme.test"),
          "support+billing@acme.test");

      assertThat(m.inboxId()).isEqualTo(support.id());
    }

    @Test
    void receive_whenNoInboxMatches_routesToCatchAll() {
      inbox(SUPPORT);
      Inbox all = catchAll("acme.test", "all");

      EmailMessage m = receiveOne(email().to("whoever@acme.test"), "whoever@acme.test");
      EmailMessage plus = receiveOne(email().to("nobody+tag@acme.test"), "nobody+tag@acme.test");

      assertThat(m.inboxId()).isEqualTo(all.id());
      assertThat(plus.inboxId()).isEqualTo(all.id());
    }

    @Test
    void receive_whenRecipientsMatchNothing_reportsThemNormalized() {
      inbox(SUPPORT);
      ReceiveResult r = receive(email().to("ghost@acme.test"), "Ghost@ACME.test",
          "someone@Unknown.Example");

      assertThat(r.deliveries()).isEmpty();
      assertThat(r.unknownRecipients())
          .containsExactlyInAnyOrder("ghost@acme.test", "someone@unknown.example");
    }

    @Test
    void receive_matchesDomainAndLocalPartCaseInsensitively() {
      Inbox support = inbox(SUPPORT);
      EmailMessage m = receiveOne(email().to("SUPPORT@Acme.TEST"), "SUPPORT@Acme.TEST");

      assertThat(m.inboxId()).isEqualTo(support.id());
    }

    @Test
    void receive_withEnvelopeRecipients_ignoresToAndCcForRouting() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      ReceiveResult r = receive(email().to("sales@acme.test").cc("support@acme.test"),
          SUPPORT);

      assertThat(r.messages()).extracting(EmailMessage::inboxId).containsExactly(support.id());
      assertThat(allThreads(sales.id())).isEmpty();
    }

    @Test
    void receive_withoutEnvelopeRecipients_routesOnToAndCc() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      ReceiveResult r = receive(email().to("Sales <sales@acme.test>, ann@example.com")
          .cc("\"Support\" <support@acme.test>"));

      assertThat(r.messages()).extracting(EmailMessage::inboxId)
          .containsExactlyInAnyOrder(support.id(), sales.id());
      assertThat(r.unknownRecipients()).containsExactly("ann@example.com");
    }

    @Test
    void receive_withoutEnvelopeRecipients_routesRawUtf8NamesGroupsAndCommentsToEveryInbox() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      Inbox team = inbox("team@acme.test");
      byte[] raw = ("From: ann@example.com\r\nTo: Jörg Müller <support@acme.test>, Équipe:"
          + " \"Ünal Çelik\" <team@acme.test>, sales@acme.test (Verkäufe);\r\n"
          + "Message-ID: <utf8-route@example.com>\r\nSubject: routed\r\n\r\nhi\r\n")
          .getBytes(StandardCharsets.UTF_8);

      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(raw));

      assertThat(r.messages()).extracting(EmailMessage::inboxId)
          .containsExactlyInAnyOrder(support.id(), sales.id(), team.id());
      assertThat(r.unknownRecipients()).isEmpty();
    }

    @Test
    void receive_withoutEnvelopeRecipients_reportsHeaderEntriesThatAreNoAddress() {
      Inbox support = inbox(SUPPORT);
      byte[] raw = ("From: ann@example.com\r\nTo: support@acme.test, helpdesk\r\n"
          + "Cc: \"Bob\" <bob@>\r\nSubject: partly bad\r\n\r\nhi\r\n")
          .getBytes(StandardCharsets.UTF_8);

      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(raw));

      assertThat(r.messages()).extracting(EmailMessage::inboxId).containsExactly(support.id());
      assertThat(r.unknownRecipients()).containsExactly("helpdesk", "\"Bob\" <bob@>");
    }

    @Test
    void receive_mboxSavedMessage_readsItsHeaderAndKeepsRawBytes() {
      Inbox support = inbox(SUPPORT);
      byte[] raw = ("From ann@example.com Mon Jan  1 00:00:00 2024\n"
          + "From: Ann <ann@example.com>\nTo: support@acme.test\nSubject: from an mbox\n"
          + "Message-ID: <mbox-1@example.com>\n\n>From here on\n")
          .getBytes(StandardCharsets.UTF_8);

      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(raw));

      EmailMessage m = r.messages().get(0);
      assertThat(m.inboxId()).isEqualTo(support.id());
      assertThat(m.messageId()).isEqualTo(new MessageId("mbox-1@example.com"));
      assertThat(m.subject()).isEqualTo("from an mbox");
      assertThat(m.from().address()).isEqualTo("ann@example.com");
      assertThat(m.bodyText()).contains(">From here on\n");
      assertThat(readAll(mail.messages().raw(m.id()))).isEqualTo(raw);
    }

    @Test
    void receive_whenHeaderEndsWithoutBlankLine_takesMessageIdFromTheHeaderOnly() {
      inbox(SUPPORT);
      byte[] raw = ("To: support@acme.test\r\nSubject: cut short\r\nthis is no field\r\n"
          + "Message-ID: <from-body@example.com>\r\n\r\nbody\r\n")
          .getBytes(StandardCharsets.UTF_8);

      EmailMessage m = mail.mailboxes().receive(InboundMail.of(raw)).messages().get(0);

      assertThat(m.messageId().value()).isNotEqualTo("from-body@example.com");
      assertThat(m.subject()).isEqualTo("cut short");
      assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t)
          .contains("this is no field\r\nMessage-ID: <from-body@example.com>"));
    }

    @Test
    void receive_toTwoInboxes_storesInBothWithSeparateThreads() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      ReceiveResult r = receive(email().to(SUPPORT + ", sales@acme.test")
          .messageId("<both@example.com>"), SUPPORT, "sales@acme.test");

      assertThat(r.deliveries()).hasSize(2).allSatisfy(d -> assertThat(d.duplicate()).isFalse());
      EmailMessage a = mail.messages().find(support.id(), new MessageId("both@example.com"))
          .orElseThrow();
      EmailMessage b = mail.messages().find(sales.id(), new MessageId("both@example.com"))
          .orElseThrow();
      assertThat(a.id()).isNotEqualTo(b.id());
      assertThat(a.threadId()).isNotEqualTo(b.threadId());
      assertThat(allThreads(support.id())).extracting(EmailThread::id)
          .containsExactly(a.threadId());
      assertThat(allThreads(sales.id())).extracting(EmailThread::id)
          .containsExactly(b.threadId());
    }

    @Test
    void receive_whenTwoRecipientsRouteToSameInbox_storesOnce() {
      Inbox support = inbox(SUPPORT);
      ReceiveResult r = receive(email().to(SUPPORT), SUPPORT, "support+x@acme.test");

      assertThat(r.deliveries()).hasSize(1);
      assertThat(allThreads(support.id())).singleElement()
          .satisfies(t -> assertThat(t.messageCount()).isEqualTo(1));
    }

    @Test
    void receive_whenInboxDeleted_reportsRecipientUnknown() {
      Inbox sales = inbox("sales@acme.test");
      mail.mailboxes().delete(sales.id());

      ReceiveResult r = receive(email().to("sales@acme.test"), "sales@acme.test");

      assertThat(r.deliveries()).isEmpty();
      assertThat(r.unknownRecipients()).containsExactly("sales@acme.test");
    }
  }

  // ---- dedupe and storage -------------------------------------------------------------------

  // ---- batches ------------------------------------------------------------------------------

  /** {@code receiveAll}: the same outcome as one {@code receive} per message, in list order. */
  @Nested
  class Batches {

    private List<ReceiveResult> receivedAll(List<InboundMail> mails) {
      List<ReceiveOutcome> outcomes = mail.mailboxes().receiveAll(mails);
      assertThat(outcomes).hasSize(mails.size());
      List<ReceiveResult> results = new ArrayList<>();
      for (ReceiveOutcome o : outcomes) {
        assertThat(o).isInstanceOf(ReceiveOutcome.Received.class);
        results.add(((ReceiveOutcome.Received) o).result());
      }
      return results;
    }

    private InboundMail inbound(TestEmail e, String... recipients) {
      return InboundMail.of(e.bytes(), recipients);
    }

    @Test
    void receiveAll_replyLaterInBatch_joinsParentThread_resultsInInputOrder() {
      Inbox support = inbox(SUPPORT);
      List<ReceiveResult> r = receivedAll(List.of(
          inbound(email().to(SUPPORT).subject("Order 42").messageId("<p@example.com>")),
          inbound(email().to(SUPPORT).subject("Unrelated").messageId("<u@example.com>")
              .from("other@example.org")),
          inbound(email().to(SUPPORT).subject("Re: Order 42").messageId("<r@example.com>")
              .inReplyTo("<p@example.com>"))));

      assertThat(r).extracting(x -> x.messageId().value())
          .containsExactly("p@example.com", "u@example.com", "r@example.com");
      EmailMessage parent = r.get(0).messages().get(0);
      EmailMessage unrelated = r.get(1).messages().get(0);
      EmailMessage reply = r.get(2).messages().get(0);
      assertThat(reply.threadId()).isEqualTo(parent.threadId());
      assertThat(unrelated.threadId()).isNotEqualTo(parent.threadId());
      assertThat(allThreads(support.id())).hasSize(2);
      assertThat(thread(parent.threadId()).messageCount()).isEqualTo(2);
    }

    @Test
    void receiveAll_duplicatesInBatchAndOnRedelivery_areStoredOnce() {
      Inbox support = inbox(SUPPORT);
      TestEmail a = email().to(SUPPORT).subject("A").messageId("<a@example.com>");
      TestEmail b = email().to(SUPPORT).subject("B").messageId("<b@example.com>")
          .from("b@example.org");

      List<ReceiveResult> first = receivedAll(List.of(inbound(a), inbound(b), inbound(a)));
      List<ReceiveResult> again = receivedAll(List.of(inbound(b), inbound(a)));

      assertThat(first).extracting(x -> x.deliveries().get(0).duplicate())
          .containsExactly(false, false, true);
      assertThat(first.get(2).messages().get(0).id())
          .isEqualTo(first.get(0).messages().get(0).id());
      assertThat(again).extracting(x -> x.deliveries().get(0).duplicate())
          .containsExactly(true, true);
      assertThat(allThreads(support.id())).extracting(EmailThread::messageCount)
          .containsExactly(1, 1);
    }

    @Test
    void receiveAll_withVerdicts_storesThemInEveryInbox_redeliveryStoresNothingTwice() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      ReceiptVerdicts verdicts = ReceiptVerdicts.builder().spam(ReceiptVerdicts.Verdict.GRAY)
          .virus(ReceiptVerdicts.Verdict.PASS).spf(ReceiptVerdicts.Verdict.PASS)
          .dkim(ReceiptVerdicts.Verdict.FAIL).dmarc(ReceiptVerdicts.Verdict.FAIL).build();
      TestEmail e = email().to(SUPPORT).subject("Checked").messageId("<v@example.com>");
      InboundMail checked = InboundMail.builder().raw(e.bytes()).recipient(SUPPORT)
          .recipient("sales@acme.test").verdicts(verdicts).build();
      TestEmail plain = email().to(SUPPORT).subject("Unchecked").messageId("<nv@example.com>");

      List<ReceiveResult> first = receivedAll(List.of(checked, inbound(plain, SUPPORT)));
      List<ReceiveResult> again = receivedAll(List.of(InboundMail.builder().raw(e.bytes())
          .recipient(SUPPORT).recipient("sales@acme.test").verdicts(verdicts).build()));

      assertThat(first.get(0).messages()).hasSize(2).allSatisfy(m -> assertThat(
          mail.messages().get(m.id()).orElseThrow().verdicts()).isEqualTo(verdicts));
      assertThat(mail.messages().get(first.get(1).messages().get(0).id()).orElseThrow()
          .verdicts()).isEqualTo(ReceiptVerdicts.NONE);
      assertThat(again.get(0).deliveries()).extracting(ReceiveResult.InboxDelivery::duplicate)
          .containsExactly(true, true);
      assertThat(allThreads(support.id())).extracting(EmailThread::messageCount)
          .containsExactlyInAnyOrder(1, 1);
      assertThat(allThreads(sales.id())).extracting(EmailThread::messageCount)
          .containsExactly(1);
    }

    @Test
    void receiveAll_routesEachMessageOnItsOwn_acrossInboxesAndUnknownRecipients() {
      Inbox support = inbox(SUPPORT);
      Inbox sales = inbox("sales@acme.test");
      List<ReceiveResult> r = receivedAll(List.of(
          inbound(email().to(SUPPORT).subject("To support")),
          inbound(email().to("sales@acme.test").subject("To sales"), "sales@acme.test",
              "nobody@acme.test"),
          inbound(email().to(SUPPORT).subject("To both"), SUPPORT, "sales@acme.test")));

      assertThat(r.get(0).messages()).extracting(EmailMessage::inboxId)
          .containsExactly(support.id());
      assertThat(r.get(1).messages()).extracting(EmailMessage::inboxId)
          .containsExactly(sales.id());
      assertThat(r.get(1).unknownRecipients()).containsExactly("nobody@acme.test");
      assertThat(r.get(0).unknownRecipients()).isEmpty();
      assertThat(r.get(2).messages()).extracting(EmailMessage::inboxId)
          .containsExactlyInAnyOrder(support.id(), sales.id());
    }

    @Test
    void receiveAll_malformedMessage_failsAlone_othersStored_rawKept() {
      Inbox support = inbox(SUPPORT);
      StringBuilder nested = new StringBuilder("From: a@example.org\r\nTo: " + SUPPORT
          + "\r\nMessage-ID: <deep@example.org>\r\nSubject: deep\r\n");
      for (int i = 0; i < 40; i++) {
        nested.append("Content-Type: multipart/mixed; boundary=\"b").append(i)
            .append("\"\r\n\r\n--b").append(i).append("\r\n");
      }
      nested.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
      byte[] deep = nested.toString().getBytes(StandardCharsets.US_ASCII);

      List<ReceiveOutcome> outcomes = mail.mailboxes().receiveAll(List.of(
          inbound(email().to(SUPPORT).subject("Before")),
          InboundMail.of(deep, SUPPORT),
          inbound(email().to(SUPPORT).subject("After").from("c@example.org"))));

      assertThat(outcomes.get(0)).isInstanceOf(ReceiveOutcome.Received.class);
      assertThat(outcomes.get(2)).isInstanceOf(ReceiveOutcome.Received.class);
      assertThat(outcomes.get(1)).isInstanceOfSatisfying(ReceiveOutcome.Failed.class, f -> {
        assertThat(f.error()).isInstanceOf(MalformedMessageException.class);
        assertThat(((MalformedMessageException) f.error()).rawStorageKey())
            .startsWith("2026/01/05/").endsWith(".eml");
      });
      assertThat(allThreads(support.id())).extracting(EmailThread::subject)
          .containsExactlyInAnyOrder("Before", "After");
    }

    @Test
    void receiveAll_rejectsEmptyOversizedAndNullBatches() {
      InboundMail one = inbound(email().to(SUPPORT));
      List<InboundMail> tooMany = Collections.nCopies(Mailboxes.MAX_RECEIVE_BATCH + 1,
          one);

      assertThatThrownBy(() -> mail.mailboxes().receiveAll(List.of()))
          .isInstanceOf(ValidationException.class).hasMessageContaining("1 to 100");
      assertThatThrownBy(() -> mail.mailboxes().receiveAll(tooMany))
          .isInstanceOf(ValidationException.class).hasMessageContaining("101");
      assertThatThrownBy(() -> mail.mailboxes().receiveAll(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("mails");
      assertThatThrownBy(() -> mail.mailboxes().receiveAll(Arrays.asList(one, null)))
          .isInstanceOf(NullPointerException.class);
    }
  }

  /** Redelivery, synthesized ids, raw bytes and attachments. */
  @Nested
  class DedupeAndStorage {

    @Test
    void receive_sameMessageTwice_storesOneAndReportsDuplicate() {
      Inbox support = inbox(SUPPORT);
      TestEmail e = email().to(SUPPORT).messageId("<twice@example.com>");
      EmailMessage first = receiveOne(e);
      clock.advance(Duration.ofMinutes(5));

      ReceiveResult again = receive(e);

      assertThat(again.deliveries()).singleElement().satisfies(d -> {
        assertThat(d.duplicate()).isTrue();
        assertThat(d.message().id()).isEqualTo(first.id());
      });
      assertThat(allThreads(support.id())).singleElement().satisfies(t -> {
        assertThat(t.messageCount()).isEqualTo(1);
        assertThat(t.updatedAt()).isEqualTo(START);
      });
    }

    @Test
    void receive_nulCharacters_areStoredInEveryStore() {
      // NUL is legal in a Java string but not in PostgreSQL text; hostile or broken mail has it.
      inbox(SUPPORT);
      byte[] raw = ("From: \"Ann\u0000B\" <ann@example.org>\r\nTo: " + SUPPORT + "\r\n"
          + "Subject: Hi\u0000there\r\nMessage-ID: <nul@example.org>\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n\r\nbefore\u0000after\r\n")
          .getBytes(StandardCharsets.UTF_8);

      EmailMessage m = mail.mailboxes().receive(InboundMail.of(raw)).messages().get(0);

      // control characters in a subject or a display name become spaces
      assertThat(m.subject()).isEqualTo("Hi there");
      assertThat(m.bodyText()).hasValueSatisfying(b -> assertThat(b).contains("before\uFFFDafter")
          .doesNotContain("\u0000"));
      assertThat(m.from().name()).contains("Ann B");
      assertThat(mail.messages().get(m.id())).contains(m);
    }

    @Test
    void receive_valuesOutsideWhatDatabasesHold_areStoredInEveryStore() {
      // A year no database column holds, and NUL in an attachment's type, name and Content-ID.
      inbox(SUPPORT);
      byte[] raw = ("From: a@example.org\r\nTo: " + SUPPORT + "\r\nSubject: odd values\r\n"
          + "Date: Mon, 1 Jan 300000 00:00:00 +0000\r\nMessage-ID: <odd@example.org>\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
          + "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
          + "--b\r\nContent-Type: text/pl\u0000ain; name=\"=?utf-8?Q?a=00b.txt?=\"\r\n"
          + "Content-Disposition: attachment; filename*=utf-8''c%00d.txt\r\n"
          + "Content-ID: <x\u0000y@example.org>\r\n\r\nattached\r\n--b--\r\n")
          .getBytes(StandardCharsets.UTF_8);

      EmailMessage m = mail.mailboxes().receive(InboundMail.of(raw)).messages().get(0);

      // an implausible Date is treated as missing: the receipt time stands in
      assertThat(m.sentAt()).isEqualTo(START);
      assertThat(m.attachments()).singleElement().satisfies(a -> {
        assertThat(a.filename()).doesNotContain("\u0000");
        assertThat(a.contentType()).doesNotContain("\u0000");
        assertThat(a.contentId()).hasValueSatisfying(c -> assertThat(c).doesNotContain("\u0000"));
      });
      assertThat(mail.messages().get(m.id())).contains(m);
    }

    @Test
    void receive_hugeIncompressibleSubject_isStoredAndThreaded() {
      // Indexes cap entries at about 2.7 KB; a subject within the header limit may be far longer.
      Inbox support = inbox(SUPPORT);
      SplittableRandom rnd = new SplittableRandom(3);
      StringBuilder subject = new StringBuilder();
      while (subject.length() < 20_000) {
        if (rnd.nextInt(7) == 0) {
          subject.append(' ');
        }
        subject.append((char) ('a' + rnd.nextInt(26)));
      }
      EmailMessage first = receiveOne(email().to(SUPPORT).subject(subject.toString())
          .messageId("<huge-1@example.org>"));
      EmailMessage reply = receiveOne(email().to(SUPPORT).subject("Re: " + subject)
          .messageId("<huge-2@example.org>"));

      assertThat(reply.threadId()).isEqualTo(first.threadId());
      // compared as a boolean: a 20,000-character diff would bury the report
      assertThat(first.subject().equals(subject.toString()))
          .as("subject kept whole (%d of %d characters)", first.subject().length(),
              subject.length()).isTrue();
      assertThat(allThreads(support.id())).singleElement()
          .satisfies(t -> assertThat(t.messageCount()).isEqualTo(2));
    }

    @Test
    void receive_whenMessageIdMissing_synthesizesStableId() {
      Inbox support = inbox(SUPPORT);
      byte[] raw = email().to(SUPPORT).noMessageId().subject("No id").bytes();

      ReceiveResult first = mail.mailboxes().receive(InboundMail.of(raw));
      clock.advance(Duration.ofHours(1));
      ReceiveResult again = mail.mailboxes().receive(InboundMail.of(raw));
      ReceiveResult other = receive(email().to(SUPPORT).noMessageId().subject("Other"));

      assertThat(first.messageId()).isEqualTo(again.messageId());
      assertThat(first.messageId()).isNotEqualTo(other.messageId());
      assertThat(again.deliveries()).singleElement()
          .satisfies(d -> assertThat(d.duplicate()).isTrue());
      assertThat(first.messages().get(0).messageId()).isEqualTo(first.messageId());
      assertThat(allThreads(support.id())).hasSize(2);
    }

    @Test
    void receive_storesRawBytesUnderDatedMessageIdHashKey_byteIdentical() {
      inbox(SUPPORT);
      clock.set(Instant.parse("2026-07-09T23:59:59Z"));
      byte[] raw = email().to(SUPPORT).messageId("<raw-1@example.com>")
          .text("Body with trailing spaces   \nand an 8-bit char: \u00e9\n").bytes();

      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(raw));

      String expectedKey = String.format(Locale.ROOT, "2026/07/09/%s.eml",
          sha256Hex("raw-1@example.com".getBytes(StandardCharsets.UTF_8)));
      assertThat(r.rawStorageKey()).isEqualTo(expectedKey);
      EmailMessage m = r.messages().get(0);
      assertThat(m.rawStorageKey()).isEqualTo(expectedKey);
      assertThat(readAll(mail.messages().raw(m.id()))).isEqualTo(raw);
    }

    @Test
    void receive_storesAttachmentsReadableByIdWithExactSizes() {
      inbox(SUPPORT);
      byte[] pdf = new byte[150_001];
      new SplittableRandom(1).nextBytes(pdf);
      byte[] notes = "plain notes\r\n".getBytes(StandardCharsets.UTF_8);

      EmailMessage m = receiveOne(email().to(SUPPORT).text("see attached")
          .attachment("report.pdf", "application/pdf", pdf)
          .attachment("notes.txt", "text/plain", notes));

      assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("see attached"));
      assertThat(m.attachments()).extracting(EmailAttachment::filename)
          .containsExactly("report.pdf", "notes.txt");
      EmailAttachment a = m.attachments().get(0);
      assertThat(a.contentType()).isEqualTo("application/pdf");
      assertThat(a.sizeBytes()).isEqualTo(pdf.length);
      assertThat(a.inline()).isFalse();
      assertThat(readAll(mail.messages().attachment(m.id(), a.id()))).isEqualTo(pdf);
      EmailAttachment n = m.attachments().get(1);
      assertThat(n.sizeBytes()).isEqualTo(notes.length);
      assertThat(readAll(mail.messages().attachment(m.id(), n.id()))).isEqualTo(notes);
      assertThat(mail.messages().get(m.id())).contains(m);
      assertThatThrownBy(() -> mail.messages().attachment(m.id(), UUID.randomUUID()))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void receive_recordsHeadersOnTheMessage() {
      inbox(SUPPORT);
      EmailMessage m = receiveOne(email().from("Ann Lee <Ann@Example.com>")
          .to(SUPPORT + ", bob@example.com").cc("carol@example.org")
          .subject("Re: Order 42").date("Tue, 6 Jan 2026 10:30:00 +0100")
          .messageId("<m1@example.com>").inReplyTo("<p1@example.com>")
          .references("<r0@example.com> <p1@example.com>"));

      assertThat(m.from()).isEqualTo(EmailAddress.of("Ann Lee", "Ann@example.com"));
      assertThat(m.to()).extracting(EmailAddress::address)
          .containsExactly(SUPPORT, "bob@example.com");
      assertThat(m.cc()).extracting(EmailAddress::address).containsExactly("carol@example.org");
      assertThat(m.subject()).isEqualTo("Re: Order 42");
      assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-01-06T09:30:00Z"));
      assertThat(m.inReplyTo()).contains(new MessageId("p1@example.com"));
      assertThat(m.references()).containsExactly(new MessageId("r0@example.com"),
          new MessageId("p1@example.com"));
      assertThat(m.createdAt()).isEqualTo(START);
    }
  }

  // ---- threading ----------------------------------------------------------------------------

  /** The threading rules, in order. */
  @Nested
  class Threading {
    private Inbox support;

    @BeforeEach
    void inbox() {
      support = MailCoreBehaviorContract.this.inbox(SUPPORT);
    }

    private EmailMessage receiveAt(Duration after, TestEmail e) {
      clock.advance(after);
      return receiveOne(e.date(clock.instant()).to(SUPPORT));
    }

    private EmailMessage root(String messageId, String subject) {
      return receiveAt(Duration.ofMinutes(1), email().messageId("<" + messageId + ">")
          .subject(subject));
    }

    @Test
    void rule1_inReplyToKnownMessage_joinsItsThread() {
      EmailMessage parent = root("p@example.com", "Order 42");
      EmailMessage reply = receiveAt(Duration.ofMinutes(1), email().from("bob@other.example")
          .subject("completely different").inReplyTo("<p@example.com>"));

      assertThat(reply.threadId()).isEqualTo(parent.threadId());
    }

    @Test
    void rule1_inReplyToBeatsReferences() {
      EmailMessage a = root("a@example.com", "Alpha");
      EmailMessage b = root("b@example.com", "Beta");
      assertThat(a.threadId()).isNotEqualTo(b.threadId());

      EmailMessage reply = receiveAt(Duration.ofMinutes(1), email().subject("Re: Alpha")
          .inReplyTo("<a@example.com>").references("<b@example.com>"));

      assertThat(reply.threadId()).isEqualTo(a.threadId());
    }

    @Test
    void rule2_referencesNamingTwoThreads_mergesThemIntoTheOldest() {
      EmailMessage a = root("a@example.com", "Alpha");
      EmailMessage b = root("b@example.com", "Beta");

      EmailMessage reply = receiveAt(Duration.ofMinutes(1), email().subject("Re: Alpha")
          .references("<a@example.com> <b@example.com> <never-seen@example.com>"));

      // the newest known entry decides (rule 2), the oldest thread survives the merge
      assertThat(reply.threadId()).isEqualTo(a.threadId());
      ThreadPlacement why = mail.threads().explain(reply.id()).orElseThrow();
      assertThat(why.rule()).isEqualTo(ThreadPlacement.Rule.REFERENCES);
      assertThat(why.matchedMessageId()).contains(new MessageId("b@example.com"));
      assertThat(why.mergedThreads()).containsExactly(b.threadId());
      EmailThread merged = mail.threads().get(b.threadId()).orElseThrow();
      assertThat(merged.id()).isEqualTo(a.threadId());
      assertThat(merged.messageCount()).isEqualTo(3);
      assertThat(merged.updatedAt()).isEqualTo(reply.createdAt());
      assertThat(allMessages(b.threadId())).extracting(EmailMessage::id)
          .containsExactlyInAnyOrder(a.id(), b.id(), reply.id());
      assertThat(mail.messages().get(b.id()).orElseThrow().threadId()).isEqualTo(a.threadId());
      assertThat(allThreads(support.id())).extracting(EmailThread::id)
          .containsExactly(a.threadId());
    }

    @Test
    void merge_lateParentLinksTwoThreads_countsActivityAndRedirectsFollowLaterMerges() {
      // two replies to a parent that has not arrived, naming different missing grandparents,
      // form two threads; the parent names both grandparents' chain and links them
      EmailMessage c1 = receiveAt(Duration.ofMinutes(1), email().messageId("<c1@example.com>")
          .subject("Re: Plan").inReplyTo("<p@example.com>").references("<p@example.com>"));
      EmailMessage other = root("x@example.com", "Unrelated");
      EmailMessage c2 = receiveAt(Duration.ofMinutes(1), email().messageId("<c2@example.com>")
          .subject("Re: Plan").inReplyTo("<q@example.com>").references("<q@example.com>"));
      assertThat(c2.threadId()).isNotEqualTo(c1.threadId());
      mail.threads().delete(c2.threadId());

      EmailMessage p = receiveAt(Duration.ofMinutes(5), email().messageId("<p@example.com>")
          .subject("Re: Plan").inReplyTo("<q@example.com>").references("<q@example.com>"));

      assertThat(p.threadId()).isEqualTo(c1.threadId());
      EmailThread t = mail.threads().get(c2.threadId()).orElseThrow();
      assertThat(t.id()).isEqualTo(c1.threadId());
      assertThat(t.messageCount()).isEqualTo(3);
      assertThat(t.createdAt()).isEqualTo(c1.createdAt());
      assertThat(t.updatedAt()).isEqualTo(p.createdAt());
      assertThat(t.deleted()).as("a message joining restores the deleted thread").isFalse();
      assertThat(mail.threads().explain(p.id()).orElseThrow().rule())
          .isEqualTo(ThreadPlacement.Rule.NAMED_BY_STORED);

      // the survivor is merged in turn: the first absorbed id follows
      EmailMessage link = receiveAt(Duration.ofMinutes(1), email().subject("Re: both")
          .references("<x@example.com> <c2@example.com>"));
      assertThat(link.threadId()).isEqualTo(c1.threadId());
      assertThat(mail.threads().get(other.threadId()).orElseThrow().id())
          .isEqualTo(c1.threadId());
      assertThat(mail.threads().get(c2.threadId()).orElseThrow().messageCount()).isEqualTo(5);
    }

    @Test
    void move_andSplit_keepCountsExact_laterRepliesFollowTheMovedMessage() {
      EmailMessage a = root("a@example.com", "Alpha");
      EmailMessage b = receiveAt(Duration.ofMinutes(1), email().messageId("<b@example.com>")
          .subject("Re: Alpha").inReplyTo("<a@example.com>").references("<a@example.com>"));
      EmailMessage z = root("z@example.com", "Zulu");

      EmailThread target = mail.threads().move(b.id(), z.threadId());

      assertThat(target.id()).isEqualTo(z.threadId());
      assertThat(target.messageCount()).isEqualTo(2);
      assertThat(target.updatedAt()).isEqualTo(z.createdAt());
      EmailThread source = mail.threads().get(a.threadId()).orElseThrow();
      assertThat(source.messageCount()).isEqualTo(1);
      assertThat(source.updatedAt()).isEqualTo(a.createdAt());
      assertThat(mail.threads().explain(b.id()).orElseThrow().rule())
          .isEqualTo(ThreadPlacement.Rule.MOVED);

      // a reply naming both a and the moved b follows b and merges nothing
      EmailMessage c = receiveAt(Duration.ofMinutes(1), email().subject("Re: Alpha")
          .inReplyTo("<b@example.com>").references("<a@example.com> <b@example.com>"));
      assertThat(c.threadId()).isEqualTo(z.threadId());
      assertThat(mail.threads().get(a.threadId()).orElseThrow().id()).isEqualTo(a.threadId());
      assertThat(mail.threads().get(z.threadId()).orElseThrow().messageCount()).isEqualTo(3);

      EmailThread alone = mail.threads().split(c.id());
      assertThat(alone.id()).isNotIn(a.threadId(), z.threadId());
      assertThat(alone.messageCount()).isEqualTo(1);
      assertThat(mail.threads().get(z.threadId()).orElseThrow().messageCount()).isEqualTo(2);
      assertThat(mail.threads().get(z.threadId()).orElseThrow().updatedAt())
          .isEqualTo(z.createdAt());
      assertThat(mail.messages().get(c.id()).orElseThrow().threadId()).isEqualTo(alone.id());

      // moving the last message out empties the thread; its id then leads to the target
      mail.threads().move(a.id(), alone.id());
      assertThat(mail.threads().get(a.threadId()).orElseThrow().id()).isEqualTo(alone.id());
      assertThat(mail.threads().get(alone.id()).orElseThrow().messageCount()).isEqualTo(2);
    }

    @Test
    void rule2_whenInReplyToUnknown_fallsBackToReferences() {
      EmailMessage a = root("a@example.com", "Alpha");
      EmailMessage reply = receiveAt(Duration.ofMinutes(1), email().subject("Something else")
          .from("zed@elsewhere.example").inReplyTo("<gone@example.com>")
          .references("<a@example.com> <gone@example.com>"));

      assertThat(reply.threadId()).isEqualTo(a.threadId());
    }

    @Test
    void rule3_childArrivedBeforeParent_parentJoinsChildsThread() {
      EmailMessage child = receiveAt(Duration.ofMinutes(1), email().messageId("<c@example.com>")
          .subject("Re: Launch").inReplyTo("<p@example.com>").references("<p@example.com>"));
      EmailMessage parent = receiveAt(Duration.ofMinutes(1), email().from("bob@other.example")
          .messageId("<p@example.com>").subject("Launch plan"));

      assertThat(parent.threadId()).isEqualTo(child.threadId());
      assertThat(allMessages(child.threadId())).hasSize(2);
    }

    @Test
    void rule4_siblingsOfAMissingParent_shareOneThread() {
      EmailMessage first = receiveAt(Duration.ofMinutes(1), email().messageId("<s1@example.com>")
          .subject("Re: Launch").inReplyTo("<never@example.com>")
          .references("<never@example.com>"));
      EmailMessage second = receiveAt(Duration.ofMinutes(1), email().from("bob@other.example")
          .messageId("<s2@example.com>").subject("Different words")
          .inReplyTo("<never@example.com>").references("<never@example.com>"));

      assertThat(second.threadId()).isEqualTo(first.threadId());
      assertThat(allMessages(first.threadId())).hasSize(2);
    }

    @Test
    void rule5_replyLikeSubjectAndSharedParticipant_joinsBySubject() {
      EmailMessage first = root("o1@example.com", "Order 42");
      EmailMessage reply = receiveAt(Duration.ofDays(3), email().subject("Re: Order 42"));

      assertThat(reply.threadId()).isEqualTo(first.threadId());
    }

    @Test
    void linksToUnknownMessagesOnly_startOwnThread_notBySubject_thenTheLinkedMessageJoins() {
      EmailMessage first = root("o1@example.com", "Order 42");
      EmailMessage next = receiveAt(Duration.ofHours(2), email().subject("Re: Order 42")
          .references("<lost@example.com>"));

      assertThat(next.threadId()).isNotEqualTo(first.threadId());
      assertThat(mail.threads().explain(next.id()).orElseThrow().rule())
          .isEqualTo(ThreadPlacement.Rule.NEW_THREAD);
      EmailMessage lost = receiveAt(Duration.ofHours(1), email().messageId("<lost@example.com>")
          .subject("Order 42"));
      assertThat(lost.threadId()).isEqualTo(next.threadId());
    }

    @Test
    void rule5_participantMatchesOnCcAndIgnoresCase() {
      EmailMessage first = receiveAt(Duration.ofMinutes(1), email().from("ann@example.com")
          .cc("Bob@Partner.Example").subject("Contract"));
      EmailMessage reply = receiveAt(Duration.ofMinutes(1), email()
          .from("BOB@partner.example").subject("RE: Contract"));

      assertThat(reply.threadId()).isEqualTo(first.threadId());
    }

    @Test
    void rule5_windowBoundary_isInclusive() {
      EmailMessage first = root("o1@example.com", "Order 42");
      EmailMessage atBoundary = receiveAt(Duration.ofDays(30), email().subject("Re: Order 42"));

      assertThat(atBoundary.threadId()).isEqualTo(first.threadId());
    }

    @Test
    void rule6_afterSubjectWindow_startsNewThread() {
      EmailMessage first = root("o1@example.com", "Order 42");
      EmailMessage late = receiveAt(Duration.ofDays(30).plusSeconds(1),
          email().subject("Re: Order 42"));

      assertThat(late.threadId()).isNotEqualTo(first.threadId());
      assertThat(thread(late.threadId()).subject()).isEqualTo("Order 42");
    }

    @Test
    void rule5_windowCountsFromLastActivity_notFirstMessage() {
      EmailMessage first = root("o1@example.com", "Order 42");
      receiveAt(Duration.ofDays(20), email().subject("Re: Order 42"));
      EmailMessage third = receiveAt(Duration.ofDays(20), email().subject("Re: Order 42"));

      assertThat(third.threadId()).isEqualTo(first.threadId());
      assertThat(thread(first.threadId()).messageCount()).isEqualTo(3);
    }

    @Test
    void rule6_sameSubjectNotificationWithoutReplyMarker_startsNewThread() {
      EmailMessage a = receiveAt(Duration.ofMinutes(1), email().from("billing@vendor.example")
          .subject("Your invoice"));
      EmailMessage b = receiveAt(Duration.ofDays(1), email().from("billing@vendor.example")
          .subject("Your invoice"));

      assertThat(b.threadId()).isNotEqualTo(a.threadId());
      assertThat(allThreads(support.id())).hasSize(2);
    }

    @Test
    void rule6_sameSubjectDifferentParticipants_startsNewThread() {
      EmailMessage a = receiveAt(Duration.ofMinutes(1), email().from("ann@example.com")
          .subject("Hello"));
      EmailMessage b = receiveAt(Duration.ofMinutes(1), email().from("bob@other.example")
          .subject("Re: Hello"));

      // support@acme.test is on both, but the inbox's own domain is not a shared participant
      assertThat(b.threadId()).isNotEqualTo(a.threadId());
    }

    @Test
    void rule6_deletedThreadIsNotJoinedBySubject_startsNewThread() {
      EmailMessage a = root("o1@example.com", "Order 42");
      mail.threads().delete(a.threadId());
      EmailMessage b = receiveAt(Duration.ofMinutes(1), email().subject("Re: Order 42"));

      assertThat(b.threadId()).isNotEqualTo(a.threadId());
      assertThat(mail.threads().get(a.threadId())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Re: Order 42", "RE: Order 42", "re:Order 42", "AW: Order 42",
        "Fwd: Order 42", "FW: Order 42", "SV: Order 42", "Re: Re: Order 42", "Re[2]: Order 42",
        "[acme-users] Re: Order 42", "Re: [acme-users] Order 42", "Re:   Order   42"})
    void rule5_replyAndListPrefixes_areStrippedForSubjectMatch(String subject) {
      EmailMessage first = root("o1@example.com", "[acme-users] Order 42");
      EmailMessage reply = receiveAt(Duration.ofHours(1), email().subject(subject));

      assertThat(thread(first.threadId()).subject()).isEqualTo("Order 42");
      assertThat(reply.threadId()).isEqualTo(first.threadId());
    }

    @Test
    void concurrentRepliesToOneMessage_allLandInOneThread() throws Exception {
      EmailMessage parent = root("big-news@example.com", "Big news");
      int replies = 50;
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<EmailMessage>> futures = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
          TestEmail e = email().from("user" + i + "@example.net").to(SUPPORT)
              .subject("Re: Big news").messageId("<reply-" + i + "@example.net>")
              .inReplyTo("<big-news@example.com>").references("<big-news@example.com>");
          futures.add(pool.submit(() -> {
            go.await();
            return receiveOne(e);
          }));
        }
        go.countDown();
        for (Future<EmailMessage> f : futures) {
          assertThat(f.get(120, TimeUnit.SECONDS).threadId()).isEqualTo(parent.threadId());
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(thread(parent.threadId()).messageCount()).isEqualTo(replies + 1);
      List<EmailMessage> all = allMessages(parent.threadId());
      assertThat(all).hasSize(replies + 1);
      assertThat(all.stream().map(EmailMessage::id).distinct()).hasSize(replies + 1);
      assertThat(allThreads(support.id())).hasSize(1);
    }
  }

  // ---- threads facade -----------------------------------------------------------------------

  /** Thread state, deletion and pagination through the public API. */
  @Nested
  class ThreadState {
    private Inbox support;

    @BeforeEach
    void inbox() {
      support = MailCoreBehaviorContract.this.inbox(SUPPORT);
    }

    @Test
    void thread_tracksMessageCountActivityAndFirstSubject() {
      Instant t1 = clock.instant();
      EmailMessage a = receiveOne(email().to(SUPPORT).subject("Fwd: [acme] Order 42")
          .messageId("<a@example.com>"));
      clock.advance(Duration.ofMinutes(10));
      receiveOne(email().to(SUPPORT).subject("Re: Fwd: [acme] Order 42")
          .inReplyTo("<a@example.com>").messageId("<b@example.com>"));
      clock.advance(Duration.ofMinutes(10));
      Instant t3 = clock.instant();
      receiveOne(email().to(SUPPORT).subject("Something").inReplyTo("<b@example.com>"));

      EmailThread t = thread(a.threadId());
      assertThat(t.messageCount()).isEqualTo(3);
      assertThat(t.createdAt()).isEqualTo(t1);
      assertThat(t.updatedAt()).isEqualTo(t3);
      assertThat(t.subject()).isEqualTo("Order 42");
      assertThat(t.inboxId()).isEqualTo(support.id());
    }

    @Test
    void list_ordersByLatestActivity_replyMovesThreadToTop() {
      EmailMessage a = receiveOne(email().to(SUPPORT).subject("A").messageId("<a@x.example>"));
      clock.advance(Duration.ofMinutes(1));
      EmailMessage b = receiveOne(email().to(SUPPORT).subject("B"));
      clock.advance(Duration.ofMinutes(1));
      assertThat(allThreads(support.id())).extracting(EmailThread::id)
          .containsExactly(b.threadId(), a.threadId());

      receiveOne(email().to(SUPPORT).subject("Re: A").inReplyTo("<a@x.example>"));

      assertThat(allThreads(support.id())).extracting(EmailThread::id)
          .containsExactly(a.threadId(), b.threadId());
    }

    @Test
    void delete_hidesThread_keepsMessagesReachable_replyRestoresIt() {
      EmailMessage m = receiveOne(email().to(SUPPORT).subject("Printer on fire")
          .messageId("<fire@example.com>"));
      ThreadId id = m.threadId();

      mail.threads().delete(id);

      assertThat(mail.threads().get(id)).isEmpty();
      assertThat(allThreads(support.id())).isEmpty();
      assertThat(mail.messages().get(m.id())).contains(m);
      assertThatThrownBy(() -> mail.threads().messages(id, PageRequest.first()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> mail.threads().delete(id)).isInstanceOf(NotFoundException.class);

      clock.advance(Duration.ofMinutes(5));
      EmailMessage reply = receiveOne(email().to(SUPPORT).subject("Re: Printer on fire")
          .inReplyTo("<fire@example.com>"));

      assertThat(reply.threadId()).isEqualTo(id);
      EmailThread restored = thread(id);
      assertThat(restored.deleted()).isFalse();
      assertThat(restored.messageCount()).isEqualTo(2);
      assertThat(restored.updatedAt()).isEqualTo(clock.instant());
      assertThat(allThreads(support.id())).extracting(EmailThread::id).containsExactly(id);
      assertThat(allMessages(id)).extracting(EmailMessage::id).containsExactly(m.id(), reply.id());
    }

    @Test
    void list_pagesThroughManyThreadsWithoutGapsOrDuplicates() {
      List<ThreadId> created = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        created.add(receiveOne(email().to(SUPPORT).from("sender" + i + "@example.com")
            .subject("Topic " + i)).threadId());
        if (i % 2 == 0) {
          clock.advance(Duration.ofSeconds(1));  // leave some ties on updatedAt
        }
      }

      List<ThreadId> seen = new ArrayList<>();
      PageRequest req = PageRequest.first(3);
      int pages = 0;
      while (true) {
        Page<EmailThread> page = mail.threads().list(support.id(), req);
        pages++;
        assertThat(page.items().size()).isLessThanOrEqualTo(3);
        page.items().forEach(t -> seen.add(t.id()));
        if (page.nextCursor().isEmpty()) {
          break;
        }
        req = PageRequest.after(page.nextCursor().get()).withLimit(3);
      }

      assertThat(pages).isEqualTo(3);
      assertThat(new HashSet<>(seen)).hasSize(7).containsExactlyInAnyOrderElementsOf(created);
      assertThat(seen).containsExactlyElementsOf(allThreads(support.id()).stream()
          .map(EmailThread::id).toList());
      List<EmailThread> full = allThreads(support.id());
      for (int i = 1; i < full.size(); i++) {
        assertThat(full.get(i - 1).updatedAt()).isAfterOrEqualTo(full.get(i).updatedAt());
      }
    }

    @Test
    void messages_pagesOldestFirstBySentDateWithoutGapsOrDuplicates() {
      EmailMessage root = receiveOne(email().to(SUPPORT).subject("Long thread")
          .messageId("<root@example.com>").date(START.minus(Duration.ofDays(1))));
      List<UUID> expected = new ArrayList<>();
      expected.add(root.id());
      // Date headers deliberately not in arrival order
      int[] hours = {5, 1, 3, 2, 6, 4};
      List<EmailMessage> replies = new ArrayList<>();
      for (int h : hours) {
        clock.advance(Duration.ofMinutes(1));
        replies.add(receiveOne(email().to(SUPPORT).subject("Re: Long thread")
            .inReplyTo("<root@example.com>").date(START.plus(Duration.ofHours(h)))));
      }
      replies.stream().sorted((x, y) -> x.sentAt().compareTo(y.sentAt()))
          .forEach(m -> expected.add(m.id()));

      List<UUID> seen = new ArrayList<>();
      PageRequest req = PageRequest.first(3);
      Set<String> cursors = new HashSet<>();
      while (true) {
        Page<EmailMessage> page = mail.threads().messages(root.threadId(), req);
        page.items().forEach(m -> seen.add(m.id()));
        if (page.nextCursor().isEmpty()) {
          break;
        }
        assertThat(cursors.add(page.nextCursor().get())).isTrue();
        req = PageRequest.after(page.nextCursor().get()).withLimit(3);
      }

      assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void invalidCursor_isValidationException() {
      EmailMessage m = receiveOne(email().to(SUPPORT).subject("One"));
      receiveOne(email().to(SUPPORT).subject("Two").from("x@other.example"));
      String threadsCursor = mail.threads().list(support.id(), PageRequest.first(1))
          .nextCursor().orElseThrow();

      assertThatThrownBy(() -> mail.threads().list(support.id(),
          PageRequest.after("not a cursor"))).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> mail.threads().list(support.id(),
          PageRequest.after("Zm9vOmJhcg"))).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> mail.threads().messages(m.threadId(),
          PageRequest.after(threadsCursor))).isInstanceOf(ValidationException.class);
      assertThat(mail.threads().list(support.id(), PageRequest.after(threadsCursor)).items())
          .hasSize(1);
    }

    @Test
    void get_whenUnknown_isEmpty_andMessagesOfUnknownThreadIsNotFound() {
      ThreadId unknown = new ThreadId(UUID.randomUUID());
      assertThat(mail.threads().get(unknown)).isEmpty();
      assertThatThrownBy(() -> mail.threads().messages(unknown, PageRequest.first()))
          .isInstanceOf(NotFoundException.class);
      assertThat(mail.messages().get(UUID.randomUUID())).isEmpty();
      assertThatThrownBy(() -> mail.messages().raw(UUID.randomUUID()))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void receive_keepsDatesOfMessagesButActivityFollowsReceipt() {
      Instant old = Instant.parse("2020-02-02T02:02:02Z");
      EmailMessage m = receiveOne(email().to(SUPPORT).date(old).subject("Old mail"));

      assertThat(m.sentAt()).isEqualTo(old);
      assertThat(thread(m.threadId()).updatedAt()).isEqualTo(START);
      assertThat(LocalDate.ofInstant(START, ZoneOffset.UTC).toString())
          .isEqualTo(m.rawStorageKey().substring(0, 10).replace('/', '-'));
      assertThat(Optional.of(m)).isEqualTo(mail.messages().get(m.id()));
    }
  }
}
