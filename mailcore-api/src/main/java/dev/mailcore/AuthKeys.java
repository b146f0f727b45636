package dev.mailcore;

import java.util.Optional;
import java.util.UUID;

/**
 * Organizations' JWT signing keys, and verifying the tokens they sign. Obtain it from
 * {@link MailCore#authKeys()}. Thread-safe. Not meant to be implemented outside mailcore.
 *
 * <p>An organization keeps its private key; mailcore stores only the public key. A token is
 * accepted by {@link #authenticate(String)} when:
 * <ul>
 *   <li>its header's {@code kid} is the {@link AuthKey#id()} of a registered, unrevoked key,
 *   <li>its {@code alg} is exactly that key's {@link AuthKeyAlgorithm} ({@code none} and every
 *       {@code HS*} are refused; {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} headers
 *       are ignored, never fetched or trusted),
 *   <li>the signature verifies with the key (nimbus-jose-jwt does the cryptography),
 *   <li>its {@code iss} is the key's organization, it has an {@code exp}, and {@code exp},
 *       {@code nbf} and {@code iat} hold at the {@link MailCore} clock within
 *       {@link AuthSettings#clockSkew()}.
 * </ul>
 *
 * <p><b>Caching and revocation.</b> A key is read from the store the first time a token names
 * it and then kept in memory for {@link AuthSettings#keyCacheTtl()} (default 60 seconds), so
 * verifying a token costs no store round trip. {@link #revoke(UUID)} takes effect at once on
 * the instance that revoked the key, and on other instances sharing the store within
 * {@code keyCacheTtl}.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
 */
public interface AuthKeys {

  /**
   * Registers a public key for an organization.
   *
   * <pre>{@code
   * AuthKey key = mail.authKeys().register("org_1", "deploy bot",
   *     Files.readString(Path.of("public.pem")), AuthKeyAlgorithm.ES256);
   * // the organization signs tokens with the private key, header kid = key.id()
   * }</pre>
   *
   * @param organizationId the organization (1-255 characters), which tokens name as {@code iss}
   * @param name a display name (1-255 characters, one line)
   * @param publicKeyPem one {@code -----BEGIN PUBLIC KEY-----} block (X.509
   *     SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes it)
   * @param algorithm the algorithm the key signs with: {@link AuthKeyAlgorithm#ES256} needs a
   *     P-256 key, {@link AuthKeyAlgorithm#ES384} a P-384 key, {@link AuthKeyAlgorithm#RS256}
   *     an RSA key of 2048 to 8192 bits
   * @return the registered key; its {@link AuthKey#id()} is the {@code kid} to sign with
   * @throws ValidationException if the PEM is not a public key (a private key or a certificate
   *     given by mistake is named as such), the key type or curve does not match
   *     {@code algorithm}, an RSA key is shorter than 2048 or longer than 8192 bits, or a name
   *     is blank
   */
  AuthKey register(String organizationId, String name, String publicKeyPem,
      AuthKeyAlgorithm algorithm);

  /**
   * Looks up a key, revoked or not.
   *
   * @param id the key id
   * @return the key, if it exists
   */
  Optional<AuthKey> get(UUID id);

  /**
   * Lists an organization's keys, revoked ones included, oldest first.
   *
   * @param organizationId the organization
   * @param page which page
   * @return the page
   * @throws ValidationException if the cursor is not one this listing returned
   */
  Page<AuthKey> list(String organizationId, PageRequest page);

  /**
   * Revokes a key: tokens signed with it are refused from now on (on other instances sharing
   * the store, within {@link AuthSettings#keyCacheTtl()}). Revoking a revoked key changes
   * nothing.
   *
   * @param id the key id
   * @return the key with its revocation time
   * @throws NotFoundException if no key has that id
   */
  AuthKey revoke(UUID id);

  /**
   * Verifies a JWT (compact JWS serialization) and says whom it speaks for.
   *
   * @param jwt the token, without any {@code Bearer } prefix
   * @return the organization and key
   * @throws AuthenticationException for every refusal, whatever the reason (see the class
   *     documentation); the message tells the key's owner what to fix
   * @throws NullPointerException if {@code jwt} is null
   */
  Principal authenticate(String jwt);
}
