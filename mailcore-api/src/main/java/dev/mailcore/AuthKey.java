package dev.mailcore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A public key an organization registered to sign its JWTs ({@link AuthKeys}). Its
 * {@link #id()} is the {@code kid} the organization puts in every token's header. Immutable and
 * thread-safe.
 *
 * @param id the key id, the tokens' {@code kid}
 * @param organizationId the owning organization, the tokens' {@code iss}
 * @param name a display name the organization chose, for example {@code "ci deploy key"}
 * @param publicKeyPem the public key as a {@code -----BEGIN PUBLIC KEY-----} block (X.509
 *     SubjectPublicKeyInfo), normalized by mailcore
 * @param algorithm the only algorithm tokens signed with this key may use
 * @param createdAt when it was registered
 * @param revokedAt when it was revoked, if it was
 */
public record AuthKey(UUID id, String organizationId, String name, String publicKeyPem,
    AuthKeyAlgorithm algorithm, Instant createdAt, Optional<Instant> revokedAt) {

  /** Checks the fields. */
  public AuthKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /**
   * Whether the key was revoked; tokens signed with a revoked key are refused.
   *
   * @return true if {@link #revokedAt()} is present
   */
  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
