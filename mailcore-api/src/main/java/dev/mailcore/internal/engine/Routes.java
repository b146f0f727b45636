package dev.mailcore.internal.engine;

import dev.mailcore.Inbox;
import dev.mailcore.spi.StoreTransaction;
import java.util.Optional;
import java.util.UUID;

/** Address-to-inbox routing within one domain: exact, then plus-addressing, then catch-all. */
final class Routes {
  private Routes() {}

  static Optional<Inbox> resolve(StoreTransaction tx, UUID domainId, String localPart) {
    Optional<Inbox> exact = tx.findInboxByLocalPart(domainId, localPart);
    if (exact.isPresent()) {
      return exact;
    }
    int plus = localPart.indexOf('+');
    if (plus > 0) {
      Optional<Inbox> base = tx.findInboxByLocalPart(domainId, localPart.substring(0, plus));
      if (base.isPresent()) {
        return base;
      }
    }
    return tx.findCatchAllInbox(domainId);
  }
}
