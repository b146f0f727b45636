package dev.mailcore;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AuthKeys#authenticate(String)} treats tokens and caches keys. Start from
 * {@link #defaults()} or {@link #builder()}; pass the result to
 * {@link MailCore.Builder#authentication(AuthSettings)}. Immutable and thread-safe.
 *
 * <pre>{@code
 * MailCore mail = MailCore.builder()
 *     ...
 *     .authentication(AuthSettings.builder().clockSkew(Duration.ofSeconds(10)).build())
 *     .build();
 * }</pre>
 *
 * @param clockSkew how far the token issuer's clock may be off: a token is still accepted this
 *     long after its {@code exp}, this long before its {@code nbf}, and with an {@code iat} up to
 *     this far in the future
 * @param keyCacheTtl how long a key looked up from the store is used without looking again.
 *     This bounds how long a revocation made through <em>another</em> {@code MailCore} instance
 *     (another application node on the same database) takes to be honoured here; a revocation
 *     through this instance takes effect at once
 * @param maxTokenLength the longest token accepted, in characters; longer ones are refused
 *     before any parsing
 */
public record AuthSettings(Duration clockSkew, Duration keyCacheTtl, int maxTokenLength) {

  private static final AuthSettings DEFAULTS =
      new AuthSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 8192);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if {@code clockSkew} is negative or over 10 minutes,
   *     {@code keyCacheTtl} is negative or over 1 hour, or {@code maxTokenLength} is outside
   *     256..1,048,576
   */
  public AuthSettings {
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(keyCacheTtl, "keyCacheTtl");
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "clockSkew must be between 0 and 10 minutes, got " + clockSkew);
    }
    if (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("keyCacheTtl must be between 0 (look the key up for"
          + " every token) and 1 hour, got " + keyCacheTtl);
    }
    if (maxTokenLength < 256 || maxTokenLength > (1 << 20)) {
      throw new IllegalArgumentException(
          "maxTokenLength must be between 256 and 1048576 characters, got " + maxTokenLength);
    }
  }

  /**
   * The defaults: 30 seconds of clock skew, keys cached for 60 seconds (so a revocation reaches
   * every instance within a minute), tokens of at most 8192 characters.
   *
   * @return the default settings
   */
  public static AuthSettings defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link AuthSettings}. Not thread-safe. */
  public static final class Builder {
    private Duration clockSkew;
    private Duration keyCacheTtl;
    private int maxTokenLength;

    private Builder(AuthSettings from) {
      this.clockSkew = from.clockSkew;
      this.keyCacheTtl = from.keyCacheTtl;
      this.maxTokenLength = from.maxTokenLength;
    }

    /**
     * See {@link AuthSettings#clockSkew()}.
     *
     * @param skew 0 to 10 minutes
     * @return this builder
     */
    public Builder clockSkew(Duration skew) {
      this.clockSkew = Objects.requireNonNull(skew, "skew");
      return this;
    }

    /**
     * See {@link AuthSettings#keyCacheTtl()}: the bound on how late a revocation made on another
     * instance is honoured.
     *
     * @param ttl 0 to 1 hour
     * @return this builder
     */
    public Builder keyCacheTtl(Duration ttl) {
      this.keyCacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * See {@link AuthSettings#maxTokenLength()}.
     *
     * @param length 256 to 1,048,576 characters
     * @return this builder
     */
    public Builder maxTokenLength(int length) {
      this.maxTokenLength = length;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException if a value is out of range (the message names it)
     */
    public AuthSettings build() {
      return new AuthSettings(clockSkew, keyCacheTtl, maxTokenLength);
    }
  }
}
