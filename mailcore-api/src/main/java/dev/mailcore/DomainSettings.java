package dev.mailcore;

import java.util.Objects;
import java.util.Optional;

/**
 * The editable defaults of a domain: sender name, Reply-To and bounce address for mail sent from
 * its inboxes. Immutable and thread-safe.
 *
 * @param fromName the default sender display name
 * @param replyToAddress the default Reply-To
 * @param bounceAddress where bounce notifications go
 */
public record DomainSettings(Optional<String> fromName, Optional<EmailAddress> replyToAddress,
    Optional<EmailAddress> bounceAddress) {

  /** No defaults. */
  public static final DomainSettings NONE =
      new DomainSettings(Optional.empty(), Optional.empty(), Optional.empty());

  /** Checks the fields; a blank from name counts as none. */
  public DomainSettings {
    Objects.requireNonNull(fromName, "fromName");
    Objects.requireNonNull(replyToAddress, "replyToAddress");
    Objects.requireNonNull(bounceAddress, "bounceAddress");
    fromName = fromName.map(String::strip).filter(s -> !s.isEmpty());
    fromName.ifPresent(n -> Checks.singleLine("fromName", n));
  }

  /**
   * A copy with a default sender name.
   *
   * @param name the display name, or null for none
   * @return the copy
   */
  public DomainSettings withFromName(String name) {
    return new DomainSettings(Optional.ofNullable(name), replyToAddress, bounceAddress);
  }

  /**
   * A copy with a default Reply-To.
   *
   * @param address the address, or null for none
   * @return the copy
   * @throws ValidationException if the address is invalid
   */
  public DomainSettings withReplyTo(String address) {
    return new DomainSettings(fromName, Optional.ofNullable(address).map(EmailAddress::parse),
        bounceAddress);
  }

  /**
   * A copy with a bounce address.
   *
   * @param address the address, or null for none
   * @return the copy
   * @throws ValidationException if the address is invalid
   */
  public DomainSettings withBounceAddress(String address) {
    return new DomainSettings(fromName, replyToAddress,
        Optional.ofNullable(address).map(EmailAddress::parse));
  }
}
