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
