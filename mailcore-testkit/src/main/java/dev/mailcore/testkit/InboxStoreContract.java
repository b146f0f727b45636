package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Domain;
import dev.mailcore.Inbox;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.InboxStore} must have, including the routing
 * lookup.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class InboxStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected InboxStoreContract() {}

  private Domain domain;
  private Domain otherDomain;

  @BeforeEach
  void domains() {
    domain = domain("org_a", "acme.test", T0);
    otherDomain = domain("org_a", "other.test", T0);
    run(t -> {
      t.domains().insert(domain);
      t.domains().insert(otherDomain);
    });
  }

  @Test
  void insertInbox_thenFind_roundTrips() {
    Inbox i = inbox(domain.id(), "support", false, T0);
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(i))).isTrue();

    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), i.id()))).contains(i);
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "support"))).contains(i);
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), otherDomain.id(), "support"))).isEmpty();
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "sales"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of()))).isEmpty();
  }

  @Test
  void insertInbox_whenLocalPartTakenOnDomain_returnsFalseAndInsertsNothing() {
    Inbox first = inbox(domain.id(), "support", false, T0);
    Inbox dup = inbox(domain.id(), "support", false, at(1));
    Inbox elsewhere = inbox(otherDomain.id(), "support", false, at(1));
    run(t -> t.inboxes().insert(first));

    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(dup))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), dup.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(elsewhere))).isTrue();
  }

  @Test
  void insertInbox_whenLocalPartSoftDeleted_inserts() {
    Inbox old = inbox(domain.id(), "support", false, T0);
    run(t -> t.inboxes().insert(old));
    run(t -> t.inboxes().update(deleted(old, at(1))));
    Inbox fresh = inbox(domain.id(), "support", false, at(2));

    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(fresh))).isTrue();
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "support"))).contains(fresh);
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), old.id()))).hasValueSatisfying(
        x -> assertThat(x.deletedAt()).contains(at(1)));
  }

  @Test
  void insertInbox_whenDomainHasActiveCatchAll_refusesSecondCatchAll() {
    Inbox all = inbox(domain.id(), "all", true, T0);
    Inbox second = inbox(domain.id(), "everything", true, at(1));
    Inbox regular = inbox(domain.id(), "everything", false, at(1));
    Inbox otherAll = inbox(otherDomain.id(), "all", true, at(1));
    run(t -> t.inboxes().insert(all));

    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(second))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), second.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(regular))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(otherAll))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of())))
        .containsExactly(all);
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(otherDomain.name(), List.of())))
        .containsExactly(otherAll);
  }

  @Test
  void insertInbox_whenCatchAllSoftDeleted_allowsNewCatchAll() {
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> t.inboxes().insert(all));
    run(t -> t.inboxes().update(deleted(all, at(1))));
    Inbox next = inbox(domain.id(), "rest", true, at(2));

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().insert(next))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of())))
        .containsExactly(next);
  }

  @Test
  void updateInbox_replacesValues_andKeepingOwnLocalPartIsNoConflict() {
    Inbox i = inbox(domain.id(), "support", true, T0);
    run(t -> t.inboxes().insert(i));
    Inbox renamedOnly = new Inbox(i.id(), i.domainId(), "New name", "support", true,
        i.createdAt(), at(5), Optional.empty());

    assertThat(tx((StoreTransaction t) -> t.inboxes().update(renamedOnly))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), i.id()))).contains(renamedOnly);

    Inbox moved = changed(renamedOnly, "help", false);
    assertThat(tx((StoreTransaction t) -> t.inboxes().update(moved))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), i.id()))).contains(moved);
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "help"))).contains(moved);
    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "support"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of()))).isEmpty();
  }

  @Test
  void updateInbox_whenLocalPartTaken_returnsFalseAndChangesNothing() {
    Inbox support = inbox(domain.id(), "support", false, T0);
    Inbox sales = inbox(domain.id(), "sales", false, T0);
    run(t -> {
      t.inboxes().insert(support);
      t.inboxes().insert(sales);
    });

    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().update(changed(sales, "support", false)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), sales.id()))).contains(sales);
  }

  @Test
  void updateInbox_whenBecomingSecondCatchAll_returnsFalseAndChangesNothing() {
    Inbox all = inbox(domain.id(), "all", true, T0);
    Inbox sales = inbox(domain.id(), "sales", false, T0);
    run(t -> {
      t.inboxes().insert(all);
      t.inboxes().insert(sales);
    });

    assertThat(tx(
        (StoreTransaction t) -> t.inboxes().update(changed(sales, "sales", true)))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), sales.id()))).contains(sales);
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of())))
        .containsExactly(all);
  }

  @Test
  void lookups_excludeSoftDeletedInboxes_butFindInboxIncludesThem() {
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> t.inboxes().insert(all));
    run(t -> t.inboxes().update(deleted(all, at(1))));

    assertThat(tx((StoreTransaction t) -> t.inboxes().findByLocalPart(Scope.all(), domain.id(), "all"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates(domain.name(), List.of()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), all.id()))).contains(deleted(all, at(1)));
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
        .forEach(t.inboxes()::insert));

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test",
        List.of("support", "sales", "support", "nobody")))).containsExactlyInAnyOrder(
            support, sales, all);
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("other.test",
        List.of("support")))).containsExactlyInAnyOrder(elsewhere, elsewhereAll);
  }

  @Test
  void findRouteCandidates_whenCatchAllMatchesLocalPart_returnsItOnce() {
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> t.inboxes().insert(all));

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test",
        List.of("all")))).containsExactly(all);
  }

  @Test
  void findRouteCandidates_whenNoLocalParts_returnsOnlyCatchAll() {
    Inbox support = inbox(domain.id(), "support", false, T0);
    run(t -> t.inboxes().insert(support));

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test", List.of())))
        .isEmpty();
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> t.inboxes().insert(all));
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test", List.of())))
        .containsExactly(all);
  }

  @Test
  void findRouteCandidates_excludesSoftDeletedInboxes() {
    Inbox support = inbox(domain.id(), "support", false, T0);
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> {
      t.inboxes().insert(support);
      t.inboxes().insert(all);
    });
    run(t -> {
      t.inboxes().update(deleted(support, at(1)));
      t.inboxes().update(deleted(all, at(1)));
    });

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test",
        List.of("support", "all")))).isEmpty();
  }

  @Test
  void findRouteCandidates_whenDomainUnknownOrSoftDeleted_returnsEmpty() {
    Inbox support = inbox(domain.id(), "support", false, T0);
    Inbox all = inbox(domain.id(), "all", true, T0);
    run(t -> {
      t.inboxes().insert(support);
      t.inboxes().insert(all);
    });

    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("nowhere.test",
        List.of("support")))).isEmpty();
    run(t -> t.domains().update(deleted(domain, at(1))));
    assertThat(tx((StoreTransaction t) -> t.inboxes().findRouteCandidates("acme.test",
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
        t.inboxes().insert(expected.get(i));
      }
      t.inboxes().insert(gone);
      t.inboxes().insert(elsewhere);
    });
    run(t -> t.inboxes().update(deleted(gone, at(4))));

    List<UUID> seen = new ArrayList<>();
    Optional<Keyset> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      Optional<Keyset> cursor = after;
      List<Inbox> rows = tx(t -> t.inboxes().list(Scope.all(), domain.id(), cursor, 2));
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

  // ---- scope (ADR 0016) -----------------------------------------------------------------------

  @Test
  void find_findByLocalPart_list_inAScope_returnOnlyInboxesOfThatOrganizationsDomains() {
    World a = new World(domain, storeInbox(domain.id(), "support"));
    World b = otherOrganizationsWorld("beta.test");

    assertThat(tx((StoreTransaction t) -> t.inboxes().find(SCOPE_A, a.inbox().id())))
        .contains(a.inbox());
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(SCOPE_B, a.inbox().id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboxes().find(Scope.all(), b.inbox().id())))
        .contains(b.inbox());
    assertThat(tx((StoreTransaction t) ->
        t.inboxes().findByLocalPart(SCOPE_B, a.domain().id(), "support"))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.inboxes().findByLocalPart(SCOPE_B, b.domain().id(), "support"))).contains(b.inbox());
    assertThat(tx((StoreTransaction t) ->
        t.inboxes().list(SCOPE_B, a.domain().id(), Optional.empty(), 10))).isEmpty();
    assertThat(tx((StoreTransaction t) ->
        t.inboxes().list(SCOPE_A, a.domain().id(), Optional.empty(), 10))).containsExactly(a.inbox());
  }
}
