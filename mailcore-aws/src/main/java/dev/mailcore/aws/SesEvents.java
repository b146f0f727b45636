package dev.mailcore.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryEvent.BounceType;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.ValidationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates one SES sending event (event publishing, {@code eventType}) or notification
 * ({@code notificationType}) into the {@link DeliveryEvent}s mailcore records. Only translates:
 * what an event does to a message's status and the suppression list is the engine's
 * ({@code deliveries().record}).
 *
 * <table>
 *   <caption>SES event to mailcore event</caption>
 *   <tr><th>SES</th><th>mailcore</th></tr>
 *   <tr><td>Send</td><td>Sent, all recipients, at {@code mail.timestamp}</td></tr>
 *   <tr><td>Delivery</td><td>Delivered, {@code delivery.recipients}</td></tr>
 *   <tr><td>Bounce Permanent</td><td>one Bounced(PERMANENT) per bounced recipient, reason =
 *       its diagnostic code (or status); suppresses it</td></tr>
 *   <tr><td>Bounce Transient, Undetermined</td><td>one Bounced(TRANSIENT) per recipient; not
 *       suppressed (SES itself does not know the address is bad)</td></tr>
 *   <tr><td>Complaint</td><td>Complained, {@code complainedRecipients}; suppresses them</td></tr>
 *   <tr><td>Reject</td><td>Failed("rejected by SES: reason")</td></tr>
 *   <tr><td>Rendering Failure</td><td>Failed("rendering failed: errorMessage")</td></tr>
 *   <tr><td>DeliveryDelay</td><td>a Pending event for the delayed recipients (kept in the
 *       history, emits {@code message.delivery_delayed}, never moves a status back)</td></tr>
 * </table>
 *
 * <p>Every event's details carry {@code sesEvent} (the SES type) and SES's own fields under
 * their SES names ({@code diagnosticCode}, {@code status}, {@code bounceType},
 * {@code bounceSubType}, {@code complaintFeedbackType}, {@code feedbackId},
 * {@code reportingMTA}, ...). Stateless and thread-safe.
 */
final class SesEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SesEvents.class);

  private SesEvents() {}

  /** What one SES JSON becomes: events to record, or a reason to ignore it. */
  record Translation(List<DeliveryEvent> events, @Nullable String ignored) {
    static Translation ignore(String reason) {
      return new Translation(List.of(), reason);
    }
  }

  /**
   * Translates an SES event or notification.
   *
   * @param type the {@code eventType} or {@code notificationType} value
   * @param root the whole JSON
   * @return the events, or why there are none
   */
  static Translation translate(String type, JsonNode root) {
    String sesId = text(root.path("mail"), "messageId");
    if (sesId == null || sesId.isBlank()) {
      return Translation.ignore("SES " + type + " without mail.messageId");
    }
    Instant mailTime = time(root.path("mail"), "timestamp");
    switch (type) {
      case "Send":
        return one(base(sesId, type, mailTime).status(DeliveryStatus.SENT));
      case "Delivery":
        return delivery(sesId, type, root.path("delivery"));
      case "Bounce":
        return bounce(sesId, type, root.path("bounce"));
      case "Complaint":
        return complaint(sesId, type, root.path("complaint"));
      case "Reject": {
        String reason = orElse(text(root.path("reject"), "reason"), "no reason given");
        return one(base(sesId, type, mailTime).failed("rejected by SES: " + reason)
            .detail("rejectReason", reason));
      }
      case "Rendering Failure":
      case "RenderingFailure": {
        JsonNode f = root.path("failure");
        String message = orElse(text(f, "errorMessage"), "no error message given");
        DeliveryEvent.Builder b = base(sesId, type, mailTime)
            .failed("rendering failed: " + message);
        putText(b, f, "errorMessage");
        putText(b, f, "templateName");
        return one(b);
      }
      case "DeliveryDelay":
        return delay(sesId, type, root.path("deliveryDelay"));
      default:
        return Translation.ignore("SES event type '" + type + "' is not a delivery event");
    }
  }

  private static Translation delivery(String sesId, String type, JsonNode d) {
    DeliveryEvent.Builder b = base(sesId, type, time(d, "timestamp")).delivered();
    addresses(d.path("recipients"), b);
    putText(b, d, "smtpResponse");
    putText(b, d, "reportingMTA");
    putText(b, d, "remoteMtaIp");
    if (d.path("processingTimeMillis").isIntegralNumber()) {
      b.detail("processingTimeMillis", d.path("processingTimeMillis").asLong());
    }
    return one(b);
  }

  private static Translation bounce(String sesId, String type, JsonNode bounce) {
    String sesType = orElse(text(bounce, "bounceType"), "Undetermined");
    // Only a Permanent bounce says the address is bad; Transient and Undetermined do not, so
    // they must not suppress it.
    BounceType bounceType = sesType.toLowerCase(Locale.ROOT).equals("permanent")
        ? BounceType.PERMANENT : BounceType.TRANSIENT;
    String subType = text(bounce, "bounceSubType");
    Instant at = time(bounce, "timestamp");
    List<DeliveryEvent> events = new ArrayList<>();
    for (JsonNode r : bounce.path("bouncedRecipients")) {
      String address = text(r, "emailAddress");
      if (address == null) {
        continue;
      }
      String diagnostic = text(r, "diagnosticCode");
      String status = text(r, "status");
      String reason = diagnostic != null ? diagnostic
          : status != null ? status
          : sesType + (subType == null ? "" : "/" + subType);
      DeliveryEvent.Builder b = base(sesId, type, at).bounced(bounceType, reason)
          .detail("bounceType", sesType);
      if (subType != null) {
        b.detail("bounceSubType", subType);
      }
      putText(b, bounce, "feedbackId");
      putText(b, bounce, "reportingMTA");
      putText(b, bounce, "remoteMtaIp");
      putText(b, r, "diagnosticCode");
      putText(b, r, "status");
      putText(b, r, "action");
      build(b.recipients(address), events);
    }
    if (events.isEmpty()) {
      // Recording it for "all recipients" would suppress addresses SES never named.
      return Translation.ignore("SES bounce of " + sesId + " names no valid bounced recipient");
    }
    return new Translation(events, null);
  }

  private static Translation complaint(String sesId, String type, JsonNode c) {
    DeliveryEvent.Builder b = base(sesId, type, time(c, "timestamp")).complained();
    int named = addresses(c.path("complainedRecipients"), b);
    if (named == 0) {
      return Translation.ignore("SES complaint about " + sesId
          + " names no valid complained recipient");
    }
    putText(b, c, "complaintFeedbackType");
    putText(b, c, "complaintSubType");
    putText(b, c, "feedbackId");
    putText(b, c, "userAgent");
    putText(b, c, "arrivalDate");
    return one(b);
  }

  private static Translation delay(String sesId, String type, JsonNode d) {
    DeliveryEvent.Builder b = base(sesId, type, time(d, "timestamp"))
        .status(DeliveryStatus.PENDING);
    addresses(d.path("delayedRecipients"), b);
    putText(b, d, "delayType");
    putText(b, d, "expirationTime");
    putText(b, d, "reportingMTA");
    List<Object> perRecipient = new ArrayList<>();
    for (JsonNode r : d.path("delayedRecipients")) {
      Map<String, Object> one = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : r.properties()) {
        if (e.getValue().isTextual()) {
          one.put(e.getKey(), e.getValue().asText());
        }
      }
      perRecipient.add(one);
    }
    if (!perRecipient.isEmpty()) {
      b.detail("delayedRecipients", perRecipient);
    }
    return one(b);
  }

  private static DeliveryEvent.Builder base(String sesId, String type, @Nullable Instant at) {
    DeliveryEvent.Builder b = DeliveryEvent.builder().sesMessageId(sesId).detail("sesEvent", type);
    if (at != null) {
      b.occurredAt(at);
    }
    return b;
  }

  /** Adds the valid addresses of an SES recipient array (strings or emailAddress objects). */
  private static int addresses(JsonNode array, DeliveryEvent.Builder b) {
    int n = 0;
    for (JsonNode r : array) {
      String address = r.isTextual() ? r.asText() : text(r, "emailAddress");
      if (address != null && valid(address)) {
        b.recipients(address);
        n++;
      }
    }
    return n;
  }

  private static boolean valid(String address) {
    try {
      dev.mailcore.EmailAddress.of(address);
      return true;
    } catch (ValidationException e) {
      LOG.warn("SES named a recipient that is not an address, left out: {}", e.getMessage());
      return false;
    }
  }

  private static Translation one(DeliveryEvent.Builder b) {
    List<DeliveryEvent> events = new ArrayList<>(1);
    build(b, events);
    return events.isEmpty() ? Translation.ignore("SES event does not make a valid event")
        : new Translation(events, null);
  }

  private static void build(DeliveryEvent.Builder b, List<DeliveryEvent> into) {
    try {
      into.add(b.build());
    } catch (ValidationException e) {
      LOG.warn("SES event left out, it does not make a valid delivery event: {}",
          e.getMessage());
    }
  }

  private static void putText(DeliveryEvent.Builder b, JsonNode node, String field) {
    String v = text(node, field);
    if (v != null) {
      b.detail(field, v);
    }
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  static @Nullable Instant time(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      LOG.debug("SES timestamp {}={} is not ISO-8601, ignored", field, v);
      return null;
    }
  }

  private static String orElse(@Nullable String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  static Optional<String> type(JsonNode root) {
    String t = text(root, "eventType");
    if (t == null) {
      t = text(root, "notificationType");
    }
    return Optional.ofNullable(t);
  }
}
