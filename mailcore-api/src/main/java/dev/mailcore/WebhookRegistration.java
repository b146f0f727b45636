package dev.mailcore;

import java.util.Objects;

/**
 * A registered endpoint with its signing secret. The secret is returned only here (and by
 * {@link WebhookRegistry#rotateSecret}): store it where the receiving application reads it.
 *
 * @param endpoint the endpoint
 * @param secret the signing secret, {@code whsec_} followed by base64 of 32 random bytes
 */
public record WebhookRegistration(WebhookEndpoint endpoint, String secret) {
  /** Checks the fields. */
  public WebhookRegistration {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(secret, "secret");
  }

  /** Keeps the secret out of logs. */
  @Override
  public String toString() {
    return "WebhookRegistration[endpoint=" + endpoint + ", secret=whsec_***]";
  }
}
