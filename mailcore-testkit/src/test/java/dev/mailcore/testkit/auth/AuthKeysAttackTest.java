package dev.mailcore.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.mailcore.AuthKey;
import dev.mailcore.AuthenticationException;
import dev.mailcore.MailCore;
import dev.mailcore.Principal;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tokens an attacker would try (issue 15, item 4). Each must be answered with exactly one
 * {@link AuthenticationException} (401), nothing else, and a message that reveals nothing about
 * keys the caller cannot sign with.
 *
 * <p>A valid token of organization A used on organization B's resources is
 * {@link CrossTenantTokenAttackTest} (it needs {@code mail.forOrganization(principal)}).
 */
class AuthKeysAttackTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final SigningKey VICTIM = SigningKey.es256();
  private static final SigningKey VICTIM_RSA = SigningKey.rs256();
  private static final SigningKey ATTACKER = SigningKey.es256();

  private final MutableClock clock = MutableClock.at(NOW);
  private final MailCore mail = MailCore.builder().store(new InMemoryMailStore())
      .blobStore(new InMemoryBlobStore()).clock(clock).build();
  private final AuthKey victimKey = mail.authKeys().register("org_victim", "prod",
      VICTIM.publicPem(), VICTIM.algorithm());
  private final AuthKey victimRsaKey = mail.authKeys().register("org_victim", "prod rsa",
      VICTIM_RSA.publicPem(), VICTIM_RSA.algorithm());
  private final String kid = victimKey.id().toString();

  private static JWTClaimsSet claims(String iss) {
    return SigningKey.claims(iss, NOW).build();
  }

  /** Asserts the token is refused with exactly AuthenticationException; returns the message. */
  private String refused(String token) {
    Throwable t = catchThrowable(() -> mail.authKeys().authenticate(token));
    assertThat(t).isExactlyInstanceOf(AuthenticationException.class);
    assertThat(((AuthenticationException) t).httpStatus()).isEqualTo(401);
    assertThat(((AuthenticationException) t).retryable()).isFalse();
    assertThat(t.getMessage()).startsWith("JWT refused: ");
    return t.getMessage();
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void control_aValidTokenIsAccepted() {
    assertThat(mail.authKeys().authenticate(VICTIM.token(kid, claims("org_victim"))))
        .isEqualTo(new Principal("org_victim", victimKey.id()));
  }

  @Test
  void forgedSignature_byAnotherKeyUnderTheVictimsKid_isRefused() {
    String message = refused(ATTACKER.token(kid, claims("org_victim")));

    assertThat(message).contains("no active key verifies this token under kid " + kid);
  }

  @Test
  void tamperedPayload_withTheOriginalSignature_isRefused() {
    String valid = VICTIM.token(kid, claims("org_victim"));
    String[] parts = valid.split("\\.");
    String forged = parts[0] + "." + b64("{\"iss\":\"org_victim\",\"sub\":\"admin\",\"exp\":"
        + (NOW.getEpochSecond() + 300) + "}") + "." + parts[2];

    refused(forged);
  }

  @Test
  void zeroEcdsaSignature_psychicSignature_isRefused() {
    String valid = VICTIM.token(kid, claims("org_victim"));
    String zeros = Base64URL.encode(new byte[64]).toString();

    refused(valid.substring(0, valid.lastIndexOf('.') + 1) + zeros);
    refused(valid.substring(0, valid.lastIndexOf('.') + 1));
  }

  @Test
  void algorithmConfusion_rsaPublicKeyPemUsedAsHs256Secret_isRefused() throws JOSEException {
    for (String secret : List.of(victimRsaKey.publicKeyPem(), VICTIM_RSA.publicPem())) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
          .keyID(victimRsaKey.id().toString()).build(), claims("org_victim"));
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.US_ASCII)));

      assertThat(refused(jwt.serialize())).contains("alg HS256 is not accepted");
    }
  }

  @Test
  void everyHmacAndUnregisteredAlgorithm_isRefused() throws JOSEException {
    byte[] secret = new byte[64];
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(),
          claims("org_victim"));
      jwt.sign(new MACSigner(secret));
      assertThat(refused(jwt.serialize())).contains("alg " + alg.getName() + " is not accepted");
    }
    String body = VICTIM.token(kid, claims("org_victim"));
    for (String alg : List.of("PS256", "ES512", "EdDSA", "RS512", "NONE", "None")) {
      String header = b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}");
      refused(header + body.substring(body.indexOf('.')));
    }
  }

  @Test
  void rs256TokenUnderAnEs256Kid_isRefusedWithoutRevealingTheKeysAlgorithm() {
    String message = refused(VICTIM_RSA.token(kid, claims("org_victim")));

    assertThat(message).doesNotContain("ES256");
  }

  @Test
  void algNone_isRefusedAndNamed() {
    String plain = new PlainJWT(claims("org_victim")).serialize();
    String valid = VICTIM.token(kid, claims("org_victim"));
    String noneWithKid = b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}")
        + valid.substring(valid.indexOf('.'), valid.lastIndexOf('.') + 1);

    assertThat(refused(plain)).contains("alg none");
    assertThat(refused(noneWithKid)).contains("alg none");
    assertThat(refused(noneWithKid + valid.substring(valid.lastIndexOf('.') + 1)))
        .contains("alg none");
  }

  @Test
  void jkuX5uAndEmbeddedJwkHeaders_areIgnored_neverFetchedNorTrusted() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
      ECKey attackerJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) ATTACKER.pair.getPublic())
          .keyID(kid).build();
      JWSHeader.Builder attackerHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)
          .jwk(attackerJwk).jwkURL(url).x509CertURL(url);
      JWSHeader.Builder honestHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)
          .jwk(attackerJwk).jwkURL(url).x509CertURL(url);

      refused(ATTACKER.token(attackerHeader, claims("org_victim")));
      Principal honest = mail.authKeys().authenticate(
          VICTIM.token(honestHeader, claims("org_victim")));

      assertThat(honest.keyId()).isEqualTo(victimKey.id());
      assertThat(requests).hasValue(0);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void expiredToken_isRefusedNamingTheExpiry() {
    Date exp = Date.from(NOW.minusSeconds(31));
    String token = VICTIM.token(kid, SigningKey.claims("org_victim", NOW.minusSeconds(600))
        .expirationTime(exp).build());

    assertThat(refused(token)).contains("expired at " + exp.toInstant())
        .contains("issue a new token");
  }

  @Test
  void tokenWithoutExp_isRefused() {
    String token = VICTIM.token(kid, new JWTClaimsSet.Builder().issuer("org_victim").build());

    assertThat(refused(token)).contains("has no exp");
  }

  @Test
  void notYetValidToken_isRefused() {
    Date nbf = Date.from(NOW.plusSeconds(3600));
    String token = VICTIM.token(kid, SigningKey.claims("org_victim", NOW).notBeforeTime(nbf)
        .expirationTime(Date.from(NOW.plusSeconds(7200))).build());

    assertThat(refused(token)).contains("not valid before " + nbf.toInstant());
  }

  @Test
  void wrongIssuer_isRefusedNamingTheKeysOrganizationToItsOwner() {
    assertThat(refused(VICTIM.token(kid, claims("org_other"))))
        .contains("iss 'org_other' is not the organization of key " + kid + " ('org_victim')");
    assertThat(refused(VICTIM.token(kid, SigningKey.claims(null, NOW).build())))
        .contains("has no iss");
    assertThat(refused(VICTIM.token(kid, claims("org_\r\nvictim"))))
        .contains("iss 'org_??victim'");
  }

  @Test
  void unknownKid_getsTheSameAnswerAsAForgedTokenForAnExistingKey() {
    String unknown = UUID.randomUUID().toString();

    String forUnknown = refused(ATTACKER.token(unknown, claims("org_victim")));
    String forExisting = refused(ATTACKER.token(kid, claims("org_victim")));

    assertThat(forUnknown.replace(unknown, "KID")).isEqualTo(forExisting.replace(kid, "KID"));
    assertThat(forExisting).doesNotContain("org_victim").doesNotContain("revoked at");
  }

  @Test
  void missingOrNonUuidKid_isRefused() {
    assertThat(refused(VICTIM.token(new JWSHeader.Builder(JWSAlgorithm.ES256),
        claims("org_victim")))).contains("has no kid");
    assertThat(refused(VICTIM.token("../../etc/passwd\r\n", claims("org_victim"))))
        .contains("the kid is not a key id").doesNotContain("passwd");
  }

  @Test
  void revokedKey_isRefused_andOnlyItsSignerLearnsItWasRevoked() {
    mail.authKeys().revoke(victimKey.id());

    assertThat(refused(VICTIM.token(kid, claims("org_victim"))))
        .contains("key " + kid + " was revoked at " + NOW);
    assertThat(refused(ATTACKER.token(kid, claims("org_victim"))))
        .doesNotContain("revoked at").contains("no active key verifies");
  }

  @Test
  void oversizedToken_isRefusedBeforeParsing() {
    String padding = "x".repeat(9000);
    String token = VICTIM.token(kid, SigningKey.claims("org_victim", NOW)
        .claim("pad", padding).build());

    assertThat(refused(token)).contains("over the limit of 8192");
    assertThat(refused("a".repeat(1 << 20))).contains("over the limit");
  }

  @Test
  void malformedTokens_areRefused() {
    String valid = VICTIM.token(kid, claims("org_victim"));
    String[] p = valid.split("\\.");
    List<String> malformed = List.of("", " ", ".", "..", "....", "abc", "a.b", "a.b.c",
        "Bearer " + valid, valid + ".", valid + "x", p[0] + ".." + p[2],
        b64("not json") + "." + p[1] + "." + p[2],
        b64("[]") + "." + p[1] + "." + p[2],
        b64("{\"kid\":\"" + kid + "\"}") + "." + p[1] + "." + p[2],
        b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}") + ".a.b.c.d",
        b64("{\"alg\":\"ES256\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}") + "."
            + p[1] + "." + p[2],
        "\u0000\u0001\u0002", "eyJ" + "\uD800".repeat(10) + ".x.y",
        new String(Base64.getDecoder().decode("/////w=="), StandardCharsets.ISO_8859_1));
    for (String token : malformed) {
      refused(token);
    }
  }

  @Test
  void signedNonJsonPayload_isRefused() throws JOSEException {
    com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
        new com.nimbusds.jose.Payload("not a claims set"));
    jws.sign(VICTIM.signer());

    assertThat(refused(jws.serialize())).contains("payload is not a JSON claims set");
  }

  @Test
  void encryptedToken_isRefusedAndNamed() {
    String jwe = b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\"}")
        + ".a.b.c.d";

    assertThat(refused(jwe)).contains("encrypted (JWE)");
  }

  @Test
  void nullToken_isAProgrammingError() {
    assertThat(catchThrowable(() -> mail.authKeys().authenticate(null)))
        .isInstanceOf(NullPointerException.class).hasMessage("jwt");
  }
}
