package dev.mailcore.internal.engine;

import dev.mailcore.Deliveries;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.DeliveryReport;
import dev.mailcore.DeliveryStatus;
import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailMessage;
import dev.mailcore.NotFoundException;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.DeliveryEventRecord;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class DeliveriesImpl implements Deliveries {
  private final Engine engine;

  private final Scope scope;

  DeliveriesImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  @Override
  public DeliveryReport status(UUID messageId) {
    Objects.requireNonNull(messageId, "messageId");
    return engine.store().inTransaction(tx -> {
      EmailMessage m = tx.messages().find(scope, messageId)
          .orElseThrow(() -> new NotFoundException("message", messageId.toString()));
      return DeliveryLog.report(m, tx.deliveryEvents().list(m.id()));
    });
  }

  @Override
  public List<DeliveryEvent> events(UUID messageId) {
    return status(messageId).events();
  }

  @Override
  public DeliveryReport record(DeliveryEvent event) {
    return apply(event).report();
  }

  @Override
  public Optional<DeliveryReport> recordIfNew(DeliveryEvent event) {
    Applied applied = apply(event);
    return applied.repeat() ? Optional.empty() : Optional.of(applied.report());
  }

  /** What recording an event did: the report after it, and whether it was an exact repeat. */
  private record Applied(DeliveryReport report, boolean repeat) {}

  private Applied apply(DeliveryEvent event) {
    Objects.requireNonNull(event, "event");
    Instant now = engine.config().clock().instant();
    return engine.store().inTransaction(tx -> {
      EmailMessage m = resolve(tx, scope, event);
      if (m.direction() != Direction.OUTBOUND) {
        throw new ValidationException("messageId", "message " + m.id() + " was received, not"
            + " sent; delivery events apply to outbound messages only");
      }
      List<DeliveryEventRecord> existing = tx.deliveryEvents().list(m.id());
      boolean repeat = isRepeat(existing, event);
      if (!repeat) {
        Instant at = event.occurredAt().orElse(now);
        tx.deliveryEvents().insert(DeliveryLog.record(m.id(), m.providerMessageId(), event, at));
        engine.outbox().delivery(tx, m, event);
        if (event.suppresses()) {
          suppress(tx, m, event, at);
        }
        existing = tx.deliveryEvents().list(m.id());
      }
      return new Applied(DeliveryLog.report(m, existing), repeat);
    });
  }

  static void suppress(StoreTransaction tx, EmailMessage m, DeliveryEvent event, Instant at) {
    List<String> affected = event.recipients().isEmpty()
        ? DeliveryLog.allRecipients(m).stream().map(EmailAddress::normalized).toList()
        : event.recipients();
    SuppressionReason reason = event.status() instanceof DeliveryStatus.Complained
        ? SuppressionReason.COMPLAINT : SuppressionReason.BOUNCE;
    Optional<String> detail = event.status() instanceof DeliveryStatus.Bounced b
        ? Optional.of(b.reason()) : Optional.of("complaint about message " + m.messageId());
    for (String address : affected) {
      SuppressionsImpl.addIfAbsent(tx, new Suppression(address, reason, detail, at));
    }
  }

  private static EmailMessage resolve(StoreTransaction tx, Scope scope, DeliveryEvent event) {
    if (event.messageId().isPresent()) {
      UUID id = event.messageId().get();
      EmailMessage m = tx.messages().find(scope, id)
          .orElseThrow(() -> new NotFoundException("message", id.toString()));
      if (event.sesMessageId().isPresent() && m.providerMessageId().isPresent()
          && !m.providerMessageId().equals(event.sesMessageId())) {
        throw new ValidationException("sesMessageId", "message " + id + " has provider id "
            + m.providerMessageId().get() + ", the event names " + event.sesMessageId().get()
            + "; give one id or make them agree");
      }
      return m;
    }
    String ses = event.sesMessageId().orElseThrow();
    // The provider's id is correlated across the account (it comes from the provider, not a
    // tenant); a scoped caller then sees the message only if the scoped lookup finds it.
    return tx.messages().findByProviderMessageId(ses)
        .flatMap(m -> scope.organizationId().isEmpty() ? Optional.of(m)
            : tx.messages().find(scope, m.id()))
        .orElseThrow(() -> new NotFoundException("message", "provider id " + ses));
  }

  /** A provider redelivering the same notification: same status, recipients and timestamp. */
  private static boolean isRepeat(List<DeliveryEventRecord> existing, DeliveryEvent event) {
    if (event.occurredAt().isEmpty()) {
      return false;
    }
    for (DeliveryEventRecord r : existing) {
      if (r.createdAt().equals(event.occurredAt().get())
          && r.status().equals(event.status().code())) {
        DeliveryEvent stored = DeliveryLog.event(r);
        if (stored.recipients().equals(event.recipients())
            && stored.status().equals(event.status())) {
          return true;
        }
      }
    }
    return false;
  }
}
