package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.AuthSettings;
import dev.mailcore.AuthenticationException;
import dev.mailcore.MailCore;
import dev.mailcore.Principal;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.MutableClock;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code authKeys()} end to end on PostgreSQL: two application instances on one database, a key
 * registered through one authenticates on the other, and a revocation through one is honoured
 * by the other once its key cache expires.
 */
class PostgresAuthKeysTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  @Test
  void keyRegisteredOnOneInstance_authenticatesOnAnother_untilRevokedAndTheCacheExpires()
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    MutableClock clock = MutableClock.at(Instant.parse("2026-06-01T12:00:00Z"));
    AuthSettings settings = AuthSettings.builder().keyCacheTtl(Duration.ofSeconds(30)).build();
    try (PostgresMailStore storeA = DB.newStore(); PostgresMailStore storeB = DB.newStore()) {
      MailCore a = MailCore.builder().store(storeA).blobStore(new InMemoryBlobStore())
          .clock(clock).authentication(settings).build();
      MailCore b = MailCore.builder().store(storeB).blobStore(new InMemoryBlobStore())
          .clock(clock).authentication(settings).build();
      AuthKey key = a.authKeys().register("org_pg", "rsa", pem, AuthKeyAlgorithm.RS256);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
          .keyID(key.id().toString()).build(), new JWTClaimsSet.Builder().issuer("org_pg")
          .expirationTime(Date.from(clock.instant().plusSeconds(3600))).build());
      jwt.sign(new RSASSASigner(pair.getPrivate()));
      String token = jwt.serialize();

      assertThat(b.authKeys().authenticate(token)).isEqualTo(new Principal("org_pg", key.id()));
      assertThat(b.authKeys().get(key.id())).contains(key);

      a.authKeys().revoke(key.id());
      Principal cached = b.authKeys().authenticate(token);
      clock.advance(Duration.ofSeconds(30));

      assertThat(cached.keyId()).isEqualTo(key.id());
      assertThatThrownBy(() -> a.authKeys().authenticate(token))
          .isInstanceOf(AuthenticationException.class).hasMessageContaining("was revoked");
      assertThatThrownBy(() -> b.authKeys().authenticate(token))
          .isInstanceOf(AuthenticationException.class).hasMessageContaining("was revoked");
    }
  }
}
