package dev.mailcore;

import java.util.List;
import java.util.Objects;

/**
 * A send was refused because one or more recipients are on the suppression list (they
 * hard-bounced or complained). HTTP 422. Immutable and thread-safe.
 */
public final class SuppressedRecipientException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final List<String> addresses;

  /**
   * Creates the error.
   *
   * @param addresses the suppressed recipient addresses, at least one
   */
  public SuppressedRecipientException(List<String> addresses) {
    super("recipients are suppressed (earlier hard bounce or complaint): " + addresses
        + "; remove them, send with skipSuppressed(), or remove them from the suppression list"
        + " if you know the address works again");
    this.addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
  }

  /**
   * The suppressed addresses.
   *
   * @return an unmodifiable list
   */
  public List<String> addresses() {
    return addresses;
  }

  @Override
  public int httpStatus() {
    return 422;
  }
}
