package dev.mailcore;

import java.util.Locale;
import java.util.Objects;

/**
 * The events mailcore posts to webhook endpoints. The wire name ({@link #wireName()}, for example
 * {@code message.received}) is the {@code type} of the payload; {@link #payloadVersion()} is its
 * {@code version}, raised whenever a field changes meaning or disappears (added fields do not
 * raise it). The catalogue, with a JSON schema per type, is in {@code docs/webhooks.md}.
 */
public enum WebhookEventType {
  /** A message was stored in an inbox (once per inbox it was routed to). */
  MESSAGE_RECEIVED("message.received"),
  /** An outbound message was accepted by the transport. */
  MESSAGE_SENT("message.sent"),
  /** The provider reported delivery to the recipient's server. */
  MESSAGE_DELIVERED("message.delivered"),
  /** The provider reported a bounce. */
  MESSAGE_BOUNCED("message.bounced"),
  /** A recipient marked the message as spam. */
  MESSAGE_COMPLAINED("message.complained"),
  /** Sending failed for good. */
  MESSAGE_FAILED("message.failed"),
  /** The provider reported a delay; it keeps trying. */
  MESSAGE_DELIVERY_DELAYED("message.delivery_delayed"),
  /** A message started a new thread. */
  THREAD_CREATED("thread.created"),
  /** A thread was deleted. */
  THREAD_DELETED("thread.deleted"),
  /** A message linked two threads: one was merged into the other (the survivor). */
  THREAD_MERGED("thread.merged"),
  /** Every DNS record of a domain passed verification, for the first time. */
  DOMAIN_VERIFIED("domain.verified"),
  /** An endpoint of the organization was disabled (consecutive failures, or 410 Gone). */
  ENDPOINT_DISABLED("endpoint.disabled"),
  /** A failing endpoint of the organization succeeded again. */
  ENDPOINT_RECOVERED("endpoint.recovered"),
  /** A delivery to an endpoint of the organization used up its retries. */
  DELIVERY_EXHAUSTED("delivery.exhausted");

  private final String wireName;

  WebhookEventType(String wireName) {
    this.wireName = wireName;
  }

  /** @return the name on the wire, for example {@code message.received} */
  public String wireName() {
    return wireName;
  }

  /** @return the version of this type's payload (1 for every type so far) */
  public int payloadVersion() {
    return 1;
  }

  /**
   * The type with this wire name.
   *
   * @param wireName for example {@code message.received}
   * @return the type
   * @throws ValidationException if no type has that name
   */
  public static WebhookEventType fromWireName(String wireName) {
    Objects.requireNonNull(wireName, "wireName");
    for (WebhookEventType t : values()) {
      if (t.wireName.equals(wireName.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new ValidationException("eventType", "unknown webhook event type '" + wireName
        + "'; see WebhookEventType for the catalogue");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
