package dev.mailcore.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryReport;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.StorageException;
import dev.mailcore.spi.DeliveryEventRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How delivery events are stored and folded into a status.
 *
 * <p>The {@code details} JSON of a stored event is
 * {@code {"recipients": [...], "bounceType": "permanent"|"transient", "details": {...}}}: the
 * affected recipients (empty means all), the bounce type for bounces, and the provider's (or the
 * engine's) own data. The status of a message and of each recipient is the fold of its events
 * in stored order with {@link DeliveryStatus#canAdvanceTo}, so a late or duplicate event never
 * moves anything backwards. Stateless and thread-safe.
 */
final class DeliveryLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** Engine detail: the attempt failed in a way a retry may fix; the message stays Pending. */
  static final String RETRYABLE_FAILURE = "retryableFailure";
  /** Engine detail: suppressed recipients dropped by skipSuppressed. */
  static final String SKIPPED = "skippedRecipients";

  private DeliveryLog() {}

  static DeliveryEventRecord record(UUID messageId, Optional<String> providerMessageId,
      DeliveryEvent event, java.time.Instant at) {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("recipients", event.recipients());
    event.bounceType().ifPresent(t -> stored.put("bounceType", t.code()));
    stored.put("details", event.details());
    Optional<String> reason = Optional.empty();
    if (event.status() instanceof DeliveryStatus.Bounced b) {
      reason = Optional.of(b.reason());
    } else if (event.status() instanceof DeliveryStatus.Failed f) {
      reason = Optional.of(f.reason());
    }
    return new DeliveryEventRecord(Uuids.next(), messageId,
        event.sesMessageId().or(() -> providerMessageId), event.status().code(), reason,
        write(stored), at);
  }

  static DeliveryEvent event(DeliveryEventRecord r) {
    Map<String, Object> stored = read(r.detailsJson());
    DeliveryEvent.Builder b = DeliveryEvent.builder().messageId(r.messageId())
        .status(DeliveryStatus.fromCode(r.status(), r.reason().orElse(null)))
        .occurredAt(r.createdAt());
    r.providerMessageId().ifPresent(b::sesMessageId);
    if (stored.get("recipients") instanceof List<?> list) {
      for (Object o : list) {
        b.recipients(String.valueOf(o));
      }
    }
    if (stored.get("bounceType") instanceof String t) {
      b.bounceType(DeliveryEvent.BounceType.valueOf(t.toUpperCase(Locale.ROOT)));
    } else if ("bounced".equals(r.status())) {
      b.bounceType(DeliveryEvent.BounceType.TRANSIENT);
    }
    if (stored.get("details") instanceof Map<?, ?> details) {
      details.forEach((k, v) -> {
        if (v != null) {
          b.detail(String.valueOf(k), v);
        }
      });
    }
    return b.build();
  }

  static DeliveryReport report(EmailMessage m, List<DeliveryEventRecord> records) {
    Map<String, DeliveryStatus> recipients = new LinkedHashMap<>();
    for (EmailAddress a : allRecipients(m)) {
      recipients.put(a.normalized(), DeliveryStatus.PENDING);
    }
    DeliveryStatus overall = DeliveryStatus.PENDING;
    List<DeliveryEvent> events = new ArrayList<>(records.size());
    for (DeliveryEventRecord r : records) {
      DeliveryEvent e = event(r);
      events.add(e);
      DeliveryStatus s = e.status();
      if (overall.canAdvanceTo(s)) {
        overall = s;
      }
      List<String> affected = e.recipients().isEmpty()
          ? List.copyOf(recipients.keySet()) : e.recipients();
      for (String a : affected) {
        DeliveryStatus current = recipients.get(a);
        if (current != null && current.canAdvanceTo(s)) {
          recipients.put(a, s);
        }
      }
    }
    return new DeliveryReport(m.id(), overall, recipients, events);
  }

  static List<EmailAddress> allRecipients(EmailMessage m) {
    List<EmailAddress> all = new ArrayList<>(m.to().size() + m.cc().size() + m.bcc().size());
    all.addAll(m.to());
    all.addAll(m.cc());
    all.addAll(m.bcc());
    return all;
  }

  @SuppressWarnings("unchecked")
  static List<String> skippedRecipients(List<DeliveryEventRecord> records) {
    for (DeliveryEventRecord r : records) {
      Object details = read(r.detailsJson()).get("details");
      if (details instanceof Map<?, ?> map && map.get(SKIPPED) instanceof List<?> list) {
        return (List<String>) list;
      }
    }
    return List.of();
  }

  /** Whether the newest event is a retryable failed attempt (the message can be resent). */
  static boolean resumable(List<DeliveryEventRecord> records) {
    if (records.isEmpty()) {
      return false;
    }
    DeliveryEventRecord last = records.get(records.size() - 1);
    Object details = read(last.detailsJson()).get("details");
    return "pending".equals(last.status()) && details instanceof Map<?, ?> map
        && Boolean.TRUE.equals(map.get(RETRYABLE_FAILURE));
  }

  private static String write(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("delivery details are JSON-safe by construction", e);
    }
  }

  private static Map<String, Object> read(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new StorageException("a stored delivery event has invalid details JSON: "
          + e.getOriginalMessage(), false, e);
    }
  }
}
