package dev.mailcore.internal.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Direction;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.MessageId;
import dev.mailcore.ThreadId;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookNotice;
import dev.mailcore.internal.engine.MessageWriter;
import dev.mailcore.internal.engine.Uuids;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The transactional outbox: turns a change into one delivery row per subscribed endpoint, inside
 * the transaction that makes the change. Callers are one line at the place of the change (see
 * the list in {@code docs/webhooks.md}). Decides which endpoints match (event type, inbox filter)
 * and builds the versioned payload. Thread-safe.
 *
 * <p>Payload envelope (version 1 for every type so far):
 * {@code {"id", "type", "version", "created_at", "organization_id", "inbox_id"?, "sequence",
 * "data"}}, where {@code sequence} counts the events about one subject (the message for message
 * events, the thread, the domain, the endpoint) from 1, so receivers can order them.
 */
public final class WebhookOutbox {
  private final ObjectMapper json;
  private final Clock clock;

  /**
   * Creates the outbox.
   *
   * @param json the mapper payloads are written with
   * @param clock the store clock
   */
  public WebhookOutbox(ObjectMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  /**
   * What {@link MessageWriter#write} did, unless it found a duplicate: see
   * {@link #stored(StoreTransaction, EmailMessage, boolean)}.
   *
   * @param tx the transaction of the write
   * @param written the outcome
   */
  public void written(StoreTransaction tx, MessageWriter.Written written) {
    record(tx, written, null);
  }

  /**
   * As {@link #written(StoreTransaction, MessageWriter.Written)}, with the endpoints of the
   * message's inbox already read by {@link #endpointsOf} in the same transaction: the receive
   * path reads them once per inbox before it takes the inbox locks, instead of once per message
   * while it holds them.
   *
   * @param tx the transaction of the write
   * @param written the outcome
   * @param endpoints the enabled endpoints of the message's inbox
   */
  public void written(StoreTransaction tx, MessageWriter.Written written,
      List<WebhookEndpointRecord> endpoints) {
    record(tx, written, Objects.requireNonNull(endpoints, "endpoints"));
  }

  /** {@code known} is the inbox's endpoints when the caller read them already, else null. */
  private void record(StoreTransaction tx, MessageWriter.Written written,
      List<WebhookEndpointRecord> known) {
    if (!written.duplicate()) {
      written.survivor().ifPresent(s -> written.placement().orElseThrow().mergedThreads()
          .forEach(old -> threadEvent(tx, WebhookEventType.THREAD_MERGED, s, Optional.of(old),
              known)));
      stored(tx, written.message(),
          written.rule().filter(ThreadPlacement.Rule.NEW_THREAD::equals).isPresent(), known);
    }
  }

  /**
   * The enabled endpoints of each inbox, for
   * {@link #written(StoreTransaction, MessageWriter.Written, List)}: one store lookup per domain,
   * since the store answers with the endpoints of the organization that owns the inbox's domain
   * ({@link dev.mailcore.spi.WebhookStore#findEnabledEndpointsOfInbox}), the same for every
   * inbox of the domain; which of them an event goes to is decided per inbox later.
   *
   * @param tx the transaction the messages will be written in
   * @param inboxes the inboxes
   * @return the endpoints by inbox id, with an entry for every given inbox
   */
  public Map<UUID, List<WebhookEndpointRecord>> endpointsOf(StoreTransaction tx,
      Collection<Inbox> inboxes) {
    Map<UUID, List<WebhookEndpointRecord>> byDomain = new HashMap<>();
    Map<UUID, List<WebhookEndpointRecord>> out = new HashMap<>();
    for (Inbox inbox : inboxes) {
      out.put(inbox.id(), byDomain.computeIfAbsent(inbox.domainId(),
          k -> tx.webhooks().findEnabledEndpointsOfInbox(inbox.id())));
    }
    return out;
  }

  /** The inbox's enabled endpoints: {@code known} if the caller read them already, else read. */
  private static List<WebhookEndpointRecord> endpointsOfInbox(StoreTransaction tx, UUID inboxId,
      List<WebhookEndpointRecord> known) {
    return known != null ? known : tx.webhooks().findEnabledEndpointsOfInbox(inboxId);
  }

  /**
   * A message was stored in an inbox: {@code message.received} for inbound mail, and
   * {@code thread.created} when it started a thread (either direction).
   *
   * @param tx the transaction that stored it
   * @param message the stored message
   * @param newThread whether it started its thread
   */
  public void stored(StoreTransaction tx, EmailMessage message, boolean newThread) {
    stored(tx, message, newThread, null);
  }

  /** {@code known} is the inbox's endpoints when the caller read them already, else null. */
  private void stored(StoreTransaction tx, EmailMessage message, boolean newThread,
      List<WebhookEndpointRecord> known) {
    boolean inbound = message.direction() == Direction.INBOUND;
    if (!inbound && !newThread) {
      return;
    }
    List<WebhookEndpointRecord> candidates = endpointsOfInbox(tx, message.inboxId(), known);
    if (candidates.isEmpty()) {
      return;
    }
    if (newThread) {
      ObjectNode data = json.createObjectNode();
      data.set("thread", threadNode(message.threadId().value(), message.inboxId(),
          message.subject(), message.createdAt(), Optional.empty()));
      data.put("first_message_id", message.id().toString());
      emit(tx, candidates, WebhookEventType.THREAD_CREATED, Optional.of(message.inboxId()),
          message.threadId().value(), data, Optional.empty());
    }
    if (inbound) {
      ObjectNode data = json.createObjectNode();
      data.set("message", messageNode(message));
      emit(tx, candidates, WebhookEventType.MESSAGE_RECEIVED, Optional.of(message.inboxId()),
          message.id(), data, Optional.empty());
    }
  }

  /**
   * A delivery event of an outbound message was recorded: {@code message.sent},
   * {@code message.delivered}, {@code message.bounced}, {@code message.complained},
   * {@code message.failed} or {@code message.delivery_delayed} (a provider's Pending report;
   * the engine's own Pending records emit nothing).
   *
   * @param tx the transaction that recorded it
   * @param message the message
   * @param event the event
   */
  public void delivery(StoreTransaction tx, EmailMessage message, DeliveryEvent event) {
    Optional<WebhookEventType> type = typeOf(event.status());
    if (type.isEmpty()) {
      return;
    }
    List<WebhookEndpointRecord> candidates =
        tx.webhooks().findEnabledEndpointsOfInbox(message.inboxId());
    if (candidates.isEmpty()) {
      return;
    }
    ObjectNode data = json.createObjectNode();
    data.set("message", messageNode(message));
    ObjectNode d = data.putObject("delivery");
    d.put("status", event.status().code());
    if (event.status() instanceof DeliveryStatus.Bounced b) {
      d.put("reason", b.reason());
    } else if (event.status() instanceof DeliveryStatus.Failed f) {
      d.put("reason", f.reason());
    }
    event.bounceType().ifPresent(t -> d.put("bounce_type", t.code()));
    ArrayNode recipients = d.putArray("recipients");
    event.recipients().forEach(recipients::add);
    event.sesMessageId().or(message::providerMessageId)
        .ifPresent(id -> d.put("provider_message_id", id));
    event.occurredAt().ifPresent(t -> d.put("occurred_at", t.toString()));
    emit(tx, candidates, type.get(), Optional.of(message.inboxId()), message.id(), data,
        Optional.empty());
  }

  /**
   * A thread changed: {@code thread.deleted}.
   *
   * @param tx the transaction
   * @param type the event type
   * @param thread the thread as it is now
   */
  public void thread(StoreTransaction tx, WebhookEventType type, EmailThread thread) {
    threadEvent(tx, type, thread, Optional.empty(), null);
  }

  /**
   * A thread event: {@code data.thread}, plus {@code merged_thread_id} for a merge
   * ({@code thread.merged}: the thread is the survivor, counted in its sequence).
   * {@code known} is the inbox's endpoints when the caller read them already, else null.
   */
  private void threadEvent(StoreTransaction tx, WebhookEventType type, EmailThread thread,
      Optional<ThreadId> merged, List<WebhookEndpointRecord> known) {
    List<WebhookEndpointRecord> candidates = endpointsOfInbox(tx, thread.inboxId(), known);
    if (candidates.isEmpty()) {
      return;
    }
    ObjectNode data = json.createObjectNode();
    data.set("thread", threadNode(thread.id().value(), thread.inboxId(), thread.subject(),
        thread.createdAt(), Optional.of(thread)));
    merged.ifPresent(old -> data.put("merged_thread_id", old.value().toString()));
    emit(tx, candidates, type, Optional.of(thread.inboxId()), thread.id().value(), data,
        Optional.empty());
  }

  /**
   * A domain changed: {@code domain.verified}.
   *
   * @param tx the transaction
   * @param type the event type
   * @param domain the domain as it is now
   */
  public void domain(StoreTransaction tx, WebhookEventType type, Domain domain) {
    List<WebhookEndpointRecord> candidates =
        tx.webhooks().findEnabledEndpoints(domain.organizationId());
    if (candidates.isEmpty()) {
      return;
    }
    ObjectNode data = json.createObjectNode();
    ObjectNode d = data.putObject("domain");
    d.put("id", domain.id().toString());
    d.put("name", domain.name());
    ObjectNode v = d.putObject("verification");
    v.put("mx", domain.verification().mx());
    v.put("spf", domain.verification().spf());
    v.put("dkim", domain.verification().dkim());
    v.put("dmarc", domain.verification().dmarc());
    emit(tx, candidates, type, Optional.empty(), domain.id(), data, Optional.empty());
  }

  /**
   * Something about webhook delivery itself: {@code endpoint.disabled},
   * {@code endpoint.recovered}, {@code delivery.exhausted}, to the organization's other
   * endpoints (never to the endpoint concerned).
   *
   * @param tx the transaction that made the change
   * @param notice what happened
   */
  public void notice(StoreTransaction tx, WebhookNotice notice) {
    List<WebhookEndpointRecord> candidates =
        tx.webhooks().findEnabledEndpoints(notice.organizationId());
    if (candidates.isEmpty()) {
      return;
    }
    ObjectNode data = json.createObjectNode();
    data.put("endpoint_id", notice.endpointId().toString());
    WebhookEventType type;
    if (notice instanceof WebhookNotice.EndpointDisabled n) {
      type = WebhookEventType.ENDPOINT_DISABLED;
      data.put("reason", n.reason());
    } else if (notice instanceof WebhookNotice.EndpointRecovered) {
      type = WebhookEventType.ENDPOINT_RECOVERED;
    } else {
      WebhookNotice.DeliveryExhausted n = (WebhookNotice.DeliveryExhausted) notice;
      type = WebhookEventType.DELIVERY_EXHAUSTED;
      data.put("delivery_id", n.deliveryId().toString());
      data.put("event_id", n.eventId().toString());
      data.put("last_error", n.lastError());
    }
    emit(tx, candidates, type, Optional.empty(), notice.endpointId(), data,
        Optional.of(notice.endpointId()));
  }

  private void emit(StoreTransaction tx, List<WebhookEndpointRecord> candidates,
      WebhookEventType type, Optional<UUID> inboxId, UUID subjectId, ObjectNode data,
      Optional<UUID> exclude) {
    List<WebhookEndpointRecord> targets = new ArrayList<>();
    for (WebhookEndpointRecord e : candidates) {
      if (e.events().contains(type.wireName()) && !exclude.equals(Optional.of(e.id()))
          && (inboxId.isEmpty() || e.inboxIds().isEmpty()
              || e.inboxIds().get().contains(inboxId.get()))) {
        targets.add(e);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    UUID eventId = Uuids.next();
    ObjectNode envelope = json.createObjectNode();
    envelope.put("id", eventId.toString());
    envelope.put("type", type.wireName());
    envelope.put("version", type.payloadVersion());
    envelope.put("created_at", now.toString());
    envelope.put("organization_id", targets.get(0).organizationId());
    inboxId.ifPresent(id -> envelope.put("inbox_id", id.toString()));
    envelope.put("sequence", tx.webhooks().nextSequence(subjectId));
    envelope.set("data", data);
    String payload = envelope.toString();
    List<WebhookDeliveryRecord> rows = new ArrayList<>(targets.size());
    for (WebhookEndpointRecord e : targets) {
      rows.add(new WebhookDeliveryRecord(Uuids.next(), e.id(), eventId, type.wireName(),
          payload, WebhookRows.PENDING, 0, now, Optional.empty(), Optional.empty(),
          Optional.empty(), now, 0));
    }
    tx.webhooks().insertDeliveries(rows);
  }

  private static Optional<WebhookEventType> typeOf(DeliveryStatus status) {
    if (status instanceof DeliveryStatus.Sent) {
      return Optional.of(WebhookEventType.MESSAGE_SENT);
    } else if (status instanceof DeliveryStatus.Delivered) {
      return Optional.of(WebhookEventType.MESSAGE_DELIVERED);
    } else if (status instanceof DeliveryStatus.Bounced) {
      return Optional.of(WebhookEventType.MESSAGE_BOUNCED);
    } else if (status instanceof DeliveryStatus.Complained) {
      return Optional.of(WebhookEventType.MESSAGE_COMPLAINED);
    } else if (status instanceof DeliveryStatus.Failed) {
      return Optional.of(WebhookEventType.MESSAGE_FAILED);
    }
    return Optional.of(WebhookEventType.MESSAGE_DELIVERY_DELAYED);
  }

  private ObjectNode messageNode(EmailMessage m) {
    ObjectNode n = json.createObjectNode();
    n.put("id", m.id().toString());
    n.put("message_id", m.messageId().value());
    n.put("thread_id", m.threadId().value().toString());
    n.put("inbox_id", m.inboxId().toString());
    n.put("direction", m.direction().name().toLowerCase(java.util.Locale.ROOT));
    n.set("from", address(m.from()));
    n.set("to", addresses(m.to()));
    n.set("cc", addresses(m.cc()));
    if (m.direction() == Direction.OUTBOUND) {
      n.set("bcc", addresses(m.bcc()));
    }
    n.put("subject", m.subject());
    n.put("sent_at", m.sentAt().toString());
    m.inReplyTo().ifPresent(r -> n.put("in_reply_to", r.value()));
    ArrayNode refs = n.putArray("references");
    for (MessageId r : m.references()) {
      refs.add(r.value());
    }
    ArrayNode atts = n.putArray("attachments");
    for (EmailAttachment a : m.attachments()) {
      ObjectNode x = atts.addObject();
      x.put("id", a.id().toString());
      x.put("filename", a.filename());
      x.put("content_type", a.contentType());
      x.put("size_bytes", a.sizeBytes());
      a.contentId().ifPresent(c -> x.put("content_id", c));
      x.put("inline", a.inline());
    }
    m.providerMessageId().ifPresent(p -> n.put("provider_message_id", p));
    n.put("created_at", m.createdAt().toString());
    return n;
  }

  private ObjectNode threadNode(UUID id, UUID inboxId, String subject, Instant createdAt,
      Optional<EmailThread> thread) {
    ObjectNode n = json.createObjectNode();
    n.put("id", id.toString());
    n.put("inbox_id", inboxId.toString());
    n.put("subject", subject);
    n.put("created_at", createdAt.toString());
    thread.ifPresent(t -> {
      n.put("message_count", t.messageCount());
      n.put("updated_at", t.updatedAt().toString());
      t.deletedAt().ifPresent(d -> n.put("deleted_at", d.toString()));
    });
    return n;
  }

  private ObjectNode address(EmailAddress a) {
    ObjectNode n = json.createObjectNode();
    n.put("address", a.address());
    a.name().ifPresent(name -> n.put("name", name));
    return n;
  }

  private ArrayNode addresses(List<EmailAddress> list) {
    ArrayNode arr = json.createArrayNode();
    list.forEach(a -> arr.add(address(a)));
    return arr;
  }
}
