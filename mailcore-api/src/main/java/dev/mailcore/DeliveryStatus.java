package dev.mailcore;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where an outbound message is on its way to the recipient.
 *
 * <pre>
 * Pending ──► Sent ──► Delivered
 *    │          ├────► Bounced(reason)
 *    │          ├────► Complained
 *    └──────────┴────► Failed(reason)
 * </pre>
 *
 * <p>A status never moves backwards: {@link #canAdvanceTo(DeliveryStatus)} is false for a late or
 * duplicate event, and mailcore then keeps the event but not the status change. Delivered may
 * still be followed by Complained (a recipient can complain about mail they received). Closed
 * set, immutable, thread-safe.
 */
public sealed interface DeliveryStatus {

  /** Stored, not yet accepted by the transport. */
  DeliveryStatus PENDING = new Pending();
  /** Accepted by the transport (it returned a provider id). */
  DeliveryStatus SENT = new Sent();
  /** The recipient's server accepted the message. */
  DeliveryStatus DELIVERED = new Delivered();
  /** The recipient marked the message as spam. */
  DeliveryStatus COMPLAINED = new Complained();

  /**
   * The lower-case code used in storage and webhooks: {@code pending}, {@code sent},
   * {@code delivered}, {@code bounced}, {@code complained}, {@code failed}.
   *
   * @return the code
   */
  String code();

  /**
   * Whether this status is final (no further event changes it except a complaint after
   * delivery).
   *
   * @return true for Delivered, Bounced, Complained and Failed
   */
  default boolean terminal() {
    return !(this instanceof Pending) && !(this instanceof Sent);
  }

  /**
   * Whether moving from this status to {@code next} goes forward. Equal statuses and moves back
   * (for example Delivered after Bounced, Sent after Delivered) are not advances.
   *
   * @param next the status an event reports
   * @return true if the message's status should become {@code next}
   */
  default boolean canAdvanceTo(DeliveryStatus next) {
    Objects.requireNonNull(next, "next");
    if (this instanceof Pending) {
      return !(next instanceof Pending);
    }
    if (this instanceof Sent) {
      return next.terminal();
    }
    return this instanceof Delivered && next instanceof Complained;
  }

  /**
   * Builds a status from its storage code.
   *
   * @param code one of the codes {@link #code()} returns
   * @param reason the reason for bounced and failed; ignored for the others (may be null)
   * @return the status
   * @throws ValidationException for an unknown code
   */
  static DeliveryStatus fromCode(String code, @Nullable String reason) {
    Objects.requireNonNull(code, "code");
    String r = reason == null || reason.isBlank() ? "unknown" : reason;
    switch (code) {
      case "pending": return PENDING;
      case "sent": return SENT;
      case "delivered": return DELIVERED;
      case "bounced": return new Bounced(r);
      case "complained": return COMPLAINED;
      case "failed": return new Failed(r);
      default:
        throw new ValidationException("status", "expected pending, sent, delivered, bounced,"
            + " complained or failed, got '" + code + "'");
    }
  }

  /** Stored, not yet handed over. */
  record Pending() implements DeliveryStatus {
    @Override
    public String code() {
      return "pending";
    }

    @Override
    public String toString() {
      return code();
    }
  }

  /** Accepted by the transport. */
  record Sent() implements DeliveryStatus {
    @Override
    public String code() {
      return "sent";
    }

    @Override
    public String toString() {
      return code();
    }
  }

  /** Accepted by the recipient's server. */
  record Delivered() implements DeliveryStatus {
    @Override
    public String code() {
      return "delivered";
    }

    @Override
    public String toString() {
      return code();
    }
  }

  /**
   * Rejected by the recipient's server.
   *
   * @param reason the bounce reason (for example the SMTP diagnostic), never blank
   */
  record Bounced(String reason) implements DeliveryStatus {
    /** Checks the reason. */
    public Bounced {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String code() {
      return "bounced";
    }

    @Override
    public String toString() {
      return code() + ": " + reason;
    }
  }

  /** Marked as spam by the recipient. */
  record Complained() implements DeliveryStatus {
    @Override
    public String code() {
      return "complained";
    }

    @Override
    public String toString() {
      return code();
    }
  }

  /**
   * Could not be sent (rejected by the transport or provider, or a rendering failure).
   *
   * @param reason why, never blank
   */
  record Failed(String reason) implements DeliveryStatus {
    /** Checks the reason. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String code() {
      return "failed";
    }

    @Override
    public String toString() {
      return code() + ": " + reason;
    }
  }
}
