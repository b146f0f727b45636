package dev.mailcore;

/**
 * Receives {@link WebhookNotice}s in process, after the change they describe is committed.
 * Called on a dispatcher thread: return quickly, and do not throw (an exception is logged and
 * ignored).
 */
@FunctionalInterface
public interface WebhookListener {

  /**
   * Called once per notice.
   *
   * @param notice what happened
   */
  void onNotice(WebhookNotice notice);
}
