package dev.mailcore.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sending identity as the provider reports it.
 *
 * @param arn the identity's ARN or provider id, if the provider has one
 * @param dkimTokens DKIM tokens to publish as {@code <token>._domainkey.<domain>} CNAMEs
 * @param dkimVerified whether the provider has seen the DKIM records
 */
public record ProviderIdentity(Optional<String> arn, List<String> dkimTokens, boolean dkimVerified) {
  /** Checks the fields and copies the list. */
  public ProviderIdentity {
    Objects.requireNonNull(arn, "arn");
    dkimTokens = List.copyOf(dkimTokens);
  }
}
