package dev.mailcore.internal.engine;

import dev.mailcore.Inbox;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Address-to-inbox routing within one domain: exact, then plus-addressing, then catch-all. The
 * store only supplies candidates ({@code StoreTransaction.findRouteCandidates}); the rules live
 * here alone.
 */
final class Routes {
  private Routes() {}

  /**
   * The local parts whose inboxes could receive mail for {@code localPart}: itself and, for a
   * plus address, its base.
   */
  static List<String> lookups(String localPart) {
    int plus = localPart.indexOf('+');
    return plus > 0 ? List.of(localPart, localPart.substring(0, plus)) : List.of(localPart);
  }

  /** Picks the inbox for {@code localPart} among the domain's candidates. */
  static Optional<Inbox> resolve(Collection<Inbox> candidates, String localPart) {
    for (String candidate : lookups(localPart)) {
      Optional<Inbox> match = byLocalPart(candidates, candidate);
      if (match.isPresent()) {
        return match;
      }
    }
    return candidates.stream().filter(i -> !i.deleted() && i.catchAll()).findFirst();
  }

  private static Optional<Inbox> byLocalPart(Collection<Inbox> candidates, String localPart) {
    return candidates.stream().filter(i -> !i.deleted() && i.localPart().equals(localPart))
        .findFirst();
  }
}
