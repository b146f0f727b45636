package dev.mailcore;

/** Where one delivery of one event to one endpoint stands. */
public enum WebhookDeliveryStatus {
  /** Waiting for its next attempt (or being attempted). */
  PENDING,
  /** The endpoint answered 2xx. */
  DELIVERED,
  /** Retries used up, or the endpoint answered 410 Gone. */
  FAILED
}
