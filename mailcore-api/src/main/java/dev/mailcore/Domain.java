package dev.mailcore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A domain an organization sends from and receives on, with its provider identity and DNS
 * verification state. Immutable and thread-safe.
 *
 * @param id the domain's id
 * @param organizationId the owning organization (the JWT {@code iss} of its API keys)
 * @param name the domain name, lower-case, for example {@code mail.acme.com}
 * @param sesIdentityArn the provider identity's ARN, once registered
 * @param dkimTokens the DKIM CNAME tokens the provider issued
 * @param fromName the default sender display name for its inboxes
 * @param replyToAddress the default Reply-To for mail sent from it
 * @param bounceAddress where bounce notifications go, if set
 * @param verification which DNS records were verified
 * @param createdAt creation time
 * @param updatedAt last change
 * @param deletedAt when it was soft-deleted, if it was
 */
public record Domain(
    UUID id,
    String organizationId,
    String name,
    Optional<String> sesIdentityArn,
    List<String> dkimTokens,
    Optional<String> fromName,
    Optional<EmailAddress> replyToAddress,
    Optional<EmailAddress> bounceAddress,
    DnsVerification verification,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> deletedAt) {

  /** Checks the fields and copies the list. */
  public Domain {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sesIdentityArn, "sesIdentityArn");
    dkimTokens = List.copyOf(dkimTokens);
    Objects.requireNonNull(fromName, "fromName");
    Objects.requireNonNull(replyToAddress, "replyToAddress");
    Objects.requireNonNull(bounceAddress, "bounceAddress");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(deletedAt, "deletedAt");
  }

  /**
   * Whether the domain is soft-deleted.
   *
   * @return true if {@link #deletedAt()} is present
   */
  public boolean deleted() {
    return deletedAt.isPresent();
  }
}
