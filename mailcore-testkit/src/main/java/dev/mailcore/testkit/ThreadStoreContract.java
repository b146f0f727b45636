package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.StorageException;
import dev.mailcore.ThreadId;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.ThreadChange;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.ThreadStore} must have, and the thread row that
 * {@link dev.mailcore.spi.MessageStore#insert} writes.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class ThreadStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected ThreadStoreContract() {}

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
  void insertStartingThread_thenFind_roundTripsTheRowAsGiven_includingDeleted() {
    EmailThread live = new EmailThread(new ThreadId(UUID.randomUUID()), w.inbox().id(),
        "Invoice 42", T0, at(30), 3, Optional.empty());
    EmailThread gone = new EmailThread(new ThreadId(UUID.randomUUID()), w.inbox().id(),
        "", T0, T0, 0, Optional.of(at(1)));
    storeThread(live);
    storeThread(gone);

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), live.id()))).contains(live);
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), gone.id()))).contains(gone);
    assertThat(tx(
        (StoreTransaction t) -> t.threads().find(Scope.all(), new ThreadId(UUID.randomUUID())))).isEmpty();
  }

  @Test
  void updateThread_replacesCountActivityAndDeletion() {
    EmailThread t0 = storeThread(w.inbox().id(), "Hello", T0);
    EmailThread updated = deleted(counted(t0, 7, at(100)), at(101));
    run(t -> t.threads().update(updated));
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id()))).contains(updated);

    EmailThread restored = new EmailThread(t0.id(), t0.inboxId(), t0.subject(), t0.createdAt(),
        at(200), 8, Optional.empty());
    run(t -> t.threads().update(restored));
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id()))).contains(restored);
  }

  @Test
  void insertMessage_updatingThread_writesExactlyTheGivenValues() {
    EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));

    EmailThread joined = counted(t0, 2, at(20));
    assertThat(tx((StoreTransaction t) -> t.messages().insert(
        msg(t0, "j1@example.com").build(), Set.of(), ThreadChange.update(joined)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id()))).contains(joined);

    // The store decides nothing: an earlier activity and a deletion are written as given.
    EmailThread odd = deleted(counted(t0, 7, at(5)), at(6));
    assertThat(tx((StoreTransaction t) -> t.messages().insert(
        msg(t0, "j2@example.com").build(), Set.of(), ThreadChange.update(odd)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id()))).contains(odd);
  }

  @Test
  void insertMessage_updatingDeletedThread_clearsDeletionWhenTold() {
    EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));
    run(t -> t.threads().update(deleted(t0, at(11))));

    assertThat(tx((StoreTransaction t) -> t.messages().insert(
        msg(t0, "back@example.com").build(), Set.of(),
        ThreadChange.update(counted(t0, 2, at(12)))))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id())))
        .contains(counted(t0, 2, at(12)));
  }

  @Test
  void insertMessage_updatingMissingThread_failsAndWritesNothing() {
    EmailThread never = thread(w.inbox().id(), "never stored", at(1));
    EmailMessage m = msg(never, "orphan@example.com").build();

    assertThatThrownBy(() -> run(t -> t.messages().insert(m, Set.of(),
        ThreadChange.update(counted(never, 2, at(2))))))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(never.id().toString());
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), never.id()))).isEmpty();
  }

  @Test
  void insertMessage_startingThread_insertsBoth() {
    EmailThread fresh = thread(w.inbox().id(), "Fresh", at(3));
    EmailMessage m = msg(fresh, "first@example.com").references("ghost@example.com").build();

    assertThat(tx((StoreTransaction t) ->
        t.messages().insert(m, Set.of(), ThreadChange.start(fresh)))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), fresh.id()))).contains(fresh);
    assertThat(tx((StoreTransaction t) -> t.messages().find(Scope.all(), m.id()))).contains(m);
  }

  @Test
  void insertMessage_duplicate_leavesThreadUntouched_evenWhenStartingOrUpdating() {
    EmailThread t0 = storeThread(w.inbox().id(), "Hello", at(10));
    EmailMessage first = storeMessage(msg(t0, "dup@example.com"));
    EmailMessage again = msg(t0, "dup@example.com").build();
    EmailThread wouldStart = thread(w.inbox().id(), "Other", at(30));
    EmailMessage againElsewhere = msg(wouldStart, "dup@example.com").build();

    assertThat(tx((StoreTransaction t) -> t.messages().insert(again, Set.of(),
        ThreadChange.update(counted(t0, 5, at(20)))))).isFalse();
    assertThat(tx((StoreTransaction t) ->
        t.messages().insert(againElsewhere, Set.of(), ThreadChange.start(wouldStart))))
        .isFalse();

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), t0.id()))).contains(t0);
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), wouldStart.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.messages().findByMessageId(Scope.all(), w.inbox().id(), first.messageId()))).contains(first);
  }

  @Test
  void listThreads_newestActivityFirst_tiesByIdDescending_deletedAndOtherInboxesExcluded() {
    UUID inboxId = w.inbox().id();
    Inbox other = inbox(w.domain().id(), "sales", false, T0);
    run(t -> t.inboxes().insert(other));
    EmailThread oldest = storeThread(inboxId, "oldest", at(1));
    List<EmailThread> tied = new ArrayList<>();
    char[] firsts = {'0', '7', '8', 'f'};
    for (int i = 0; i < firsts.length; i++) {
      EmailThread t = withId(thread(inboxId, "tie " + i, at(5)), orderedId(firsts[i], i));
      tied.add(t);
      storeThread(t);
    }
    EmailThread newest = storeThread(inboxId, "newest", at(9));
    EmailThread gone = storeThread(inboxId, "gone", at(7));
    run(t -> t.threads().update(deleted(gone, at(8))));
    storeThread(other.id(), "elsewhere", at(6));

    List<ThreadId> expected = new ArrayList<>();
    expected.add(newest.id());
    for (int i = tied.size() - 1; i >= 0; i--) {
      expected.add(tied.get(i).id());
    }
    expected.add(oldest.id());

    assertThat(tx((StoreTransaction t) -> t.threads().list(Scope.all(), inboxId, Optional.empty(), 100)).stream()
        .map(EmailThread::id).toList()).containsExactlyElementsOf(expected);

    List<ThreadId> paged = new ArrayList<>();
    Optional<Keyset> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      Optional<Keyset> cursor = after;
      List<EmailThread> rows = tx(t -> t.threads().list(Scope.all(), inboxId, cursor, 2));
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
        (StoreTransaction t) -> t.threads().list(Scope.all(), w.inbox().id(), Optional.empty(), 3))).hasSize(3)
        .extracting(EmailThread::subject).containsExactly("t4", "t3", "t2");
  }

  // ---- the subject lookup of threading's rule 5 ----

  @Test
  void findThreadBySubject_matchesAnyStoredParticipantKey_exactly() {
    // The keys are whatever the engine stored; the store neither derives nor normalizes them.
    storeMessage(msg(thread, "m@example.com").from("Ann.Lee@Example.COM").cc("carol@example.org"),
        List.of("ann.lee@example.com", "bob@example.net"));
    Set<String> nobody = Set.of();

    for (String who : List.of("ann.lee@example.com", "bob@example.net")) {
      assertThat(tx((StoreTransaction t) ->
          t.threads().findBySubject(w.inbox().id(), "Hello", List.of(who), T0)))
          .as("participant %s", who).extracting(EmailThread::id).containsExactly(thread.id());
    }
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Hello",
        List.of("dave@example.com", "bob@example.net"), T0))).extracting(EmailThread::id)
        .containsExactly(thread.id());
    for (String who : List.of("dave@example.com", "carol@example.org", "Ann.Lee@Example.COM")) {
      assertThat(tx((StoreTransaction t) ->
          t.threads().findBySubject(w.inbox().id(), "Hello", List.of(who), T0)))
          .as("not a stored key: %s", who).isEmpty();
    }
    assertThat(tx(
        (StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Hello", nobody, T0)))
        .isEmpty();
  }

  @Test
  void findThreadBySubject_matchesKeysOfAnyMessageInTheThread() {
    storeMessage(msg(thread, "m1@example.com"), List.of("first@example.com"));
    storeMessage(msg(thread, "m2@example.com"), List.of("second@example.com"));
    storeMessage(msg(thread, "m3@example.com"), List.of());

    for (String who : List.of("first@example.com", "second@example.com")) {
      assertThat(tx((StoreTransaction t) ->
          t.threads().findBySubject(w.inbox().id(), "Hello", List.of(who), T0)))
          .as("participant %s", who).extracting(EmailThread::id).containsExactly(thread.id());
    }
  }

  @Test
  void findThreadBySubject_requiresExactSubject() {
    storeMessage(msg(thread, "m@example.com"));
    List<String> ann = List.of("ann@example.com");

    assertThat(tx(
        (StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Hello", ann, T0))).extracting(EmailThread::id).containsExactly(thread.id());
    for (String other : List.of("hello", "Hello ", "Hello!", "Hell", "")) {
      assertThat(tx(
          (StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), other, ann, T0)))
          .as("subject '%s'", other).isEmpty();
    }
  }

  @Test
  void findThreadBySubject_windowBoundaryIsInclusive() {
    EmailThread t1 = storeThread(w.inbox().id(), "Window", at(100));
    storeMessage(msg(t1, "w@example.com"));
    List<String> ann = List.of("ann@example.com");

    assertThat(tx(
        (StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Window", ann, at(100)))).extracting(EmailThread::id).containsExactly(t1.id());
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Window", ann,
        at(100).plus(1, ChronoUnit.MICROS)))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Window", ann, at(50)))).extracting(EmailThread::id).containsExactly(t1.id());
  }

  @Test
  void findThreadBySubject_excludesDeletedThreadsAndOtherInboxes() {
    EmailThread billingThread = storeThread(billing.id(), "Hello", at(5));
    storeMessage(msg(billingThread, "s@example.com"));
    storeMessage(msg(thread, "m@example.com"));
    run(t -> t.threads().update(deleted(thread, at(1))));

    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Hello",
        List.of("ann@example.com"), T0))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(billing.id(), "Hello",
        List.of("ann@example.com"), T0))).extracting(EmailThread::id).containsExactly(billingThread.id());
  }

  @Test
  void findThreadBySubject_whenSeveralMatch_returnsEachOnce_theEngineChooses() {
    EmailThread older = newThread(w.inbox().id(), "Status", at(10));
    EmailThread newer = newThread(w.inbox().id(), "Status", at(20));
    EmailThread oldest = newThread(w.inbox().id(), "Status", at(5));
    storeMessage(msg(newer, "n@example.com"));
    storeMessage(msg(older, "o@example.com"));
    storeMessage(msg(older, "o2@example.com"));
    storeMessage(msg(oldest, "x@example.com"));

    assertThat(tx((StoreTransaction t) -> t.threads().findBySubject(w.inbox().id(), "Status",
        List.of("ann@example.com"), T0)))
        .containsExactlyInAnyOrder(newer, older, oldest);
  }

  // ---- scope (ADR 0016) -----------------------------------------------------------------------

  @Test
  void find_list_inAScope_returnOnlyThreadsOfThatOrganizationsInboxes() {
    World a = w;
    World b = otherOrganizationsWorld("beta.test");
    EmailThread ta = storeThread(a.inbox().id(), "Invoice", at(10));
    EmailThread tb = storeThread(b.inbox().id(), "Invoice", at(10));

    assertThat(tx((StoreTransaction t) -> t.threads().find(SCOPE_A, ta.id()))).contains(ta);
    assertThat(tx((StoreTransaction t) -> t.threads().find(SCOPE_B, ta.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().find(SCOPE_B, tb.id()))).contains(tb);
    assertThat(tx((StoreTransaction t) ->
        t.threads().list(SCOPE_B, a.inbox().id(), Optional.empty(), 10))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.threads().list(SCOPE_B, a.inbox().id(),
        Optional.of(new Keyset(at(20), ta.id().value())), 10))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.threads().list(SCOPE_A, a.inbox().id(), Optional.empty(), 10))).containsExactly(ta);
    assertThat(tx((StoreTransaction t) ->
        t.threads().list(Scope.all(), b.inbox().id(), Optional.empty(), 10))).containsExactly(tb);
  }

  // ---- merging and links (ADR 0003) ----------------------------------------------------------

  @Test
  void merge_movedMessagesKeepEveryStoredField() {
    EmailThread a = storeThread(w.inbox().id(), "A", at(1));
    EmailThread b = storeThread(w.inbox().id(), "B", at(2));
    Msg scanned = msg(b, "scanned@x").sent(at(3));
    scanned.verdicts = ReceiptVerdicts.builder().spam(Verdict.PASS).virus(Verdict.FAIL).build();
    EmailMessage before = storeMessage(scanned);

    run(t -> t.threads().merge(counted(a, 3, at(3)), List.of(b.id()), at(4)));

    EmailMessage after = tx((StoreTransaction t) -> t.messages().find(Scope.all(), before.id()))
        .orElseThrow();
    assertThat(after.threadId()).isEqualTo(a.id());
    assertThat(after).usingRecursiveComparison().ignoringFields("threadId").isEqualTo(before);
  }

  @Test
  void merge_movesEveryMessage_dropsAbsorbedRows_redirectsOldIdsThroughLaterMerges() {
    EmailThread a = storeThread(w.inbox().id(), "A", at(1));
    EmailThread b = storeThread(w.inbox().id(), "B", at(2));
    EmailThread c = storeThread(w.inbox().id(), "C", at(3));
    storeMessage(msg(b, "b2@x").sent(at(4)));
    EmailThread ab = counted(a, 3, at(4));

    run(t -> t.threads().merge(ab, List.of(b.id()), at(5)));

    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), a.id()))).contains(ab);
    assertThat(tx((StoreTransaction t) -> t.threads().find(Scope.all(), b.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), a.id(), Optional.empty(), 10)))
        .hasSize(3).allSatisfy(m -> assertThat(m.threadId()).isEqualTo(a.id()));
    assertThat(tx((StoreTransaction t) -> t.threads().findSurvivor(b.id()))).contains(a.id());
    assertThat(tx((StoreTransaction t) -> t.threads().findSurvivor(a.id()))).isEmpty();

    // a survivor merged in turn: ids that led to it lead to the new survivor
    EmailThread all = counted(c, 4, at(6));
    run(t -> t.threads().merge(all, List.of(a.id()), at(6)));
    assertThat(tx((StoreTransaction t) -> t.threads().findSurvivor(b.id()))).contains(c.id());
    assertThat(tx((StoreTransaction t) -> t.threads().findSurvivor(a.id()))).contains(c.id());
    assertThat(tx((StoreTransaction t) -> t.messages().list(Scope.all(), c.id(), Optional.empty(), 10)))
        .hasSize(4);
  }

  @Test
  void findLinkedThreads_heldIds_andStoredMessagesNamingSelfOrAMissingId() {
    EmailThread parent = storeThread(w.inbox().id(), "P", at(1));
    EmailThread namer = storeThread(w.inbox().id(), "N", at(2));
    storeMessage(msg(namer, "n1@x").inReplyTo("new@x").sent(at(3)));
    EmailThread ghost = storeThread(w.inbox().id(), "G", at(4));
    storeMessage(msg(ghost, "g1@x").references("missing@x").sent(at(5)));
    String parentId = "starter-" + parent.id().value() + "@contract.invalid";

    List<dev.mailcore.spi.ThreadLink> links = tx((StoreTransaction t) ->
        t.messages().findLinkedThreads(w.inbox().id(), new dev.mailcore.MessageId("new@x"),
            List.of(new dev.mailcore.MessageId(parentId),
                new dev.mailcore.MessageId("missing@x"))));

    assertThat(links).extracting(l -> l.named().value() + " " + l.held() + " "
        + l.via().value() + " " + l.thread().id()).containsExactlyInAnyOrder(
            parentId + " true " + parentId + " " + parent.id(),
            "new@x false n1@x " + namer.id(),
            "missing@x false g1@x " + ghost.id());
    assertThat(links).noneMatch(dev.mailcore.spi.ThreadLink::manual);
    // another inbox sees none of them
    assertThat(tx((StoreTransaction t) -> t.messages().findLinkedThreads(billing.id(),
        new dev.mailcore.MessageId("new@x"), List.of(new dev.mailcore.MessageId("missing@x")))))
        .isEmpty();
  }
}
