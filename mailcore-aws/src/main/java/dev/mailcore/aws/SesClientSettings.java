package dev.mailcore.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The SES client settings the SES adapters' builders share ({@link SesTransport.Builder},
 * {@link SesDomainIdentities.Builder}): either the host's {@link #client} (<b>never closed by
 * mailcore</b>), or a {@link #region} (with optional {@link #endpoint}, {@link #credentials} and
 * {@link #timeout}) from which the adapter builds its own client and closes it in its
 * {@code close()}. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SesClientSettings<B extends SesClientSettings<B>> {
  /** Default limit on one SES call, retries included, for clients mailcore builds. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private SesV2Client client;
  private Region region;
  private URI endpoint;
  private AwsCredentialsProvider credentials;
  private Duration timeout = DEFAULT_TIMEOUT;

  SesClientSettings() {}

  /**
   * The client to use and whether mailcore owns it.
   *
   * @param client the client
   * @param owned whether the adapter's {@code close()} closes it
   * @param region the client's region (decides SES's host names)
   */
  record Resolved(SesV2Client client, boolean owned, Region region) {}

  abstract B self();

  /**
   * The SES v2 client to use. <b>It stays the caller's: the adapter's {@code close()} never
   * closes it.</b> Its region decides the SES host names mailcore derives (Message-ID domain,
   * MX hosts).
   *
   * @param client the client
   * @return this builder
   */
  public B client(SesV2Client client) {
    this.client = Objects.requireNonNull(client, "client");
    return self();
  }

  /**
   * The SES region, for mailcore to build its own client (closed by the adapter's
   * {@code close()}).
   *
   * @param region for example {@code eu-west-1}
   * @return this builder
   * @throws IllegalArgumentException if blank
   */
  public B region(String region) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank, for example eu-west-1");
    }
    this.region = Region.of(region.strip());
    return self();
  }

  /**
   * An endpoint replacing SES's (a local stand-in, a VPC endpoint), for a client mailcore
   * builds.
   *
   * @param endpoint for example {@code http://127.0.0.1:8005}
   * @return this builder
   * @throws IllegalArgumentException if not an absolute URI
   */
  public B endpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (endpoint.getScheme() == null || endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be an absolute http(s) URI, got "
          + endpoint);
    }
    this.endpoint = endpoint;
    return self();
  }

  /**
   * Credentials for a client mailcore builds (default: the SDK's default provider chain).
   *
   * @param credentials the provider
   * @return this builder
   */
  public B credentials(AwsCredentialsProvider credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return self();
  }

  /**
   * The longest one SES call may take, SDK retries included, for a client mailcore builds
   * (default 30 s). A call that runs out of time is a retryable failure.
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException if zero or negative
   */
  public B timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    return self();
  }

  /**
   * Returns the host's client, or builds one.
   *
   * @param who the builder's name, for error messages
   * @return the client
   * @throws IllegalStateException if both or neither of a client and a region were given
   */
  Resolved resolve(String who) {
    if (client != null) {
      if (region != null || endpoint != null || credentials != null) {
        throw new IllegalStateException(who + ": client(...) cannot be combined with region,"
            + " endpoint or credentials; configure those on the client, or drop client(...)"
            + " and let mailcore build (and close) one");
      }
      Region r = Optional.ofNullable(client.serviceClientConfiguration().region())
          .orElseThrow(() -> new IllegalStateException(who + ": the SesV2Client has no region;"
              + " build it with SesV2Client.builder().region(...)"));
      return new Resolved(client, false, r);
    }
    if (region == null) {
      throw new IllegalStateException(who + ": set client(sesV2Client), or region(...) (with"
          + " optional endpoint and credentials) for mailcore to build one");
    }
    var b = SesV2Client.builder().region(region)
        .credentialsProvider(credentials != null ? credentials
            : DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(o -> o.apiCallTimeout(timeout));
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return new Resolved(b.build(), true, region);
  }
}
