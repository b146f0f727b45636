package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.NewMessage;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import dev.mailcore.spi.ThreadLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.MessageStore} must have, including the lookups
 * threading relies on.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class MessageStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected MessageStoreContract() {}

  private World w;
  private Inbox billing;
  private EmailThread thread;

  @BeforeEach
  void arrange() {
    w = world();
    billing = storeInbox(w.domain().id(), "billing");
    thread = newThread(w.inbox().id(), "Hello", T0);
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
    m.replyTo = List.of(EmailAddress.of("Replies Desk", "replies@example.com"),
        EmailAddress.of("second-reply@example.org"));
    m.providerMessageId = Optional.of("0100018f-ses-id");
    EmailMessage stored = storeMessage(m);

    Msg bare = msg(thread, "bare-1@example.com");
    bare.bodyText = Optional.empty();
    bare.to = List.of();
    bare.from = EmailAddress.of("nobody@example.com");
    bare.subject = "";
    bare.sent(at(3));
    EmailMessage storedBare = storeMessage(bare);

    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), stored.id()))).contains(stored);
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), stored.messageId())))
        .contains(stored);
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), storedBare.id()))).contains(storedBare);
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 10)))
        .containsExactly(stored, storedBare);
  }

  @Test
  void insertMessage_withReceiptVerdicts_roundTripsEachVerdict() {
    Msg all = msg(thread, "verdicts-1@example.com");
    all.verdicts = new ReceiptVerdicts(Optional.of(Verdict.GRAY), Optional.of(Verdict.FAIL),
        Optional.of(Verdict.PASS), Optional.of(Verdict.PROCESSING_FAILED),
        Optional.of(Verdict.FAIL));
    Msg some = msg(thread, "verdicts-2@example.com").sent(at(1));
    some.verdicts = ReceiptVerdicts.builder().spf(Verdict.PASS).dkim(Verdict.FAIL).build();
    Msg none = msg(thread, "verdicts-3@example.com").sent(at(2));
    EmailMessage storedAll = storeMessage(all);
    EmailMessage storedSome = storeMessage(some);
    EmailMessage storedNone = storeMessage(none);

    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), storedAll.id())))
        .hasValueSatisfying(m -> assertThat(m.verdicts()).isEqualTo(all.verdicts));
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), storedSome.id())))
        .hasValueSatisfying(m -> assertThat(m.verdicts()).isEqualTo(some.verdicts)
            .extracting(ReceiptVerdicts::spam).isEqualTo(Optional.empty()));
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 10)))
        .extracting(EmailMessage::verdicts)
        .containsExactly(all.verdicts, some.verdicts, ReceiptVerdicts.NONE);
    assertThat(storedNone.verdicts().isEmpty()).isTrue();
  }

  @Test
  void insertMessage_duplicateWithOtherVerdicts_keepsTheFirstVerdicts() {
    Msg first = msg(thread, "verdict-dup@example.com");
    first.verdicts = ReceiptVerdicts.builder().spam(Verdict.PASS).build();
    EmailMessage stored = storeMessage(first);
    Msg again = msg(thread, "verdict-dup@example.com").sent(at(1));
    again.verdicts = ReceiptVerdicts.builder().spam(Verdict.FAIL).build();

    assertThat(insert(again.build())).isFalse();
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), stored.id())))
        .hasValueSatisfying(m -> assertThat(m.verdicts().spam()).contains(Verdict.PASS));
  }

  @Test
  void insertMessage_whenInboxHasMessageId_returnsFalseAndInsertsNothing() {
    EmailMessage first = storeMessage(msg(thread, "dup@example.com"));
    EmailMessage second = msg(thread, "dup@example.com").sent(at(1)).build();

    assertThat(insert(second))
        .isFalse();
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), second.id()))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), first.messageId())))
        .contains(first);
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 10)))
        .containsExactly(first);
  }

  @Test
  void insertMessage_sameMessageIdInAnotherInbox_inserts() {
    Inbox sales = inbox(w.domain().id(), "sales", false, T0);
    run(t -> t.inboxes().insert(sales));
    EmailThread salesThread = storeThread(sales.id(), "Hello", T0);
    EmailMessage a = storeMessage(msg(thread, "shared@example.com"));
    EmailMessage b = storeMessage(msg(salesThread, "shared@example.com"));

    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), a.messageId())))
            .contains(a);
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), sales.id(), a.messageId()))).contains(b);
  }

  @Test
  void insertMessage_messageIdsDifferingOnlyInCase_areDistinct() {
    storeMessage(msg(thread, "ABC@example.com"));
    storeMessage(msg(thread, "abc@example.com"));

    assertThat(tx((StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(),
        new MessageId("Abc@example.com")))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 10))).hasSize(2);
  }

  @Test
  void find_whenUnknown_returnsEmpty() {
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), UUID.randomUUID()))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByMessageId(Scope.all(), w.inbox().id(), new MessageId("x@y"))))
            .isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().findByProviderMessageId("nope"))).isEmpty();
  }

  @Test
  void updateSesMessageId_thenFindBySesMessageId_returnsMessageWithId() {
    EmailMessage m = storeMessage(msg(thread, "out-1@acme.test"));
    storeMessage(msg(thread, "out-2@acme.test"));

    run(t -> t.messages().setProviderMessageId(m.id(), "ses-123"));

    EmailMessage expected = m.withProviderMessageId(Optional.of("ses-123"));
    assertThat(tx(
        (StoreTransaction t) -> t.messages().findByProviderMessageId("ses-123"))).contains(expected);
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).contains(expected);
    assertThat(tx((StoreTransaction t) -> t.messages().findByProviderMessageId("ses-124"))).isEmpty();
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
      assertThat(insert(m)).isTrue();
    }

    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), thread.id(), Optional.empty(), 100)))
        .containsExactlyElementsOf(expected);

    List<EmailMessage> paged = new ArrayList<>();
    Optional<Keyset> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      Optional<Keyset> cursor = after;
      List<EmailMessage> rows = tx(t -> t.messages().list(Scope.all(), thread.id(), cursor, 2));
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

  @Test
  void findLinkedThreads_heldIds_ofThisInboxOnly_deletedThreadsIncluded() {
    EmailThread gone = storeThread(w.inbox().id(), "Gone", T0);
    EmailThread billingThread = storeThread(billing.id(), "Hello", T0);
    storeMessage(msg(thread, "a@example.com"));
    storeMessage(msg(gone, "b@example.com"));
    storeMessage(msg(billingThread, "c@example.com"));
    run(t -> t.threads().update(deleted(gone, at(1))));

    List<ThreadLink> found = linked(w.inbox().id(), "self@example.com", "a@example.com",
        "b@example.com", "c@example.com", "unknown@example.com", "A@example.com");

    // the threads' current rows, as the engine computes the joined values from them
    assertThat(found).containsExactlyInAnyOrder(
        new ThreadLink(new MessageId("a@example.com"), true, new MessageId("a@example.com"),
            false, thread),
        new ThreadLink(new MessageId("b@example.com"), true, new MessageId("b@example.com"),
            false, deleted(gone, at(1))));
    assertThat(linked(w.inbox().id(), "self@example.com")).isEmpty();
  }

  @Test
  void findLinkedThreads_findsAMessageByItsAliasInItsInboxOnly() {
    EmailMessage sent = storeMessage(msg(thread, "ours@acme.test"));
    MessageId alias = new MessageId("0102abc-000000@eu-west-1.amazonses.com");

    run(t -> t.messages().insertAlias(sent.id(), alias));

    assertThat(tx((StoreTransaction t) -> t.messages().findAlias(sent.id()))).contains(alias);
    assertThat(linked(w.inbox().id(), "reply@example.com", alias.value(), "ours@acme.test"))
        .containsExactlyInAnyOrder(
            new ThreadLink(alias, true, sent.messageId(), false, thread),
            new ThreadLink(sent.messageId(), true, sent.messageId(), false, thread));
    assertThat(linked(billing.id(), "reply@example.com", alias.value())).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().findAlias(UUID.randomUUID()))).isEmpty();
  }

  @Test
  void findLinkedThreads_storedMessageNamingSelfViaInReplyTo_findsChildsThread() {
    storeMessage(msg(thread, "child@example.com").inReplyTo("parent@example.com"));

    assertThat(linked(w.inbox().id(), "parent@example.com")).containsExactly(
        new ThreadLink(new MessageId("parent@example.com"), false,
            new MessageId("child@example.com"), false, thread));
    assertThat(linked(billing.id(), "parent@example.com")).isEmpty();
    assertThat(linked(w.inbox().id(), "Parent@example.com")).isEmpty();
  }

  @Test
  void findLinkedThreads_storedMessageNamingAnIdViaReferences_findsChildsThread_evenIfDeleted() {
    storeMessage(msg(thread, "child@example.com").inReplyTo("other@example.com")
        .references("root@example.com", "parent@example.com", "other@example.com"));
    run(t -> t.threads().update(deleted(thread, at(1))));
    EmailThread gone = deleted(thread, at(1));

    assertThat(linked(w.inbox().id(), "parent@example.com")).extracting(ThreadLink::thread)
        .containsExactly(gone);
    // a missing id of the new message's chain, not only its own, finds the child's thread
    assertThat(linked(w.inbox().id(), "unrelated@example.com", "root@example.com"))
        .containsExactly(new ThreadLink(new MessageId("root@example.com"), false,
            new MessageId("child@example.com"), false, gone));
    assertThat(linked(w.inbox().id(), "unrelated@example.com")).isEmpty();
  }

  @Test
  void findLinkedThreads_whenSeveralChildrenNameAnId_reportsEachOfTheirThreads() {
    EmailThread first = storeThread(w.inbox().id(), "First", T0);
    EmailThread second = storeThread(w.inbox().id(), "Second", T0);
    storeMessage(msg(first, "c1@example.com").references("parent@example.com")
        .sent(at(100)).created(at(1)));
    storeMessage(msg(second, "c2@example.com").inReplyTo("parent@example.com")
        .sent(at(2)).created(at(2)));
    storeMessage(msg(second, "c3@example.com").inReplyTo("parent@example.com")
        .sent(at(3)).created(at(3)));

    List<ThreadLink> found = linked(w.inbox().id(), "parent@example.com");

    assertThat(found).allMatch(l -> !l.held() && l.named().value().equals("parent@example.com"));
    assertThat(found).extracting(l -> l.thread().id()).containsOnly(first.id(), second.id())
        .contains(first.id(), second.id());
  }

  @Test
  void findLinkedThreads_whenTheInboxHoldsSelf_reportsItHeld_byMessageIdOnly() {
    EmailMessage stored = storeMessage(msg(thread, "again@example.com"));
    storeMessage(msg(thread, "child@example.com").inReplyTo("again@example.com"));
    EmailMessage sent = storeMessage(msg(thread, "ours@acme.test"));
    run(t -> t.messages().insertAlias(sent.id(), new MessageId("alias@amazonses.test")));

    // a redelivery: the lookup says the inbox holds it, and reports no message naming it
    assertThat(linked(w.inbox().id(), "again@example.com", "parent@example.com"))
        .containsExactly(new ThreadLink(stored.messageId(), true, stored.messageId(), false,
            thread));
    // not held: an alias, another inbox, another case
    assertThat(linked(w.inbox().id(), "alias@amazonses.test")).isEmpty();
    assertThat(linked(billing.id(), "again@example.com")).isEmpty();
    assertThat(linked(w.inbox().id(), "Again@example.com")).isEmpty();
  }

  /** {@code findLinkedThreads} of a new message {@code self} naming {@code chain}. */
  private List<ThreadLink> linked(UUID inboxId, String self, String... chain) {
    List<MessageId> ids = Arrays.stream(chain).map(MessageId::new).toList();
    return tx((StoreTransaction t) ->
        t.messages().findLinkedThreads(inboxId, new MessageId(self), ids));
  }

  // ---- batches (ADR 0008) ---------------------------------------------------------------------

  @Test
  void findHeld_reportsTheMessageIdsThisInboxHolds_notAliasesNorOtherInboxesNorOtherCase() {
    EmailMessage held = storeMessage(msg(thread, "held@example.com"));
    storeMessage(msg(storeThread(billing.id(), "Hello", T0), "billing@example.com"));
    run(t -> t.messages().insertAlias(held.id(), new MessageId("alias@amazonses.test")));

    Set<MessageId> found = tx((StoreTransaction t) -> t.messages().findHeld(w.inbox().id(),
        List.of(new MessageId("held@example.com"), new MessageId("billing@example.com"),
            new MessageId("alias@amazonses.test"), new MessageId("Held@example.com"),
            new MessageId("unknown@example.com"), new MessageId("held@example.com"))));

    assertThat(found).containsExactly(new MessageId("held@example.com"));
    assertThat(tx((StoreTransaction t) -> t.messages().findHeld(w.inbox().id(), List.of())))
        .isEmpty();
  }

  @Test
  void insertAll_startsAndJoinsThreads_writingEveryRowAsGiven() {
    EmailThread joined = storeThread(w.inbox().id(), "Joined", T0);
    storeMessage(msg(joined, "first@example.com"));
    EmailThread started = thread(w.inbox().id(), "Started", at(5));
    Msg reply = msg(joined, "reply@example.com").inReplyTo("first@example.com")
        .references("root@example.com", "first@example.com").sent(at(5)).cc("cc@example.net");
    reply.attachments = List.of(new EmailAttachment(UUID.randomUUID(), "a.pdf",
        "application/pdf", 42, "2026/03/02/x/a.pdf", Optional.of("cid-a"), true));
    reply.replyTo = List.of(EmailAddress.of("Desk", "desk@example.com"));
    reply.verdicts = ReceiptVerdicts.builder().spf(Verdict.PASS).build();
    Msg second = msg(joined, "second@example.com").inReplyTo("reply@example.com").sent(at(6));
    Msg opener = msg(started, "opener@example.com").from("zed@example.org").sent(at(5));
    opener.subject = "Started";
    opener.bodyText = Optional.empty();
    opener.bodyHtml = Optional.of("<p>hi</p>");
    Msg follow = msg(started, "follow@example.com").inReplyTo("opener@example.com")
        .bcc("hidden@example.net").sent(at(7));
    follow.to = List.of();
    EmailThread joinedAfter = counted(joined, joined.messageCount() + 2, at(6));
    EmailThread startedAfter = counted(started, 2, at(7));
    ThreadPlacement byReply = ThreadPlacement.of(ThreadPlacement.Rule.IN_REPLY_TO,
        Optional.of(new MessageId("first@example.com")), Optional.of(joined.id()));
    ThreadPlacement merging = new ThreadPlacement(ThreadPlacement.Rule.REFERENCES,
        Optional.of(new MessageId("reply@example.com")), Optional.of(joined.id()),
        List.of(new ThreadId(orderedId('a', 1)), new ThreadId(orderedId('a', 2))));
    ThreadPlacement fresh = ThreadPlacement.of(ThreadPlacement.Rule.NEW_THREAD,
        Optional.empty(), Optional.empty());
    List<EmailMessage> built = List.of(reply.build(), opener.build(), second.build(),
        follow.build());
    List<NewMessage> batch = List.of(
        new NewMessage(built.get(0), participantsOf(built.get(0)), Optional.of(byReply)),
        new NewMessage(built.get(1), Set.of("zed@example.org"), Optional.of(fresh)),
        new NewMessage(built.get(2), Set.of(), Optional.of(merging)),
        new NewMessage(built.get(3), Set.of("zed@example.org", "x@example.org"),
            Optional.empty()));

    run(t -> t.messages().insertAll(batch, List.of(ThreadChange.update(joinedAfter),
        ThreadChange.start(startedAfter))));

    for (EmailMessage m : built) {
      assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).contains(m);
    }
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), joined.id())))
        .contains(joinedAfter);
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), started.id())))
        .contains(startedAfter);
    assertThat(tx((StoreTransaction t) -> t.messages().findPlacement(built.get(0).id())))
        .contains(byReply);
    assertThat(tx((StoreTransaction t) -> t.messages().findPlacement(built.get(2).id())))
        .contains(merging);
    assertThat(tx((StoreTransaction t) -> t.messages().findPlacement(built.get(3).id())))
        .isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Started",
        List.of("x@example.org"), T0))).extracting(EmailThread::id).containsExactly(started.id());
    assertThat(linked(w.inbox().id(), "new@example.com", "reply@example.com"))
        .containsExactly(new ThreadLink(new MessageId("reply@example.com"), true,
            new MessageId("reply@example.com"), false, joinedAfter));
    assertThat(tx((StoreTransaction t) -> t.messages().findHeld(w.inbox().id(),
        built.stream().map(EmailMessage::messageId).toList()))).hasSize(4);
  }

  @Test
  void insertAll_laterCallsOfTheSameTransactionSeeItsRows() {
    EmailThread started = thread(w.inbox().id(), "Started", at(5));
    EmailMessage one = msg(started, "one@example.com").sent(at(5)).build();
    EmailMessage two = msg(started, "two@example.com").inReplyTo("one@example.com")
        .sent(at(6)).build();
    EmailThread after = new EmailThread(started.id(), started.inboxId(), started.subject(),
        started.createdAt(), at(6), 2, Optional.empty());

    List<Object> seen = tx((StoreTransaction t) -> {
      t.messages().insertAll(List.of(new NewMessage(one, Set.of(), Optional.empty())),
          List.of(ThreadChange.start(started)));
      Optional<EmailMessage> first = t.messages().findByMessageId(Scope.all(), w.inbox().id(),
          one.messageId());
      t.messages().insertAll(List.of(new NewMessage(two, Set.of(), Optional.empty())),
          List.of(ThreadChange.update(after)));
      t.lockInbox(billing.id());
      return List.of(first, t.messages().findLinkedThreads(w.inbox().id(),
          new MessageId("three@example.com"), List.of(two.messageId())));
    });

    assertThat(seen).containsExactly(Optional.of(one), List.of(new ThreadLink(two.messageId(),
        true, two.messageId(), false, after)));
  }

  @Test
  void insertAll_whenTheInboxHoldsAMessageId_throwsStorageException() {
    storeMessage(msg(thread, "taken@example.com"));
    EmailThread other = thread(w.inbox().id(), "Other", at(1));
    EmailMessage again = msg(other, "taken@example.com").sent(at(1)).build();

    assertThatThrownBy(() -> run(t -> t.messages().insertAll(
        List.of(new NewMessage(again, Set.of(), Optional.empty())),
        List.of(ThreadChange.start(other)))))
        .isInstanceOf(StorageException.class).hasMessageContaining("taken@example.com");
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), other.id()))).isEmpty();
  }

  @Test
  void insertAndInsertAll_whenTheJoinedThreadHasNoRow_throwStorageExceptionNamingBoth() {
    EmailThread missing = thread(w.inbox().id(), "Missing", at(1));
    EmailMessage m = msg(missing, "orphan@example.com").sent(at(1)).build();

    assertThatThrownBy(() -> run(t -> t.messages().insert(m, Set.of(),
        ThreadChange.update(missing))))
        .isInstanceOf(StorageException.class).hasMessageContaining("orphan@example.com")
        .hasMessageContaining(missing.id().toString());
    assertThatThrownBy(() -> run(t -> t.messages().insertAll(
        List.of(new NewMessage(m, Set.of(), Optional.empty())),
        List.of(ThreadChange.update(missing)))))
        .isInstanceOf(StorageException.class).hasMessageContaining("orphan@example.com")
        .hasMessageContaining(missing.id().toString());
    assertThat(tx((StoreTransaction t) -> t.messages().findByMessageId(Scope.all(),
        w.inbox().id(), m.messageId()))).isEmpty();
  }

  @Test
  void insertAll_whenAMessagesThreadHasNoRow_orAThreadAppearsTwice_throwsIllegalArgument() {
    EmailThread other = thread(w.inbox().id(), "Other", at(1));
    EmailMessage m = msg(other, "lonely@example.com").build();
    List<NewMessage> batch = List.of(new NewMessage(m, Set.of(), Optional.empty()));

    assertThatThrownBy(() -> run(t -> t.messages().insertAll(batch, List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(other.id().toString());
    assertThatThrownBy(() -> run(t -> t.messages().insertAll(batch,
        List.of(ThreadChange.start(other), ThreadChange.update(other)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).isEmpty();
  }

  // ---- scope (ADR 0016) -----------------------------------------------------------------------

  @Test
  void find_findByMessageId_list_inAScope_returnOnlyMessagesOfThatOrganizationsInboxes() {
    World a = w;
    World b = otherOrganizationsWorld("beta.test");
    EmailThread ta = newThread(a.inbox().id(), "Invoice", at(10));
    EmailThread tb = newThread(b.inbox().id(), "Invoice", at(10));
    EmailMessage ma = storeMessage(msg(ta, "same@contract.invalid"));
    EmailMessage mb = storeMessage(msg(tb, "same@contract.invalid"));
    MessageId same = ma.messageId();

    assertThat(tx((StoreTransaction t) -> t.messages().find(SCOPE_A, ma.id()))).contains(ma);
    assertThat(tx((StoreTransaction t) -> t.messages().find(SCOPE_B, ma.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().find(SCOPE_B, mb.id()))).contains(mb);
    assertThat(tx((StoreTransaction t) ->
        t.messages().findByMessageId(SCOPE_B, a.inbox().id(), same))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.messages().findByMessageId(SCOPE_B, b.inbox().id(), same))).contains(mb);
    assertThat(tx((StoreTransaction t) ->
        t.messages().list(SCOPE_B, ta.id(), Optional.empty(), 10))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().list(SCOPE_B, ta.id(),
        Optional.of(new Keyset(Instant.EPOCH, ma.id())), 10))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.messages().list(SCOPE_A, ta.id(), Optional.empty(), 10))).containsExactly(ma);
    assertThat(tx((StoreTransaction t) ->
        t.messages().list(Scope.all(), tb.id(), Optional.empty(), 10))).containsExactly(mb);
  }
}
