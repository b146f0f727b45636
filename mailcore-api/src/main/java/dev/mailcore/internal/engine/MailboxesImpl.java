package dev.mailcore.internal.engine;

import dev.mailcore.ConflictException;
import dev.mailcore.EmailAddress;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.Mailboxes;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.spi.Keyset;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

final class MailboxesImpl implements Mailboxes {
  private static final String CURSOR = "inboxes";

  private final Engine engine;
  private final Inbound inbound;

  private final Scope scope;

  MailboxesImpl(Engine engine, Inbound inbound, Scope scope) {
    this.engine = engine;
    this.inbound = inbound;
    this.scope = scope;
  }

  @Override
  public Inbox create(UUID domainId, InboxSpec spec) {
    Objects.requireNonNull(domainId, "domainId");
    Objects.requireNonNull(spec, "spec");
    return engine.store().inTransaction(tx -> {
      tx.domains().find(scope, domainId).filter(d -> !d.deleted())
          .orElseThrow(() -> new NotFoundException("domain", domainId.toString()));
      Instant now = engine.config().clock().instant();
      Inbox inbox = new Inbox(Uuids.next(), domainId, spec.name(), spec.localPart(),
          spec.catchAll(), now, now, Optional.empty());
      if (!tx.inboxes().insert(inbox)) {
        throw conflict(tx, domainId, spec, null);
      }
      return inbox;
    });
  }

  @Override
  public Optional<Inbox> get(UUID id) {
    Objects.requireNonNull(id, "id");
    return engine.store().inTransaction(tx -> tx.inboxes().find(scope, id)).filter(i -> !i.deleted());
  }

  @Override
  public Optional<Inbox> byAddress(String address) {
    EmailAddress a = EmailAddress.of(Objects.requireNonNull(address, "address"));
    String norm = a.normalized();
    return engine.store().inTransaction(tx -> tx.domains().findByName(scope, a.domain())
        .flatMap(d -> tx.inboxes().findByLocalPart(scope, d.id(), norm.substring(0, norm.lastIndexOf('@')))));
  }

  @Override
  public Page<Inbox> list(UUID domainId, PageRequest page) {
    Objects.requireNonNull(domainId, "domainId");
    Objects.requireNonNull(page, "page");
    Optional<Keyset> after = Cursors.keyset(CURSOR, page);
    List<Inbox> rows = engine.store().inTransaction(
        tx -> tx.inboxes().list(scope, domainId, after, page.limit() + 1));
    return Cursors.keysetPage(CURSOR, rows, page.limit(), i -> new Keyset(i.createdAt(), i.id()));
  }

  @Override
  public Inbox update(UUID id, InboxSpec spec) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    return engine.store().inTransaction(tx -> {
      Inbox i = tx.inboxes().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("inbox", id.toString()));
      Inbox u = new Inbox(i.id(), i.domainId(), spec.name(), spec.localPart(), spec.catchAll(),
          i.createdAt(), engine.config().clock().instant(), Optional.empty());
      if (!tx.inboxes().update(u)) {
        throw conflict(tx, i.domainId(), spec, i.id());
      }
      return u;
    });
  }

  @Override
  public void delete(UUID id) {
    Objects.requireNonNull(id, "id");
    engine.store().inTransaction(tx -> {
      Inbox i = tx.inboxes().find(scope, id).filter(x -> !x.deleted())
          .orElseThrow(() -> new NotFoundException("inbox", id.toString()));
      Instant now = engine.config().clock().instant();
      tx.inboxes().update(new Inbox(i.id(), i.domainId(), i.name(), i.localPart(), i.catchAll(),
          i.createdAt(), now, Optional.of(now)));
      return null;
    });
  }

  @Override
  public ReceiveResult receive(InboundMail mail) {
    ScopeRules.unscopedOnly(scope, "mailboxes().receive");
    return inbound.receive(Objects.requireNonNull(mail, "mail"));
  }

  @Override
  public List<ReceiveOutcome> receiveAll(List<InboundMail> mails) {
    ScopeRules.unscopedOnly(scope, "mailboxes().receiveAll");
    return inbound.receiveAll(List.copyOf(Objects.requireNonNull(mails, "mails")));
  }

  /** Names the inbox that blocks {@code spec}; {@code self} is the inbox being updated, if any. */
  private static ConflictException conflict(StoreTransaction tx, UUID domainId, InboxSpec spec,
      UUID self) {
    Optional<Inbox> sameAddress = tx.inboxes().findByLocalPart(Scope.all(), domainId, spec.localPart())
        .filter(i -> !i.id().equals(self));
    if (sameAddress.isPresent()) {
      return new ConflictException("inbox", sameAddress.get().id().toString(),
          "the domain already has an inbox '" + spec.localPart()
              + "'; choose another local part or update the existing inbox");
    }
    // insertInbox/updateInbox refuse only these two cases: what is left is a second catch-all.
    String catchAll = tx.domains().find(Scope.all(), domainId)
        .flatMap(d -> tx.inboxes().findRouteCandidates(d.name(), List.of()).stream()
            .filter(Inbox::catchAll).findFirst())
        .map(i -> i.id().toString()).orElse(domainId.toString());
    return new ConflictException("inbox", catchAll, "the domain already has a catch-all inbox;"
        + " update that inbox or delete it first");
  }
}
