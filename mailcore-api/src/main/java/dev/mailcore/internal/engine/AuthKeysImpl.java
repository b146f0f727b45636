package dev.mailcore.internal.engine;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.AuthKeys;
import dev.mailcore.AuthSettings;
import dev.mailcore.AuthenticationException;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.Principal;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuthKeys}: registration through {@link PemPublicKeys}, verification with
 * nimbus-jose-jwt, and a per-instance key cache so a known key costs no store round trip.
 *
 * <p>Order of checks in {@link #authenticate(String)}, each refusal one
 * {@link AuthenticationException}: size; compact JWS syntax (and a named refusal for
 * {@code alg: none} and encrypted tokens); {@code alg} in the accepted set; {@code kid}
 * present; the key (cache, else store); the key's algorithm equals {@code alg}; the signature.
 * Everything up to and including the signature fails with one message that does not depend on
 * whether the key exists, so only the holder of a key's private key learns anything about the
 * key. After the signature: revoked, claims syntax, {@code iss}, {@code exp}, {@code nbf},
 * {@code iat}, with messages for the key's owner.
 *
 * <p>Cache: key id to entry (the key or its absence, its verifier, when it was loaded by the
 * MailCore clock). An entry older than {@link AuthSettings#keyCacheTtl()} is reloaded; a
 * revocation through this instance drops the entry at once. Absent keys are cached too (the
 * cache sheds them first when it grows past {@value #MAX_ABSENT}), so a flood of unknown key ids
 * does not reach the store once per token. Thread-safe.
 */
final class AuthKeysImpl implements AuthKeys {
  private static final Logger LOG = LoggerFactory.getLogger(AuthKeysImpl.class);
  private static final String CURSOR = "authKeys";
  private static final int MAX_ABSENT = 10_000;
  private static final Map<JWSAlgorithm, AuthKeyAlgorithm> ACCEPTED = Map.of(
      JWSAlgorithm.ES256, AuthKeyAlgorithm.ES256,
      JWSAlgorithm.ES384, AuthKeyAlgorithm.ES384,
      JWSAlgorithm.RS256, AuthKeyAlgorithm.RS256);

  private final Engine engine;
  private final AuthSettings settings;
  private final Map<UUID, Cached> cache;
  private final Scope scope;

  /** A cached lookup: the key and its verifier, or neither when no key has the id. */
  private record Cached(Optional<AuthKey> key, JWSVerifier verifier, Instant loadedAt) {}

  AuthKeysImpl(Engine engine, AuthSettings settings) {
    this(engine, settings, new ConcurrentHashMap<>(), Scope.all());
  }

  private AuthKeysImpl(Engine engine, AuthSettings settings, Map<UUID, Cached> cache,
      Scope scope) {
    this.engine = engine;
    this.settings = settings;
    this.cache = cache;
    this.scope = scope;
  }

  /** The same keys and key cache, seeing only {@code scope}'s keys. */
  AuthKeysImpl scoped(Scope scope) {
    return new AuthKeysImpl(engine, settings, cache, scope);
  }

  @Override
  public AuthKey register(String organizationId, String name, String publicKeyPem,
      AuthKeyAlgorithm algorithm) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    Objects.requireNonNull(algorithm, "algorithm");
    String n = name.strip();
    if (n.isEmpty() || n.length() > 255) {
      throw new ValidationException("name", "must be 1-255 characters, got " + n.length());
    }
    engine.config().rules().singleLine("name", n);
    PemPublicKeys.Checked checked = PemPublicKeys.parse(publicKeyPem, algorithm);
    AuthKey key = new AuthKey(Uuids.next(), org, n, checked.canonicalPem(), algorithm,
        engine.config().clock().instant(), Optional.empty());
    engine.store().inTransaction(tx -> {
      tx.authKeys().insert(key);
      return null;
    });
    return key;
  }

  @Override
  public Optional<AuthKey> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.authKeys().find(scope, id));
  }

  @Override
  public Page<AuthKey> list(String organizationId, PageRequest page) {
    String org = ScopeRules.organization(engine, scope, organizationId);
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(CURSOR, page);
    List<AuthKey> rows = engine.store().inTransaction(
        tx -> tx.authKeys().list(org, after, page.limit() + 1));
    return Cursors.keysetPage(CURSOR, rows, page.limit(), k -> new Keyset(k.createdAt(), k.id()));
  }

  @Override
  public AuthKey revoke(UUID id) {
    Objects.requireNonNull(id, "id");
    AuthKey revoked = engine.store().inTransaction(tx -> {
      // Found in scope first: another organization's key is not found, and stays unrevoked.
      tx.authKeys().find(scope, id).orElseThrow(() -> new NotFoundException("auth key",
          id.toString()));
      tx.authKeys().revoke(id, engine.config().clock().instant());
      return tx.authKeys().find(scope, id).orElseThrow(() -> new NotFoundException("auth key",
          id.toString()));
    });
    // Revocation is final, so a revoked entry is never replaced by an older unrevoked read
    // (see remember): tokens verified after this call returns see the revocation.
    remember(id, cached(Optional.of(revoked)));
    return revoked;
  }

  @Override
  public Principal authenticate(String jwt) {
    Objects.requireNonNull(jwt, "jwt");
    if (jwt.length() > settings.maxTokenLength()) {
      throw refuse("the token is " + jwt.length() + " characters, over the limit of "
          + settings.maxTokenLength() + " (AuthSettings.maxTokenLength); keep its header and"
          + " claims short");
    }
    SignedJWT token = parse(jwt);
    JWSHeader header = token.getHeader();
    AuthKeyAlgorithm alg = ACCEPTED.get(header.getAlgorithm());
    if (alg == null) {
      throw refuse("alg " + header.getAlgorithm().getName() + " is not accepted; sign with the"
          + " algorithm the key was registered with: ES256, ES384 or RS256 (none and the HMAC"
          + " algorithms HS256/HS384/HS512 are never accepted)");
    }
    String kid = header.getKeyID();
    if (kid == null) {
      throw refuse("the token header has no kid; set kid to the id authKeys().register"
          + " returned for the signing key");
    }
    UUID keyId = uuidOrNull(kid);
    Cached entry = keyId == null ? null : lookup(keyId);
    if (entry == null || entry.key().isEmpty() || entry.key().get().algorithm() != alg
        || !verifies(token, entry.verifier())) {
      throw refuse(noKeyVerifies(keyId, alg));
    }
    AuthKey key = entry.key().get();
    if (key.revoked()) {
      throw refuse("key " + key.id() + " was revoked at " + key.revokedAt().get()
          + "; register a new key and sign with it");
    }
    checkClaims(token, key);
    if (!scope.includes(key.organizationId())) {
      // Only the private-key holder gets here: telling it its own organization leaks nothing.
      throw refuse("the token speaks for organization '" + key.organizationId() + "', but"
          + " this view is bound to '" + scope.organizationId().orElseThrow() + "'"
          + " (mail.forOrganization); authenticate on the unscoped MailCore and scope by the"
          + " returned Principal");
    }
    return new Principal(key.organizationId(), key.id());
  }

  private static SignedJWT parse(String jwt) {
    try {
      return SignedJWT.parse(jwt);
    } catch (ParseException | RuntimeException e) {
      throw refuse(whyNotSigned(jwt));
    }
  }

  /** Why a token is not a compact JWS: unsigned and encrypted tokens are named. */
  private static String whyNotSigned(String jwt) {
    int dot = jwt.indexOf('.');
    try {
      Header h = Header.parse(new Base64URL(dot < 0 ? jwt : jwt.substring(0, dot)));
      if (h instanceof PlainHeader) {
        return "alg none (an unsigned token) is never accepted; sign the token with the"
            + " registered key's algorithm";
      }
      if (h instanceof JWEHeader) {
        return "the token is encrypted (JWE); send a signed JWT (JWS) instead";
      }
    } catch (ParseException | RuntimeException e) {
      // not even the header parses: fall through to the general message
    }
    return "the token is not a signed JWT in compact form: three base64url parts"
        + " (header.payload.signature), a JSON header with alg and kid, a JSON claims payload";
  }

  private static String noKeyVerifies(UUID keyId, AuthKeyAlgorithm alg) {
    return (keyId == null ? "the kid is not a key id (ids are the UUIDs authKeys().register"
        + " returns)" : "no active key verifies this token under kid " + keyId + " with alg "
        + alg) + "; check that kid is the id authKeys().register returned, that alg is the"
        + " algorithm the key was registered with, and that the token is signed with that"
        + " key's private key";
  }

  private static boolean verifies(SignedJWT token, JWSVerifier verifier) {
    try {
      return token.verify(verifier);
    } catch (JOSEException | RuntimeException e) {
      return false;
    }
  }

  private void checkClaims(SignedJWT token, AuthKey key) {
    JWTClaimsSet claims;
    try {
      claims = token.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw refuse("the token's payload is not a JSON claims set");
    }
    String iss = claims.getIssuer();
    if (!key.organizationId().equals(iss)) {
      throw refuse(iss == null
          ? "the token has no iss; set iss to the key's organization '" + key.organizationId() + "'"
          : "iss '" + printable(iss) + "' is not the organization of key " + key.id() + " ('"
              + key.organizationId() + "'); a key signs only for its own organization");
    }
    Instant now = engine.config().clock().instant();
    Duration skew = settings.clockSkew();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw refuse("the token has no exp; every token must say when it expires");
    }
    String context = " (now " + now + ", allowed clock skew " + skew.toSeconds() + " s)";
    if (now.minus(skew).isAfter(exp.toInstant())) {
      throw refuse("the token expired at " + exp.toInstant() + context + "; issue a new token");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw refuse("the token is not valid before " + nbf.toInstant() + context);
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.plus(skew).isBefore(iat.toInstant())) {
      throw refuse("the token was issued at " + iat.toInstant() + ", in the future" + context
          + "; check the issuer's clock");
    }
  }

  /** The cached entry for a key id, loading it from the store when missing or stale. */
  private Cached lookup(UUID id) {
    Instant now = engine.config().clock().instant();
    Cached c = cache.get(id);
    if (c != null && c.loadedAt().plus(settings.keyCacheTtl()).isAfter(now)) {
      return c;
    }
    return remember(id, cached(engine.store().inTransaction(tx -> tx.authKeys().find(Scope.all(), id))));
  }

  /** An entry for a store read, with the key's verifier, timed by the MailCore clock. */
  private Cached cached(Optional<AuthKey> key) {
    JWSVerifier verifier = null;
    Optional<AuthKey> usable = key;
    if (key.isPresent()) {
      try {
        verifier = PemPublicKeys.parse(key.get().publicKeyPem(), key.get().algorithm())
            .verifier();
      } catch (ValidationException e) {
        LOG.warn("auth key {} in the store cannot be used: {}", key.get().id(), e.getMessage());
        usable = Optional.empty();
      }
    }
    return new Cached(usable, verifier, engine.config().clock().instant());
  }

  /**
   * Caches an entry and returns the entry now cached. A revoked
   * entry is kept over a newer read that still shows the key unrevoked: that read started
   * before the revocation committed, and revocation is never undone.
   */
  private Cached remember(UUID id, Cached entry) {
    if (cache.size() >= MAX_ABSENT) {
      cache.values().removeIf(x -> x.key().isEmpty());
    }
    return cache.merge(id, entry, (old, fresh) -> isRevoked(old) && !isRevoked(fresh)
        ? new Cached(old.key(), old.verifier(), fresh.loadedAt()) : fresh);
  }

  private static boolean isRevoked(Cached c) {
    return c.key().map(AuthKey::revoked).orElse(false);
  }

  private static UUID uuidOrNull(String kid) {
    if (kid.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(kid);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A claim value for a message: at most 100 characters, control characters replaced. */
  private static String printable(String s) {
    String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }

  private static AuthenticationException refuse(String message) {
    return new AuthenticationException("JWT refused: " + message);
  }
}
