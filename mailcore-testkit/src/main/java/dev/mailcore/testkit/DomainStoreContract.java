package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.StoreTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.DomainStore} must have.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class DomainStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected DomainStoreContract() {}


  @Test
  void insertDomain_thenFind_roundTripsEveryField() {
    Domain full = domain("org_a", "acme.test", T0);
    Domain bare = bareDomain("org_a", "bare.test", at(1));
    run(t -> {
      assertThat(t.domains().insert(full)).isTrue();
      assertThat(t.domains().insert(bare)).isTrue();
    });

    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), full.id()))).contains(full);
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), bare.id()))).contains(bare);
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "acme.test"))).contains(full);
  }

  @Test
  void insertDomain_whenActiveDomainHasName_returnsFalseAndInsertsNothing() {
    Domain first = domain("org_a", "acme.test", T0);
    Domain second = domain("org_b", "acme.test", at(1));
    run(t -> t.domains().insert(first));

    assertThat(tx((StoreTransaction t) -> t.domains().insert(second))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), second.id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "acme.test"))).contains(first);
  }

  @Test
  void insertDomain_whenSameNameSoftDeleted_insertsAndByNameFindsNewOne() {
    Domain old = domain("org_a", "acme.test", T0);
    run(t -> t.domains().insert(old));
    run(t -> t.domains().update(deleted(old, at(5))));
    Domain fresh = domain("org_a", "acme.test", at(10));

    assertThat(tx((StoreTransaction t) -> t.domains().insert(fresh))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "acme.test"))).contains(fresh);
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), old.id()))).contains(deleted(old, at(5)));
  }

  @Test
  void findDomain_whenSoftDeleted_returnsIt_butFindByNameDoesNot() {
    Domain d = domain("org_a", "acme.test", T0);
    run(t -> t.domains().insert(d));
    run(t -> t.domains().update(deleted(d, at(3))));

    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), d.id()))).hasValueSatisfying(x -> {
      assertThat(x.deleted()).isTrue();
      assertThat(x.deletedAt()).contains(at(3));
    });
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "acme.test"))).isEmpty();
  }

  @Test
  void find_whenUnknown_returnsEmpty() {
    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), UUID.randomUUID()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "nowhere.test"))).isEmpty();
  }

  @Test
  void updateDomain_replacesValues() {
    Domain d = bareDomain("org_a", "acme.test", T0);
    run(t -> t.domains().insert(d));
    Domain updated = new Domain(d.id(), d.organizationId(), d.name(),
        Optional.of("arn:x"), List.of("c", "a", "b"), Optional.of("Acme"),
        Optional.of(EmailAddress.of("reply@acme.test")), Optional.empty(),
        new DnsVerification(true, true, true, true), d.createdAt(), at(60), Optional.empty());

    run(t -> t.domains().update(updated));

    assertThat(tx((StoreTransaction t) -> t.domains().find(Scope.all(), d.id()))).contains(updated);
  }

  @Test
  void listDomains_returnsOrganizationsActiveDomainsOldestFirst() {
    Domain a = domain("org_a", "a.test", at(2));
    Domain b = domain("org_a", "b.test", at(1));
    Domain c = domain("org_a", "c.test", at(3));
    Domain gone = domain("org_a", "gone.test", at(4));
    Domain other = domain("org_b", "other.test", at(0));
    run(t -> List.of(a, b, c, gone, other).forEach(t.domains()::insert));
    run(t -> t.domains().update(deleted(gone, at(9))));

    assertThat(ids(tx(t -> t.domains().list("org_a", Optional.empty(), 10))))
        .containsExactly(b.id(), a.id(), c.id());
    assertThat(ids(tx(t -> t.domains().list("org_b", Optional.empty(), 10))))
        .containsExactly(other.id());
    assertThat(tx(
        (StoreTransaction t) -> t.domains().list("org_none", Optional.empty(), 10))).isEmpty();
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
        t.domains().insert(expected.get(i));
      }
    });

    List<UUID> seen = new ArrayList<>();
    Optional<Keyset> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      Optional<Keyset> cursor = after;
      List<Domain> rows = tx(t -> t.domains().list("org_a", cursor, 2));
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

  // ---- scope (ADR 0016) -----------------------------------------------------------------------

  @Test
  void find_findByName_inAScope_returnOnlyThatOrganizationsDomains() {
    World a = world();
    World b = otherOrganizationsWorld("beta.test");

    assertThat(tx((StoreTransaction t) -> t.domains().find(SCOPE_A, a.domain().id())))
        .contains(a.domain());
    assertThat(tx((StoreTransaction t) -> t.domains().find(SCOPE_B, a.domain().id()))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().find(SCOPE_B, b.domain().id())))
        .contains(b.domain());
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(SCOPE_B, "acme.test")))
        .isEmpty();
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(SCOPE_A, "acme.test")))
        .contains(a.domain());
    assertThat(tx((StoreTransaction t) -> t.domains().findByName(Scope.all(), "beta.test")))
        .contains(b.domain());
  }
}
