package dev.mailcore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How webhooks are delivered: passed to {@link MailCore.Builder#webhooks(WebhookSettings)}.
 * Immutable and thread-safe; build with {@link #builder()}.
 *
 * @param workers deliveries in flight at once per {@code MailCore} (default 8)
 * @param perEndpointConcurrency deliveries in flight at once to one endpoint (default 4), so one
 *     slow endpoint holds at most this many of the {@code workers}
 * @param connectTimeout TCP/TLS connect timeout (default 5 s)
 * @param readTimeout time from sending the request to the response headers (default 15 s)
 * @param retryDelays the waits before attempts 2, 3, ...; the first attempt is immediate
 *     (default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 hours)
 * @param jitter each wait is varied by up to this fraction either way (default 0.1; 0 for none)
 * @param warningAfter consecutive failed attempts after which an endpoint is {@code WARNING}
 *     (default 5)
 * @param disableAfter consecutive failed attempts after which it is {@code DISABLED}
 *     (default 50)
 * @param secretGracePeriod how long a rotated-out secret keeps signing (default 24 h)
 * @param leaseDuration how long a claimed delivery stays with its dispatcher before another may
 *     take it (default 2 min); longer than connect plus read timeout
 * @param pollInterval how often a started dispatcher looks for due deliveries when idle
 *     (default 1 s)
 * @param allowLoopback whether endpoints may resolve to loopback addresses (default false; for
 *     tests and local development only)
 * @param resolver resolves endpoint hosts before every attempt (default
 *     {@link HostResolver#system()}); every address must pass the SSRF guard
 * @param sslContext the TLS context for https endpoints (default: the JVM's default context);
 *     for private certificate authorities or client certificates
 * @param retention how long delivered and failed deliveries are kept, from their creation
 *     (default 30 days); a started dispatcher, or {@code dispatchDue}, deletes older ones in
 *     batches at most every ten minutes. Pending deliveries are never deleted
 *
 * <p><b>Connecting to the checked address.</b> Each attempt connects to an address the guard
 * checked. https to a host name goes through a CONNECT tunnel inside mailcore (on 127.0.0.1)
 * that resolves and checks the host and connects to the first checked address; TLS stays end
 * to end, with the endpoint's name as SNI and as the name the certificate must match. IP
 * literals are connected to as they are. Plain http to a host name is pinned only when the JVM
 * lets {@code java.net.http} requests carry a {@code Host} header (start it with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host}): the request then goes to the checked IP
 * literal with the endpoint's {@code Host}. Without that flag such URLs are refused at
 * registration and at send time, except {@code localhost} when loopback is allowed. ADR 0015
 * explains why.
 */
public record WebhookSettings(int workers, int perEndpointConcurrency, Duration connectTimeout,
    Duration readTimeout, List<Duration> retryDelays, double jitter, int warningAfter,
    int disableAfter, Duration secretGracePeriod, Duration leaseDuration, Duration pollInterval,
    boolean allowLoopback, HostResolver resolver, Optional<SSLContext> sslContext,
    Duration retention) {

  /** Checks the combination; the builder has already checked each value. */
  public WebhookSettings {
    retryDelays = List.copyOf(retryDelays);
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(retention, "retention");
    if (leaseDuration.compareTo(connectTimeout.plus(readTimeout)) <= 0) {
      throw new IllegalArgumentException("leaseDuration (" + leaseDuration + ") must be longer"
          + " than connectTimeout + readTimeout (" + connectTimeout.plus(readTimeout) + "), or"
          + " a delivery still in flight could be claimed and sent twice");
    }
    if (warningAfter > disableAfter) {
      throw new IllegalArgumentException("warningAfter (" + warningAfter + ") must not exceed"
          + " disableAfter (" + disableAfter + ")");
    }
  }

  /** @return the defaults */
  public static WebhookSettings defaults() {
    return builder().build();
  }

  /** @return a builder with the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link WebhookSettings}. Not thread-safe. */
  public static final class Builder {
    private int workers = 8;
    private int perEndpointConcurrency = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(15);
    private List<Duration> retryDelays = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
        Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
        Duration.ofHours(10));
    private double jitter = 0.1;
    private int warningAfter = 5;
    private int disableAfter = 50;
    private Duration secretGracePeriod = Duration.ofHours(24);
    private Duration leaseDuration = Duration.ofMinutes(2);
    private Duration pollInterval = Duration.ofSeconds(1);
    private HostResolver resolver = HostResolver.system();
    private Optional<SSLContext> sslContext = Optional.empty();
    private Duration retention = Duration.ofDays(30);
    private boolean allowLoopback;

    private Builder() {}

    /**
     * @param n deliveries in flight at once, 1 to 1024
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder workers(int n) {
      this.workers = range("workers", n, 1, 1024);
      return this;
    }

    /**
     * @param n deliveries in flight at once to one endpoint, 1 to 1024
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder perEndpointConcurrency(int n) {
      this.perEndpointConcurrency = range("perEndpointConcurrency", n, 1, 1024);
      return this;
    }

    /**
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive("readTimeout", timeout);
      return this;
    }

    /**
     * @param delays the waits before attempts 2, 3, ...; each zero or positive; may be empty
     *     (one attempt only)
     * @return this builder
     * @throws IllegalArgumentException if a wait is negative
     */
    public Builder retryDelays(List<Duration> delays) {
      for (Duration d : delays) {
        if (d.isNegative()) {
          throw new IllegalArgumentException("retryDelays must not be negative, got " + delays);
        }
      }
      this.retryDelays = List.copyOf(delays);
      return this;
    }

    /**
     * @param fraction 0 to 0.5
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 0.5)) {
        throw new IllegalArgumentException("jitter must be between 0 and 0.5, got " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * @param failures consecutive failed attempts, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder warningAfter(int failures) {
      this.warningAfter = range("warningAfter", failures, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * @param failures consecutive failed attempts, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder disableAfter(int failures) {
      this.disableAfter = range("disableAfter", failures, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * @param grace zero or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder secretGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("secretGracePeriod must not be negative, got " + grace);
      }
      this.secretGracePeriod = grace;
      return this;
    }

    /**
     * @param lease positive, longer than connect plus read timeout
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder leaseDuration(Duration lease) {
      this.leaseDuration = positive("leaseDuration", lease);
      return this;
    }

    /**
     * @param interval positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive("pollInterval", interval);
      return this;
    }

    /**
     * Lets endpoints resolve to loopback addresses (127.0.0.0/8, ::1). For tests and local
     * development only: in production it lets a tenant make mailcore post to services on its own
     * host. Private, link-local and metadata addresses stay refused.
     *
     * @param allow whether to allow loopback
     * @return this builder
     */
    public Builder allowLoopback(boolean allow) {
      this.allowLoopback = allow;
      return this;
    }

    /**
     * Sets how endpoint hosts are resolved (default {@link HostResolver#system()}): for hosts
     * with their own DNS, and for tests that map names to loopback.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(HostResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Sets the TLS context for https endpoints (default: the JVM's default context).
     *
     * @param context the context, for example one trusting a private certificate authority
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Optional.of(Objects.requireNonNull(context, "context"));
      return this;
    }

    /**
     * Sets how long delivered and failed deliveries are kept (default 30 days), counted from
     * when the event was written. Older ones are deleted in batches by the dispatcher; replay
     * and the delivery listing no longer see them. Pending deliveries are never deleted.
     *
     * @param keep the retention
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder retention(Duration keep) {
      this.retention = positive("retention", keep);
      return this;
    }

    /**
     * @return the settings
     * @throws IllegalArgumentException if the lease is not longer than connect plus read
     *     timeout, or warningAfter exceeds disableAfter
     */
    public WebhookSettings build() {
      return new WebhookSettings(workers, perEndpointConcurrency, connectTimeout, readTimeout,
          retryDelays, jitter, warningAfter, disableAfter, secretGracePeriod, leaseDuration,
          pollInterval, allowLoopback, resolver, sslContext, retention);
    }

    private static int range(String name, int n, int min, int max) {
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max
            + ", got " + n);
      }
      return n;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
