package dev.mailcore.internal.engine;

import dev.mailcore.EmailAddress;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.Suppression;
import dev.mailcore.SuppressionReason;
import dev.mailcore.Suppressions;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class SuppressionsImpl implements Suppressions {
  private static final String CURSOR = "suppressions";

  private final Engine engine;
  private final Scope scope;

  SuppressionsImpl(Engine engine, Scope scope) {
    this.engine = engine;
    this.scope = scope;
  }

  @Override
  public Suppression add(String address) {
    return add(address, SuppressionReason.MANUAL, "");
  }

  @Override
  public Suppression add(String address, SuppressionReason reason, String detail) {
    String norm = normalize(address);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Instant now = engine.config().clock().instant();
    return engine.store().inTransaction(tx -> addIfAbsent(tx, new Suppression(norm, reason,
        Optional.of(detail.strip()).filter(d -> !d.isEmpty()), now)));
  }

  /** Adds the entry unless the address is already suppressed; returns the entry in force. */
  static Suppression addIfAbsent(StoreTransaction tx, Suppression entry) {
    List<Suppression> existing = tx.suppressions().find(List.of(entry.address()));
    if (!existing.isEmpty()) {
      return existing.get(0);
    }
    tx.suppressions().upsert(entry);
    return entry;
  }

  @Override
  public boolean remove(String address) {
    ScopeRules.unscopedOnly(scope, "suppressions().remove");
    String norm = normalize(address);
    return engine.store().inTransaction(tx -> tx.suppressions().delete(norm));
  }

  @Override
  public Optional<Suppression> check(String address) {
    String norm = normalize(address);
    return engine.store().inTransaction(tx -> tx.suppressions().find(List.of(norm)))
        .stream().findFirst();
  }

  @Override
  public Page<Suppression> list(PageRequest page) {
    ScopeRules.unscopedOnly(scope, "suppressions().list");
    Objects.requireNonNull(page, "page");
    Optional<String> after = Cursors.text(CURSOR, page);
    List<Suppression> rows = engine.store().inTransaction(
        tx -> tx.suppressions().list(after, page.limit() + 1));
    return Cursors.textPage(CURSOR, rows, page.limit(), Suppression::address);
  }

  private static String normalize(String address) {
    return EmailAddress.of(Objects.requireNonNull(address, "address")).normalized();
  }
}
