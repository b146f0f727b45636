package dev.mailcore;

import java.util.Objects;
import java.util.UUID;

/**
 * Who a verified JWT speaks for: the organization that issued it and the key that signed it.
 * Returned by {@link AuthKeys#authenticate(String)}. Immutable and thread-safe.
 *
 * @param organizationId the organization, the token's {@code iss} (equal to the key's owner)
 * @param keyId the id of the key that verified the signature, the token's {@code kid}
 */
public record Principal(String organizationId, UUID keyId) {
  /** Checks the fields. */
  public Principal {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(keyId, "keyId");
  }
}
