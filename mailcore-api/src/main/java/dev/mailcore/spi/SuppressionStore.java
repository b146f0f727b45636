package dev.mailcore.spi;

import dev.mailcore.Suppression;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The suppression list, inside one {@link StoreTransaction}. Not thread-safe (see there).
 */
public interface SuppressionStore {

  /**
   * Adds an address to the suppression list, or replaces its entry.
   *
   * @param suppression the entry (address already normalized)
   */
  void upsert(Suppression suppression);

  /**
   * Removes an address from the suppression list.
   *
   * @param address the normalized address
   * @return false if it was not suppressed
   */
  boolean delete(String address);

  /**
   * Returns the entries of those {@code addresses} that are suppressed.
   *
   * @param addresses normalized addresses
   * @return the suppressed ones, each once, in any order
   */
  List<Suppression> find(Collection<String> addresses);

  /**
   * Lists the suppression list ordered by address.
   *
   * @param afterAddress the last address of the previous page
   * @param limit the maximum number of rows
   * @return the entries
   */
  List<Suppression> list(Optional<String> afterAddress, int limit);
}
