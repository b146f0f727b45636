package dev.mailcore;

/**
 * A JWT was refused by {@link AuthKeys#authenticate(String)}: malformed, too large, signed with
 * an algorithm or key that is not accepted, expired or not yet valid, or issued for another
 * organization. HTTP 401; never retryable with the same token.
 *
 * <p>Every refusal is this one type, so a host answers all of them the same way. The message
 * is written for the key's owner (it says "expired at ...", "iss ... is not the key's
 * organization", "key ... was revoked") but says nothing about a key until the token's
 * signature has verified with it: a caller without the private key cannot learn whether a key
 * id exists, which organization owns it, or with which algorithm it was registered. Messages
 * never contain the token itself. Immutable and thread-safe.
 */
public final class AuthenticationException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an authentication failure.
   *
   * @param message why the token was refused and what the token's issuer should change
   */
  public AuthenticationException(String message) {
    super(message);
  }

  @Override
  public int httpStatus() {
    return 401;
  }
}
