package dev.mailcore.testkit;

import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.Scope;
import dev.mailcore.spi.WebhookDeliveryRecord;
import dev.mailcore.spi.WebhookEndpointRecord;
import dev.mailcore.spi.WebhookStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The webhook tables of an {@link InMemoryMailStore}. Each transaction gets a view
 * ({@link #in(TxLog)}) whose changes go through that transaction's undo log. Guarded by the
 * store's transaction lock (transactions run one at a time), so a claim is trivially atomic.
 */
final class InMemoryWebhookStore {
  private final Map<UUID, WebhookEndpointRecord> endpoints = new LinkedHashMap<>();
  private final Map<UUID, WebhookDeliveryRecord> deliveries = new LinkedHashMap<>();
  private final Map<UUID, Long> sequences = new LinkedHashMap<>();
  private final Function<UUID, Optional<String>> organizationOfInbox;

  /**
   * @param organizationOfInbox the organization owning an inbox (through its domain), read from
   *     the store's tables
   */
  InMemoryWebhookStore(Function<UUID, Optional<String>> organizationOfInbox) {
    this.organizationOfInbox = organizationOfInbox;
  }

  /**
   * The operations of one transaction.
   *
   * @param log the transaction's undo log
   * @return the view
   */
  WebhookStore in(TxLog log) {
    return new View(log);
  }

  private final class View implements WebhookStore {
    private final TxLog log;

    View(TxLog log) {
      this.log = log;
    }

    @Override
    public void insertEndpoint(WebhookEndpointRecord endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      log.put(endpoints, endpoint.id(), endpoint);
    }

    @Override
    public boolean updateEndpoint(WebhookEndpointRecord endpoint, long expectedVersion) {
      Objects.requireNonNull(endpoint, "endpoint");
      log.check();
      WebhookEndpointRecord current = endpoints.get(endpoint.id());
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      log.put(endpoints, endpoint.id(), endpoint);
      return true;
    }

    @Override
    public Optional<WebhookEndpointRecord> findEndpoint(Scope scope, UUID id) {
      log.check();
      return Optional.ofNullable(endpoints.get(id))
          .filter(e -> scope.includes(e.organizationId()));
    }

    @Override
    public List<WebhookEndpointRecord> listEndpoints(String organizationId,
        Optional<Keyset> after, int limit) {
      log.check();
      Comparator<WebhookEndpointRecord> order = Comparator
          .comparing(WebhookEndpointRecord::createdAt)
          .thenComparing(WebhookEndpointRecord::id, InMemoryMailStore.ID_ORDER);
      return endpoints.values().stream()
          .filter(e -> e.organizationId().equals(organizationId))
          .filter(e -> after.isEmpty() || order.compare(e, probe(after.get())) > 0)
          .sorted(order).limit(limit).toList();
    }

    private WebhookEndpointRecord probe(Keyset k) {
      return new WebhookEndpointRecord(k.id(), "", "", "", Optional.empty(), Optional.empty(),
          List.of(), Optional.empty(), Optional.empty(), "", 0, Optional.empty(),
          Optional.empty(), k.at(), k.at(), 0);
    }

    @Override
    public List<WebhookEndpointRecord> findEnabledEndpoints(String organizationId) {
      log.check();
      return endpoints.values().stream()
          .filter(e -> e.organizationId().equals(organizationId)
              && !e.status().equals("disabled"))
          .toList();
    }

    @Override
    public List<WebhookEndpointRecord> findEnabledEndpointsOfInbox(UUID inboxId) {
      return organizationOfInbox.apply(inboxId).map(this::findEnabledEndpoints)
          .orElse(List.of());
    }

    @Override
    public boolean deleteEndpoint(UUID id) {
      log.check();
      if (!endpoints.containsKey(id)) {
        return false;
      }
      List<UUID> owned = deliveries.values().stream().filter(d -> d.endpointId().equals(id))
          .map(WebhookDeliveryRecord::id).toList();
      owned.forEach(d -> log.remove(deliveries, d));
      log.remove(endpoints, id);
      return true;
    }

    @Override
    public long nextSequence(UUID subjectId) {
      log.check();
      long next = sequences.getOrDefault(subjectId, 0L) + 1;
      log.put(sequences, subjectId, next);
      return next;
    }

    @Override
    public int deleteFinishedDeliveries(Instant before, int limit) {
      log.check();
      List<WebhookDeliveryRecord> old = deliveries.values().stream()
          .filter(d -> (d.status().equals("delivered") || d.status().equals("failed"))
              && d.createdAt().isBefore(before))
          .sorted(Comparator.comparing(WebhookDeliveryRecord::createdAt))
          .limit(limit).toList();
      old.forEach(d -> log.remove(deliveries, d.id()));
      return old.size();
    }

    @Override
    public void insertDeliveries(Collection<WebhookDeliveryRecord> rows) {
      for (WebhookDeliveryRecord d : rows) {
        log.check();
        if (!endpoints.containsKey(d.endpointId())) {
          throw new dev.mailcore.StorageException("webhook delivery " + d.id() + " names"
              + " endpoint " + d.endpointId() + ", which does not exist", false, null);
        }
        log.put(deliveries, d.id(), d);
      }
    }

    @Override
    public Optional<WebhookDeliveryRecord> findDelivery(Scope scope, UUID id) {
      log.check();
      return Optional.ofNullable(deliveries.get(id))
          .filter(d -> findEndpoint(scope, d.endpointId()).isPresent());
    }

    @Override
    public List<WebhookDeliveryRecord> listDeliveries(UUID endpointId, Optional<String> status,
        Optional<String> eventType, Optional<Keyset> after, int limit) {
      log.check();
      Comparator<WebhookDeliveryRecord> newestFirst = Comparator
          .comparing(WebhookDeliveryRecord::createdAt)
          .thenComparing(WebhookDeliveryRecord::id, InMemoryMailStore.ID_ORDER).reversed();
      return deliveries.values().stream()
          .filter(d -> d.endpointId().equals(endpointId))
          .filter(d -> status.isEmpty() || status.get().equals(d.status()))
          .filter(d -> eventType.isEmpty() || eventType.get().equals(d.eventType()))
          .filter(d -> after.isEmpty() || newestFirst.compare(d, deliveryProbe(after.get())) > 0)
          .sorted(newestFirst).limit(limit).toList();
    }

    private WebhookDeliveryRecord deliveryProbe(Keyset k) {
      return new WebhookDeliveryRecord(k.id(), k.id(), k.id(), "", "", "", 0, k.at(),
          Optional.empty(), Optional.empty(), Optional.empty(), k.at(), 0);
    }

    @Override
    public List<WebhookDeliveryRecord> claimDue(Instant now, String owner, Instant leaseUntil,
        Collection<UUID> skipEndpoints, int limit) {
      log.check();
      Set<UUID> skip = new HashSet<>(skipEndpoints);
      List<WebhookDeliveryRecord> due = deliveries.values().stream()
          .filter(d -> d.status().equals("pending") && !d.nextAttemptAt().isAfter(now)
              && !skip.contains(d.endpointId()))
          .filter(d -> Optional.ofNullable(endpoints.get(d.endpointId()))
              .filter(e -> !e.status().equals("disabled")).isPresent())
          .sorted(Comparator.comparing(WebhookDeliveryRecord::nextAttemptAt)
              .thenComparing(WebhookDeliveryRecord::id, InMemoryMailStore.ID_ORDER))
          .limit(limit).toList();
      return due.stream().map(d -> {
        WebhookDeliveryRecord claimed = new WebhookDeliveryRecord(d.id(), d.endpointId(),
            d.eventId(), d.eventType(), d.payload(), d.status(), d.attempts() + 1, leaseUntil,
            Optional.of(owner), d.lastError(), Optional.of(now), d.createdAt(),
            d.version() + 1);
        log.put(deliveries, d.id(), claimed);
        return claimed;
      }).toList();
    }

    @Override
    public boolean updateDelivery(WebhookDeliveryRecord delivery, long expectedVersion) {
      Objects.requireNonNull(delivery, "delivery");
      log.check();
      WebhookDeliveryRecord current = deliveries.get(delivery.id());
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      log.put(deliveries, delivery.id(), new WebhookDeliveryRecord(current.id(),
          current.endpointId(), current.eventId(), current.eventType(), current.payload(),
          delivery.status(), delivery.attempts(), delivery.nextAttemptAt(), delivery.leaseOwner(),
          delivery.lastError(), delivery.lastAttemptAt(), current.createdAt(),
          delivery.version()));
      return true;
    }
  }
}
