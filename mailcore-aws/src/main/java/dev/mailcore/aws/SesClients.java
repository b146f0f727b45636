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
 * The SES client an adapter talks through: the host's (never closed by mailcore) or one built
 * from region, endpoint and credentials (closed by the adapter). One place for the rule both
 * {@link SesTransport} and {@link SesDomainIdentities} follow. Not thread-safe while being
 * configured; the resolved {@link Resolved} is immutable.
 */
final class SesClients {
  /** Default limit on one SES call, retries included, for clients mailcore builds. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private SesV2Client client;
  private Region region;
  private URI endpoint;
  private AwsCredentialsProvider credentials;
  private Duration timeout = DEFAULT_TIMEOUT;

  /**
   * The client to use and whether mailcore owns it.
   *
   * @param client the client
   * @param owned whether the adapter's {@code close()} closes it
   * @param region the client's region (decides SES's host names)
   */
  record Resolved(SesV2Client client, boolean owned, Region region) {}

  void client(SesV2Client c) {
    this.client = Objects.requireNonNull(c, "client");
  }

  void region(String r) {
    Objects.requireNonNull(r, "region");
    if (r.isBlank()) {
      throw new IllegalArgumentException("region must not be blank, for example eu-west-1");
    }
    this.region = Region.of(r.strip());
  }

  void endpoint(URI e) {
    Objects.requireNonNull(e, "endpoint");
    if (e.getScheme() == null || e.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be an absolute http(s) URI, got " + e);
    }
    this.endpoint = e;
  }

  void credentials(AwsCredentialsProvider c) {
    this.credentials = Objects.requireNonNull(c, "credentials");
  }

  void timeout(Duration t) {
    Objects.requireNonNull(t, "timeout");
    if (t.isZero() || t.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + t);
    }
    this.timeout = t;
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
