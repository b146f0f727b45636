package dev.mailcore.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request a {@link WebhookReceiver} received, whatever it answered.
 *
 * @param id the {@code webhook-id} header
 * @param timestamp the {@code webhook-timestamp} header
 * @param signature the {@code webhook-signature} header
 * @param body the raw body
 * @param headers all headers (names lower-case)
 * @param verified whether the signature matched one of the receiver's secrets (false when the
 *     receiver has no secret)
 * @param answer what the receiver answered: a status code, or -1 for a hang or reset
 * @param receivedAt when it arrived (wall clock)
 */
public record ReceivedWebhook(String id, String timestamp, String signature, byte[] body,
    Map<String, List<String>> headers, boolean verified, int answer, Instant receivedAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** @return the body as UTF-8 text */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * @return the body parsed as JSON
   * @throws IllegalStateException if it is not JSON
   */
  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("webhook body is not JSON: " + bodyText(), e);
    }
  }

  /** @return the payload's {@code type} */
  public String type() {
    return json().path("type").asText();
  }

  /**
   * @param name a header name (any case)
   * @return its first value
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public String toString() {
    String type;
    try {
      type = JSON.readTree(body).path("type").asText();
    } catch (JsonProcessingException e) {
      type = "(not JSON)";
    } catch (java.io.IOException e) {
      type = "(unreadable)";
    }
    return "ReceivedWebhook[id=" + id + ", type=" + type + ", verified=" + verified
        + ", answer=" + answer + "]";
  }
}
