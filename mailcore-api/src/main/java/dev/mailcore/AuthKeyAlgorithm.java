package dev.mailcore;

/**
 * The JWS algorithms an {@link AuthKey} can verify. A key is registered for exactly one, and a
 * token is accepted only if its {@code alg} header names that one: {@code none} and the HMAC
 * algorithms ({@code HS256} and friends) are never accepted, so a public key can never be
 * misused as a shared secret.
 */
public enum AuthKeyAlgorithm {
  /** ECDSA with SHA-256 on the P-256 curve (secp256r1). */
  ES256,
  /** ECDSA with SHA-384 on the P-384 curve (secp384r1). */
  ES384,
  /** RSASSA-PKCS1-v1_5 with SHA-256; the RSA modulus must have 2048 to 8192 bits. */
  RS256
}
