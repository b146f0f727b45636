package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.spi.AuthKeyStore;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store's {@link AuthKeyStore} ({@code tx.authKeys()}) must have: keys
 * round-trip unchanged, listings are per organization, oldest first and keyset-paged (revoked
 * keys included), revocation happens once and keeps its time, and a rolled-back transaction
 * leaves nothing. Adapters subclass it and implement {@link #createStore()}:
 *
 * <pre>{@code
 * class PostgresAuthKeyStoreContractTest extends AuthKeyStoreContract {
 *   @Override
 *   protected MailStore createStore() {
 *     return PostgresMailStore.builder().dataSource(freshSchema()).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Timestamps have microsecond precision and ids lie on both sides of the sign bit, as in
 * {@link StoreContractSupport}. Not thread-safe; JUnit runs each test on a fresh instance.
 */
public abstract class AuthKeyStoreContract extends StoreContractSupport {

  private static final String PEM = "-----BEGIN PUBLIC KEY-----\n"
      + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqKCkMDU4WVh7lO8i3dmRz2rC2hUc\n"
      + "4cd9g2X0b8xN1Ou0fOsgQ2aNWq8Zg1XhJ3C7HrHg4cpxUwYb2o1DQqXt1w==\n"
      + "-----END PUBLIC KEY-----\n";

  /** Creates the contract; subclasses are created by JUnit. */
  protected AuthKeyStoreContract() {}

  private <T> T keys(Function<AuthKeyStore, T> work) {
    return store.inTransaction(tx -> work.apply(tx.authKeys()));
  }

  private Optional<AuthKey> find(UUID id) {
    return keys(k -> k.find(Scope.all(), id));
  }

  private static AuthKey key(UUID id, String org, Instant createdAt) {
    return new AuthKey(id, org, "key " + id, PEM, AuthKeyAlgorithm.ES256, createdAt,
        Optional.empty());
  }

  @Test
  void insert_thenFind_returnsEveryFieldUnchanged() {
    AuthKey es = key(UUID.randomUUID(), "org_a", T0);
    AuthKey rs = new AuthKey(UUID.randomUUID(), "org_a", "rsa", PEM, AuthKeyAlgorithm.RS256,
        T0, Optional.of(T0.plusSeconds(5)));
    AuthKey es384 = new AuthKey(UUID.randomUUID(), "org_a", "p384", PEM, AuthKeyAlgorithm.ES384,
        T0, Optional.empty());
    keys(k -> {
      k.insert(es);
      k.insert(rs);
      k.insert(es384);
      return null;
    });

    assertThat(find(es.id())).contains(es);
    assertThat(find(rs.id())).contains(rs);
    assertThat(find(es384.id())).contains(es384);
  }

  @Test
  void find_whenNoKeyHasTheId_isEmpty() {
    assertThat(find(UUID.randomUUID())).isEmpty();
  }

  @Test
  void list_returnsOnlyThatOrganizationsKeys_oldestFirst_revokedIncluded() {
    AuthKey second = key(UUID.randomUUID(), "org_a", T0.plusSeconds(2));
    AuthKey first = key(UUID.randomUUID(), "org_a", T0.plusSeconds(1));
    AuthKey other = key(UUID.randomUUID(), "org_b", T0);
    keys(k -> {
      k.insert(second);
      k.insert(first);
      k.insert(other);
      return k.revoke(second.id(), T0.plusSeconds(9));
    });

    List<AuthKey> listed = keys(k -> k.list("org_a", Optional.empty(), 10));

    assertThat(listed).extracting(AuthKey::id).containsExactly(first.id(), second.id());
    assertThat(listed.get(1).revokedAt()).contains(T0.plusSeconds(9));
    List<AuthKey> none = keys(k -> k.list("org_c", Optional.empty(), 10));
    assertThat(none).isEmpty();
  }

  @Test
  void list_pagesByKeyset_tiesOrderedByUnsignedId() {
    Instant same = T0;
    UUID low = orderedId('1', 1);
    UUID high = orderedId('9', 2); // negative as a signed long
    AuthKey later = key(UUID.randomUUID(), "org_a", same.plusSeconds(1));
    keys(k -> {
      k.insert(key(high, "org_a", same));
      k.insert(later);
      k.insert(key(low, "org_a", same));
      return null;
    });

    List<AuthKey> page1 = keys(k -> k.list("org_a", Optional.empty(), 2));
    List<AuthKey> page2 = keys(k -> k.list("org_a",
        Optional.of(new Keyset(page1.get(1).createdAt(), page1.get(1).id())), 2));

    assertThat(page1).extracting(AuthKey::id).containsExactly(low, high);
    assertThat(page2).extracting(AuthKey::id).containsExactly(later.id());
  }

  @Test
  void revoke_happensOnce_andKeepsTheFirstRevocationTime() {
    AuthKey k1 = key(UUID.randomUUID(), "org_a", T0);
    keys(k -> {
      k.insert(k1);
      return null;
    });

    boolean first = keys(k -> k.revoke(k1.id(), T0.plusSeconds(10)));
    boolean again = keys(k -> k.revoke(k1.id(), T0.plusSeconds(20)));

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(find(k1.id()).flatMap(AuthKey::revokedAt))
        .contains(T0.plusSeconds(10));
  }

  @Test
  void revoke_whenNoKeyHasTheId_returnsFalse() {
    boolean revoked = keys(k -> k.revoke(UUID.randomUUID(), T0));
    assertThat(revoked).isFalse();
  }

  @Test
  void insertAndRevoke_whenTransactionRollsBack_leaveNothing() {
    AuthKey kept = key(UUID.randomUUID(), "org_a", T0);
    AuthKey dropped = key(UUID.randomUUID(), "org_a", T0);
    keys(k -> {
      k.insert(kept);
      return null;
    });

    assertThatThrownBy(() -> keys(k -> {
      k.insert(dropped);
      k.revoke(kept.id(), T0.plusSeconds(1));
      throw new IllegalStateException("roll back");
    })).hasMessage("roll back");

    assertThat(find(dropped.id())).isEmpty();
    assertThat(find(kept.id())).contains(kept);
  }

  @Test
  void authKeys_whenUsedAfterTheTransaction_fails() {
    AuthKeyStore escaped = store.inTransaction(tx -> tx.authKeys());

    assertThatThrownBy(() -> escaped.find(Scope.all(), UUID.randomUUID()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void find_inAScope_returnsOnlyThatOrganizationsKeys() {
    AuthKey a = key(UUID.randomUUID(), "org_a", T0);
    keys(k -> {
      k.insert(a);
      return null;
    });

    assertThat(keys((AuthKeyStore k) -> k.find(Scope.organization("org_a"), a.id()))).contains(a);
    assertThat(keys((AuthKeyStore k) -> k.find(Scope.organization("org_b"), a.id()))).isEmpty();
  }
}
