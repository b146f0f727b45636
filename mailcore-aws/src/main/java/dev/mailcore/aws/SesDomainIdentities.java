package dev.mailcore.aws;

import dev.mailcore.DeliveryException;
import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.EmailAddress;
import dev.mailcore.spi.DomainIdentities;
import dev.mailcore.spi.ProviderIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BehaviorOnMxFailure;
import software.amazon.awssdk.services.sesv2.model.DkimAttributes;
import software.amazon.awssdk.services.sesv2.model.DkimStatus;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.PutEmailIdentityMailFromAttributesRequest;

/**
 * {@link DomainIdentities} on Amazon SES v2: each domain is an SES email identity with Easy DKIM.
 *
 * <pre>{@code
 * DomainIdentities identities = SesDomainIdentities.builder()
 *     .client(sesV2Client)          // yours: never closed by mailcore
 *     .accountId("123456789012")    // optional: lets mailcore store the identity ARN
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>{@code create}: {@code CreateEmailIdentity} (Easy DKIM; the three tokens are stored on the
 *       domain). An identity SES already has for the name (created by hand, or by an earlier
 *       attempt) is adopted with {@code GetEmailIdentity} instead of failing. When the domain's
 *       bounce address is on a subdomain ({@code bounces@mail.acme.com} for {@code acme.com}),
 *       that subdomain becomes the custom MAIL FROM domain
 *       ({@code PutEmailIdentityMailFromAttributes}, falling back to SES's own MAIL FROM while
 *       its MX is missing); a bounce address on the domain itself sets none, since SES requires
 *       a subdomain.
 *   <li>{@code get}: {@code GetEmailIdentity}; DKIM counts as verified when SES reports
 *       {@code SUCCESS}.
 *   <li>{@code update}: sets or clears the MAIL FROM domain when the bounce address changes.
 *   <li>{@code delete}: {@code DeleteEmailIdentity}; an unknown identity is not an error.
 *   <li>{@code dnsRecords}: the inbound MX {@code inbound-smtp.<region>.amazonaws.com} (unless
 *       {@link Builder#receiving(boolean) receiving(false)}), SPF
 *       {@code v=spf1 include:amazonses.com ~all}, the DKIM CNAMEs
 *       {@code <token>._domainkey.<domain>} to {@code <token>.dkim.amazonses.com}, and for a
 *       MAIL FROM domain its MX {@code feedback-smtp.<region>.amazonses.com} and SPF.
 * </ul>
 *
 * <p>SES does not return the identity's ARN; with {@link Builder#accountId} set it is
 * {@code arn:<partition>:ses:<region>:<account>:identity/<domain>}, otherwise none is stored.
 * Failures become {@link dev.mailcore.DeliveryException}s, as in {@link SesTransport}.
 *
 * <p><b>Who closes the client:</b> a client passed to {@link Builder#client} stays the caller's;
 * one built from {@link Builder#region} is closed by {@link #close()}. Thread-safe.
 */
public final class SesDomainIdentities implements DomainIdentities, AutoCloseable {
  static final String SPF = "v=spf1 include:amazonses.com ~all";

  private final SesV2Client client;
  private final boolean ownsClient;
  private final Region region;
  private final Optional<String> accountId;
  private final boolean receiving;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SesDomainIdentities(Builder b) {
    SesClientSettings.Resolved resolved = b.resolve("SesDomainIdentities.builder()");
    this.client = resolved.client();
    this.ownsClient = resolved.owned();
    this.region = resolved.region();
    this.accountId = Optional.ofNullable(b.accountId);
    this.receiving = b.receiving;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the SES identity for the domain, or adopts the existing one, and sets its MAIL FROM
   * domain from the bounce address.
   *
   * @param domain the domain being registered
   * @return the identity with its Easy DKIM tokens
   * @throws dev.mailcore.DeliveryException if SES refused or could not be reached
   */
  @Override
  public ProviderIdentity create(Domain domain) {
    Objects.requireNonNull(domain, "domain");
    String name = domain.name();
    DkimAttributes dkim;
    try {
      dkim = call("CreateEmailIdentity " + name,
          () -> client.createEmailIdentity(r -> r.emailIdentity(name))).dkimAttributes();
    } catch (DeliveryException e) {
      if (!(e.getCause() instanceof AlreadyExistsException)) {
        throw e;
      }
      dkim = call("GetEmailIdentity " + name,
          () -> client.getEmailIdentity(r -> r.emailIdentity(name))).dkimAttributes();
    }
    Optional<String> mailFrom = mailFromDomain(domain);
    if (mailFrom.isPresent()) {
      putMailFrom(name, mailFrom);
    }
    return identity(name, dkim);
  }

  @Override
  public Optional<ProviderIdentity> get(String domainName) {
    Objects.requireNonNull(domainName, "domainName");
    try {
      GetEmailIdentityResponse r = call("GetEmailIdentity " + domainName,
          () -> client.getEmailIdentity(b -> b.emailIdentity(domainName)));
      return Optional.of(identity(domainName, r.dkimAttributes()));
    } catch (DeliveryException e) {
      if (e.getCause() instanceof NotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void update(Domain domain) {
    Objects.requireNonNull(domain, "domain");
    putMailFrom(domain.name(), mailFromDomain(domain));
  }

  @Override
  public void delete(String domainName) {
    Objects.requireNonNull(domainName, "domainName");
    try {
      call("DeleteEmailIdentity " + domainName,
          () -> client.deleteEmailIdentity(b -> b.emailIdentity(domainName)));
    } catch (DeliveryException e) {
      if (!(e.getCause() instanceof NotFoundException)) {
        throw e;
      }
    }
  }

  @Override
  public List<DnsRecord> dnsRecords(Domain domain) {
    Objects.requireNonNull(domain, "domain");
    List<DnsRecord> out = new ArrayList<>();
    if (receiving) {
      out.add(new DnsRecord(DnsRecord.Purpose.MX, "MX", domain.name(),
          "inbound-smtp." + region.id() + ".amazonaws.com", Optional.of(10), false));
    }
    out.add(new DnsRecord(DnsRecord.Purpose.SPF, "TXT", domain.name(), SPF, Optional.empty(),
        false));
    for (String token : domain.dkimTokens()) {
      out.add(new DnsRecord(DnsRecord.Purpose.DKIM, "CNAME",
          token + "._domainkey." + domain.name(), token + ".dkim.amazonses.com",
          Optional.empty(), false));
    }
    mailFromDomain(domain).ifPresent(m -> {
      out.add(new DnsRecord(DnsRecord.Purpose.MAIL_FROM, "MX", m,
          "feedback-smtp." + region.id() + ".amazonses.com", Optional.of(10), false));
      out.add(new DnsRecord(DnsRecord.Purpose.MAIL_FROM, "TXT", m, SPF, Optional.empty(),
          false));
    });
    return out;
  }

  /**
   * The custom MAIL FROM domain for a domain: its bounce address's domain when that is a
   * subdomain of it (SES accepts nothing else).
   */
  static Optional<String> mailFromDomain(Domain domain) {
    return domain.bounceAddress().map(EmailAddress::domain)
        .filter(d -> d.endsWith("." + domain.name()));
  }

  private void putMailFrom(String name, Optional<String> mailFrom) {
    PutEmailIdentityMailFromAttributesRequest.Builder b =
        PutEmailIdentityMailFromAttributesRequest.builder().emailIdentity(name);
    mailFrom.ifPresent(m -> b.mailFromDomain(m)
        .behaviorOnMxFailure(BehaviorOnMxFailure.USE_DEFAULT_VALUE));
    call("PutEmailIdentityMailFromAttributes " + name,
        () -> client.putEmailIdentityMailFromAttributes(b.build()));
  }

  private ProviderIdentity identity(String name, DkimAttributes dkim) {
    List<String> tokens = dkim == null ? List.of() : dkim.tokens();
    boolean verified = dkim != null && dkim.status() == DkimStatus.SUCCESS;
    return new ProviderIdentity(arn(name), tokens, verified);
  }

  private Optional<String> arn(String name) {
    return accountId.map(account -> "arn:" + PartitionMetadata.of(region).id() + ":ses:"
        + region.id() + ":" + account + ":identity/" + name);
  }

  /** Runs one SES call; its failure is translated, with the SDK's exception as the cause. */
  private <T> T call(String action, Supplier<T> call) {
    if (closed.get()) {
      throw new IllegalStateException("this SesDomainIdentities is closed; build a new one");
    }
    try {
      return call.get();
    } catch (SdkException e) {
      throw SesErrors.translate(action, e);
    }
  }

  /**
   * Closes the SES client if this instance built it; a client passed to {@link Builder#client}
   * is left open. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  /**
   * Configures {@link SesDomainIdentities}: either {@link #client} or {@link #region} (with
   * optional {@link #endpoint}, {@link #credentials} and {@link #timeout}) is required. Not
   * thread-safe.
   */
  public static final class Builder extends SesClientSettings<Builder> {
    private String accountId;
    private boolean receiving = true;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * The AWS account id, so the identity ARN can be stored on the domain (SES does not return
     * it).
     *
     * @param accountId twelve digits
     * @return this builder
     * @throws IllegalArgumentException if not twelve digits
     */
    public Builder accountId(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (!accountId.matches("\\d{12}")) {
        throw new IllegalArgumentException("accountId must be the 12-digit AWS account id, got '"
            + accountId + "'");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * Whether domains receive mail through SES (default true): decides whether
     * {@code dnsRecords} asks for SES's inbound MX. Set false when mail arrives some other way.
     *
     * @param receiving whether to list the inbound MX
     * @return this builder
     */
    public Builder receiving(boolean receiving) {
      this.receiving = receiving;
      return this;
    }

    /**
     * Builds the identities adapter.
     *
     * @return the adapter
     * @throws IllegalStateException if neither or both of a client and a region were given
     */
    public SesDomainIdentities build() {
      return new SesDomainIdentities(this);
    }
  }
}
