package dev.mailcore.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.AuthSettings;
import dev.mailcore.AuthenticationException;
import dev.mailcore.MailCore;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.Principal;
import dev.mailcore.ValidationException;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code mail.authKeys()}: registration checks, listing, revocation, caching, valid tokens. */
class AuthKeysFacadeTest {
  private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
  private static final SigningKey ES256 = SigningKey.es256();
  private static final SigningKey ES384 = SigningKey.es384();
  private static final SigningKey RS256 = SigningKey.rs256();

  private final MutableClock clock = MutableClock.at(START);
  private final CountingMailStore store = new CountingMailStore(new InMemoryMailStore());
  private final MailCore mail = mail(store, AuthSettings.defaults());

  private MailCore mail(CountingMailStore s, AuthSettings settings) {
    return MailCore.builder().store(s).blobStore(new InMemoryBlobStore()).clock(clock)
        .authentication(settings).build();
  }

  private static JWTClaimsSet claims(String iss, Instant now) {
    return SigningKey.claims(iss, now).build();
  }

  private static String certificatePem() {
    try (InputStream in = AuthKeysFacadeTest.class.getResourceAsStream("/auth/certificate.pem")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- register ----

  @Test
  void register_eachAlgorithmWithItsKey_storesANormalizedPublicKey() {
    for (SigningKey k : List.of(ES256, ES384, RS256)) {
      String messy = "\n  " + k.publicPem().replace("\n", "\r\n") + "\n\n";
      AuthKey key = mail.authKeys().register(" org_1 ", " ci key ", messy, k.algorithm());

      assertThat(key.organizationId()).isEqualTo("org_1");
      assertThat(key.name()).isEqualTo("ci key");
      assertThat(key.algorithm()).isEqualTo(k.algorithm());
      assertThat(key.publicKeyPem()).isEqualTo(k.publicPem());
      assertThat(key.createdAt()).isEqualTo(START);
      assertThat(key.revoked()).isFalse();
      assertThat(mail.authKeys().get(key.id())).contains(key);
    }
  }

  @Test
  void register_whenGivenAPrivateKey_saysItIsAPrivateKeyWithoutEchoingIt() {
    String pkcs8 = ES256.privatePem();
    String sec1 = pkcs8.replace("PRIVATE KEY", "EC PRIVATE KEY");
    String pkcs1 = RS256.privatePem().replace("PRIVATE KEY", "RSA PRIVATE KEY");
    String bundle = ES256.publicPem() + ES256.privatePem();
    for (String pem : List.of(pkcs8, sec1, pkcs1, bundle)) {
      assertThatThrownBy(() -> mail.authKeys().register("org_1", "k", pem,
          AuthKeyAlgorithm.ES256))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("is a private key")
          .hasMessageContaining("openssl pkey -in key.pem -pubout")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.substring(30, 60)))
          .satisfies(e -> assertThat(((ValidationException) e).field())
              .isEqualTo("publicKeyPem"));
    }
    assertThat(store.transactions).hasValue(0);
  }

  @Test
  void register_whenGivenACertificate_saysHowToExtractTheKey() {
    assertThatThrownBy(() -> mail.authKeys().register("org_1", "k", certificatePem(),
        AuthKeyAlgorithm.ES256))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("is a certificate, not a public key")
        .hasMessageContaining("openssl x509 -in cert.pem -pubkey -noout");
  }

  @Test
  void register_whenKeyTypeOrCurveDoesNotMatchTheAlgorithm_namesBoth() {
    record Case(SigningKey key, AuthKeyAlgorithm alg, String says) {}
    SigningKey p521 = SigningKey.ec("secp521r1", null);
    List<Case> cases = List.of(
        new Case(ES384, AuthKeyAlgorithm.ES256, "EC key on P-384, but ES256 needs P-256;"
            + " register it with ES384"),
        new Case(ES256, AuthKeyAlgorithm.ES384, "EC key on P-256, but ES384 needs P-384;"
            + " register it with ES256"),
        new Case(ES256, AuthKeyAlgorithm.RS256, "EC key on P-256, but RS256 needs an RSA key"),
        new Case(RS256, AuthKeyAlgorithm.ES256, "RSA key (2048 bits), but ES256 needs an EC"
            + " P-256 key"),
        new Case(p521, AuthKeyAlgorithm.ES256, "EC key on P-521, but ES256 needs P-256;"
            + " EC keys must be on P-256 (ES256) or P-384 (ES384)"),
        new Case(SigningKey.rsa(1024), AuthKeyAlgorithm.RS256,
            "RSA key of 1024 bits; RS256 keys need at least 2048"),
        new Case(SigningKey.rsaPublicOnly(8200), AuthKeyAlgorithm.RS256,
            "RSA key of 8200 bits; RS256 keys may have at most 8192"));
    for (Case c : cases) {
      assertThatThrownBy(() -> mail.authKeys().register("org_1", "k", c.key().publicPem(),
          c.alg()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining(c.says());
    }
  }

  @Test
  void register_whenPemIsNotOnePublicKey_explainsTheExpectedForm() {
    String body = ES256.publicPem().lines().filter(l -> !l.startsWith("-----"))
        .reduce("", (a, b) -> a + b);
    record Case(String pem, String says) {}
    List<Case> cases = List.of(
        new Case(body, "has no -----BEGIN PUBLIC KEY----- block"),
        new Case("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA me@host", "OpenSSH public key"),
        new Case(RS256.publicPem().replace("PUBLIC KEY", "RSA PUBLIC KEY"),
            "PKCS#1 RSA PUBLIC KEY"),
        new Case(ES256.publicPem() + ES384.publicPem(), "exactly one"),
        new Case(ES256.publicPem().replace("-----END PUBLIC KEY-----", ""),
            "no matching END PUBLIC KEY"),
        new Case(SigningKey.pem("PUBLIC KEY", "not a key".getBytes(StandardCharsets.UTF_8)),
            "is not an EC or RSA public key"),
        new Case("", "has no -----BEGIN PUBLIC KEY----- block"));
    for (Case c : cases) {
      assertThatThrownBy(() -> mail.authKeys().register("org_1", "k", c.pem(),
          AuthKeyAlgorithm.ES256))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining(c.says());
    }
  }

  @Test
  void register_whenNameOrOrganizationInvalid_failsNamingTheField() {
    assertThatThrownBy(() -> mail.authKeys().register("org_1", " ", ES256.publicPem(),
        AuthKeyAlgorithm.ES256)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("name"));
    assertThatThrownBy(() -> mail.authKeys().register("org_1", "a\r\nb", ES256.publicPem(),
        AuthKeyAlgorithm.ES256)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("name"));
    assertThatThrownBy(() -> mail.authKeys().register("", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("organizationId");
    assertThatThrownBy(() -> mail.authKeys().register("org_1", "k", null,
        AuthKeyAlgorithm.ES256)).isInstanceOf(NullPointerException.class)
        .hasMessage("publicKeyPem");
  }

  // ---- list, revoke ----

  @Test
  void list_pagesAnOrganizationsKeysOldestFirst_revokedIncluded() {
    List<UUID> registered = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      registered.add(mail.authKeys().register("org_1", "k" + i, ES256.publicPem(),
          AuthKeyAlgorithm.ES256).id());
      clock.advance(Duration.ofSeconds(1));
    }
    mail.authKeys().register("org_2", "other", ES256.publicPem(), AuthKeyAlgorithm.ES256);
    mail.authKeys().revoke(registered.get(1));

    List<UUID> listed = new ArrayList<>();
    Page<AuthKey> page = mail.authKeys().list("org_1", PageRequest.first(2));
    listed.addAll(page.items().stream().map(AuthKey::id).toList());
    while (page.hasNext()) {
      page = mail.authKeys().list("org_1", PageRequest.after(page.nextCursor().get())
          .withLimit(2));
      listed.addAll(page.items().stream().map(AuthKey::id).toList());
    }

    assertThat(listed).isEqualTo(registered);
    assertThat(mail.authKeys().get(registered.get(1)).get().revokedAt()).contains(clock.instant());
    assertThatThrownBy(() -> mail.authKeys().list("org_1", PageRequest.after("nonsense")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
  }

  @Test
  void revoke_isIdempotentAndUnknownIdsAreNotFound() {
    AuthKey key = mail.authKeys().register("org_1", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256);
    AuthKey first = mail.authKeys().revoke(key.id());
    clock.advance(Duration.ofMinutes(1));

    assertThat(mail.authKeys().revoke(key.id()).revokedAt()).isEqualTo(first.revokedAt())
        .contains(START);
    UUID unknown = UUID.randomUUID();
    assertThatThrownBy(() -> mail.authKeys().revoke(unknown))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.toString());
  }

  // ---- authenticate ----

  @Test
  void authenticate_validTokenOfEachAlgorithm_returnsOrganizationAndKey() {
    for (SigningKey k : List.of(ES256, ES384, RS256)) {
      AuthKey key = mail.authKeys().register("org_1", "k", k.publicPem(), k.algorithm());

      Principal p = mail.authKeys().authenticate(k.token(key.id().toString(),
          claims("org_1", START)));

      assertThat(p).isEqualTo(new Principal("org_1", key.id()));
    }
  }

  @Test
  void authenticate_afterTheFirstToken_costsNoStoreRoundTrip() {
    AuthKey key = mail.authKeys().register("org_1", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256);
    mail.authKeys().authenticate(ES256.token(key.id().toString(), claims("org_1", START)));
    int before = store.transactions.get();

    for (int i = 0; i < 100; i++) {
      mail.authKeys().authenticate(ES256.token(key.id().toString(), claims("org_1", START)));
    }

    assertThat(store.transactions.get()).isEqualTo(before);
  }

  @Test
  void authenticate_withUnknownKids_looksEachUpOnceWithinTheCacheTtl() {
    String token = ES256.token(UUID.randomUUID().toString(), claims("org_1", START));
    assertThatThrownBy(() -> mail.authKeys().authenticate(token))
        .isInstanceOf(AuthenticationException.class);
    int before = store.transactions.get();

    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> mail.authKeys().authenticate(token))
          .isInstanceOf(AuthenticationException.class);
    }

    assertThat(store.transactions.get()).isEqualTo(before);
  }

  @Test
  void revoke_onThisInstance_refusesTheKeysTokensAtOnce() {
    AuthKey key = mail.authKeys().register("org_1", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256);
    String token = ES256.token(key.id().toString(), claims("org_1", START));
    mail.authKeys().authenticate(token);

    mail.authKeys().revoke(key.id());

    assertThatThrownBy(() -> mail.authKeys().authenticate(token))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("key " + key.id() + " was revoked at " + START);
  }

  @Test
  void revoke_onAnotherInstance_takesEffectHereWithinTheKeyCacheTtl() {
    AuthSettings settings = AuthSettings.builder().keyCacheTtl(Duration.ofSeconds(20)).build();
    MailCore other = mail(store, settings);
    MailCore here = mail(store, settings);
    AuthKey key = here.authKeys().register("org_1", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256);
    here.authKeys().authenticate(ES256.token(key.id().toString(), claims("org_1", START)));

    other.authKeys().revoke(key.id());
    clock.advance(Duration.ofSeconds(19));
    Principal stillCached = here.authKeys().authenticate(
        ES256.token(key.id().toString(), claims("org_1", clock.instant())));
    clock.advance(Duration.ofSeconds(1));

    assertThat(stillCached.keyId()).isEqualTo(key.id());
    assertThatThrownBy(() -> here.authKeys().authenticate(
        ES256.token(key.id().toString(), claims("org_1", clock.instant()))))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("was revoked");
  }

  @Test
  void authenticate_honoursTheConfiguredClockSkewOnExpNbfAndIat() {
    MailCore strict = mail(store, AuthSettings.builder().clockSkew(Duration.ofSeconds(10))
        .build());
    AuthKey key = strict.authKeys().register("org_1", "k", ES256.publicPem(),
        AuthKeyAlgorithm.ES256);
    String kid = key.id().toString();
    Date tenAgo = Date.from(START.minusSeconds(10));
    Date elevenAgo = Date.from(START.minusSeconds(11));
    Date inTen = Date.from(START.plusSeconds(10));
    Date inEleven = Date.from(START.plusSeconds(11));

    strict.authKeys().authenticate(ES256.token(kid, SigningKey.claims("org_1", START)
        .expirationTime(tenAgo).build()));
    strict.authKeys().authenticate(ES256.token(kid, SigningKey.claims("org_1", START)
        .notBeforeTime(inTen).issueTime(inTen).build()));
    assertThatThrownBy(() -> strict.authKeys().authenticate(ES256.token(kid,
        SigningKey.claims("org_1", START).expirationTime(elevenAgo).build())))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("expired at " + elevenAgo.toInstant())
        .hasMessageContaining("allowed clock skew 10 s");
    assertThatThrownBy(() -> strict.authKeys().authenticate(ES256.token(kid,
        SigningKey.claims("org_1", START).notBeforeTime(inEleven).build())))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("not valid before " + inEleven.toInstant());
    assertThatThrownBy(() -> strict.authKeys().authenticate(ES256.token(kid,
        SigningKey.claims("org_1", START).issueTime(inEleven).build())))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("issued at " + inEleven.toInstant() + ", in the future");
  }

  @Test
  void authSettings_outOfRange_failsNamingTheSetting() {
    assertThatThrownBy(() -> AuthSettings.builder().clockSkew(Duration.ofMinutes(11)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> AuthSettings.builder().keyCacheTtl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyCacheTtl");
    assertThatThrownBy(() -> AuthSettings.builder().maxTokenLength(100).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokenLength");
    assertThat(AuthSettings.defaults().keyCacheTtl()).isEqualTo(Duration.ofSeconds(60));
  }
}
