package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.spi.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.mailcore.spi.SuppressionStore} must have.
 *
 * <p>Subclass it once per store and implement {@link #createStore()}; see
 * {@link StoreContractSupport} for the test data conventions. Not thread-safe; JUnit runs each
 * test on a fresh instance.
 */
public abstract class SuppressionStoreContract extends StoreContractSupport {

  /** Creates the contract; subclasses are created by JUnit. */
  protected SuppressionStoreContract() {}


  private Suppression s(String address, SuppressionReason reason, String detail, Instant at) {
    return new Suppression(address, reason, Optional.ofNullable(detail), at);
  }

  @Test
  void upsertSuppression_insertsThenReplaces() {
    Suppression first = s("x@example.com", SuppressionReason.BOUNCE, "550 user unknown", T0);
    run(t -> t.suppressions().upsert(first));
    assertThat(tx(
        (StoreTransaction t) -> t.suppressions().find(List.of("x@example.com"))))
            .containsExactly(first);

    Suppression second = s("x@example.com", SuppressionReason.COMPLAINT, null, at(9));
    run(t -> t.suppressions().upsert(second));
    assertThat(tx(
        (StoreTransaction t) -> t.suppressions().find(List.of("x@example.com"))))
            .containsExactly(second);
    assertThat(tx(
        (StoreTransaction t) -> t.suppressions().list(Optional.empty(), 10)))
            .containsExactly(second);
  }

  @Test
  void deleteSuppression_returnsWhetherItWasSuppressed() {
    run(t -> t.suppressions().upsert(s("x@example.com", SuppressionReason.MANUAL, null, T0)));

    assertThat(tx((StoreTransaction t) -> t.suppressions().delete("x@example.com"))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.suppressions().delete("x@example.com"))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.suppressions().delete("never@example.com"))).isFalse();
    assertThat(tx(
        (StoreTransaction t) -> t.suppressions().find(List.of("x@example.com")))).isEmpty();
  }

  @Test
  void findSuppressions_returnsOnlySuppressedOnes() {
    Suppression a = s("a@example.com", SuppressionReason.BOUNCE, "hard", T0);
    Suppression c = s("c@example.com", SuppressionReason.COMPLAINT, null, at(1));
    run(t -> {
      t.suppressions().upsert(a);
      t.suppressions().upsert(c);
    });

    assertThat(tx(
        (StoreTransaction t) -> t.suppressions().find(List.of("a@example.com", "b@example.com",
        "c@example.com", "A@example.com")))).containsExactlyInAnyOrder(a, c);
    assertThat(tx((StoreTransaction t) -> t.suppressions().find(List.of()))).isEmpty();
  }

  @Test
  void listSuppressions_ordersByAddress_pagedByLastAddress() {
    List<String> addresses = List.of("zed@example.com", "amy@example.com", "bob@b.example",
        "bob@a.example", "carl@example.com");
    for (String a : addresses) {
      run(t -> t.suppressions().upsert(s(a, SuppressionReason.MANUAL, null, T0)));
    }
    List<String> sorted = addresses.stream().sorted().toList();

    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      Optional<String> cursor = after;
      List<Suppression> rows = tx(t -> t.suppressions().list(cursor, 2));
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
