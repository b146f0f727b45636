package dev.mailcore;

import java.util.Optional;

/**
 * The suppression list ({@code mail.suppressions()}): addresses mailcore refuses to send to,
 * account-wide. Permanent bounces and complaints recorded through {@link Deliveries} add
 * addresses automatically; the application can add and remove them too. Addresses are compared
 * in normalized (lower-case) form. Thread-safe.
 */
public interface Suppressions {

  /**
   * Suppresses an address on the application's behalf (reason {@link SuppressionReason#MANUAL}).
   * If it is already suppressed the existing entry is kept.
   *
   * @param address a bare address
   * @return the entry
   * @throws ValidationException if the address is invalid
   */
  Suppression add(String address);

  /**
   * Suppresses an address with a reason and detail. If it is already suppressed the existing
   * entry is kept.
   *
   * @param address a bare address
   * @param reason why
   * @param detail more about why (for example a bounce diagnostic); blank for none
   * @return the entry
   * @throws ValidationException if the address is invalid
   */
  Suppression add(String address, SuppressionReason reason, String detail);

  /**
   * Takes an address off the list, so mail to it is sent again.
   *
   * @param address a bare address
   * @return false if it was not suppressed
   * @throws ValidationException if the address is invalid
   */
  boolean remove(String address);

  /**
   * Whether an address is suppressed.
   *
   * @param address a bare address
   * @return its entry, or empty if mail to it is allowed
   * @throws ValidationException if the address is invalid
   */
  Optional<Suppression> check(String address);

  /**
   * Lists the suppression list ordered by address, one keyset page at a time.
   *
   * @param page the page size and the cursor from the previous page
   * @return the page
   * @throws ValidationException if the cursor did not come from this listing
   */
  Page<Suppression> list(PageRequest page);
}
