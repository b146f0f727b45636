package dev.mailcore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request came from mailcore, for applications that receive them. Follows
 * the Standard Webhooks specification: the signed content is
 * {@code webhook-id + "." + webhook-timestamp + "." + body}, signed with HMAC-SHA256 under the
 * base64-decoded part of the {@code whsec_...} secret, and {@code webhook-signature} holds one
 * or more space-separated {@code v1,<base64>} signatures (two while a rotated secret is in its
 * grace period).
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret(System.getenv("MAILCORE_WHSEC"))
 *     .build();
 * verifier.verify(request.headers(), request.bodyBytes()); // throws if forged or stale
 * }</pre>
 *
 * <p>Comparison is constant-time. Several secrets may be configured (while the receiver moves to
 * a rotated one); a request is accepted if any signature matches any secret. Immutable and
 * thread-safe.
 */
public final class WebhookVerifier {
  /** Header carrying the event id. */
  public static final String ID_HEADER = "webhook-id";
  /** Header carrying the send time in Unix seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  /** Header carrying the signatures. */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String PREFIX = "whsec_";
  private static final String HMAC = "HmacSHA256";
  /** One Mac per thread, re-keyed by every {@code init}: signing happens per attempt. */
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  });

  private final List<byte[]> keys;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.tolerance = b.tolerance;
    this.clock = b.clock;
  }

  /** @return a builder (at least one secret is required) */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a request given its headers (names matched case-insensitively, first value used).
   *
   * @param headers the request headers
   * @param body the raw request body, exactly as received
   * @throws WebhookVerificationException if a header is missing or malformed, the timestamp is
   *     outside the tolerance, or no signature matches
   */
  public void verify(Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    verify(header(headers, ID_HEADER), header(headers, TIMESTAMP_HEADER),
        header(headers, SIGNATURE_HEADER), body);
  }

  /**
   * Verifies a request given the three header values.
   *
   * @param id the {@code webhook-id} value
   * @param timestamp the {@code webhook-timestamp} value
   * @param signatures the {@code webhook-signature} value
   * @param body the raw request body, exactly as received
   * @throws WebhookVerificationException if a value is missing or malformed, the timestamp is
   *     outside the tolerance, or no signature matches
   */
  public void verify(String id, String timestamp, String signatures, byte[] body) {
    Objects.requireNonNull(body, "body");
    if (id == null || timestamp == null || signatures == null) {
      throw new WebhookVerificationException("missing " + ID_HEADER + ", " + TIMESTAMP_HEADER
          + " or " + SIGNATURE_HEADER + " header");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException(TIMESTAMP_HEADER + " '" + timestamp
          + "' is not Unix seconds");
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - seconds) > tolerance.getSeconds()) {
      throw new WebhookVerificationException(TIMESTAMP_HEADER + " " + seconds + " is more than "
          + tolerance + " away from now (" + now + "); a replayed or delayed request, or a"
          + " clock out of sync");
    }
    for (byte[] key : keys) {
      byte[] expected = mac(key, id, seconds, body).getBytes(StandardCharsets.US_ASCII);
      for (String candidate : signatures.strip().split(" +")) {
        int comma = candidate.indexOf(',');
        if (comma > 0 && candidate.substring(0, comma).equals("v1")
            && MessageDigest.isEqual(expected,
                candidate.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))) {
          return;
        }
      }
    }
    throw new WebhookVerificationException("no v1 signature in " + SIGNATURE_HEADER
        + " matches the configured secrets");
  }

  /**
   * Computes one signature, {@code v1,<base64>}: what mailcore sends, for tests and tools.
   *
   * @param secret a {@code whsec_...} secret (or its base64 part)
   * @param id the event id
   * @param timestamp Unix seconds
   * @param body the body
   * @return the signature
   * @throws IllegalArgumentException if the secret is not base64
   */
  public static String sign(String secret, String id, long timestamp, byte[] body) {
    return "v1," + mac(key(secret), id, timestamp, body);
  }

  private static String mac(byte[] key, String id, long timestamp, byte[] body) {
    try {
      Mac mac = MACS.get(); // a provider lookup per signature is most of its cost; init resets
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  private static byte[] key(String secret) {
    Objects.requireNonNull(secret, "secret");
    String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook secret is not whsec_ followed by base64;"
          + " pass the secret WebhookRegistry.register returned", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    return key;
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)
          && e.getValue() != null && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** Builds a {@link WebhookVerifier}. Not thread-safe. */
  public static final class Builder {
    private final List<byte[]> keys = new ArrayList<>();
    private Duration tolerance = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a secret that signatures may match (call again for each secret during a rotation).
     *
     * @param secret a {@code whsec_...} secret
     * @return this builder
     * @throws IllegalArgumentException if it is not {@code whsec_} plus base64
     */
    public Builder secret(String secret) {
      keys.add(key(secret));
      return this;
    }

    /**
     * How far {@code webhook-timestamp} may be from now, either way (default 5 minutes).
     *
     * @param tolerance positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isZero() || tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * The clock "now" is read from (default system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the verifier
     * @throws IllegalStateException if no secret was given
     */
    public WebhookVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("WebhookVerifier.builder(): add at least one"
            + " secret(\"whsec_...\")");
      }
      return new WebhookVerifier(this);
    }
  }
}
