package dev.mailcore;

import java.util.Optional;

/**
 * The suppression list ({@code mail.suppressions()}): addresses mailcore refuses to send to,
 * account-wide. Permanent bounces and complaints recorded through {@link Deliveries} add
 * addresses automatically; the application can add and remove them too. Addresses are compared
 * in normalized (lower-case) form. Thread-safe.
 *
 * <p>Through {@link MailCore#forOrganization(String)} the same interface sees and changes only
 * one organization's resources: another organization's ids behave exactly like ids that do
 * not exist ({@link NotFoundException}, or empty), see {@link OrganizationMail}.
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
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: the list is
   *     account-wide, one organization must not lift a suppression that protects all; call it on
   *     the unscoped {@code MailCore}
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
   * @throws IllegalStateException through a {@link MailCore#forOrganization} view: it would show
   *     other organizations' bounced recipients; call it on the unscoped {@code MailCore}
   */
  Page<Suppression> list(PageRequest page);
}
