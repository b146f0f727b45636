package dev.mailcore;

/**
 * Health of a webhook endpoint. Consecutive failed attempts move it from {@link #ACTIVE} to
 * {@link #WARNING} to {@link #DISABLED} (thresholds in {@link WebhookSettings}); a 410 Gone
 * answer disables it at once; a success makes it {@link #ACTIVE} again. Disabled endpoints get no
 * new events and their pending deliveries wait until {@link WebhookRegistry#enable}.
 */
public enum WebhookEndpointStatus {
  /** Delivering normally. */
  ACTIVE,
  /** Failing, still receiving attempts. */
  WARNING,
  /** Not receiving anything until enabled. */
  DISABLED
}
