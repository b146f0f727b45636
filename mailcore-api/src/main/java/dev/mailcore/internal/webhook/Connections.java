package dev.mailcore.internal.webhook;

import dev.mailcore.ValidationException;
import dev.mailcore.WebhookSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Makes each attempt connect to the address the SSRF guard checked (ADR 0015), with one
 * {@code java.net.http} client:
 *
 * <ul>
 *   <li>https to a host name goes through the {@link PinnedTunnel}, which checks the host and
 *       connects to the checked address; TLS (SNI, certificate name) stays the JDK's own;
 *   <li>an IP literal is connected to directly: nothing is resolved;
 *   <li>plain http to a host name can only be pinned by posting to the checked IP literal with
 *       the endpoint's authority in {@code Host}, a restricted header that only the JVM-wide
 *       {@code jdk.httpclient.allowRestrictedHeaders=host} allows (read once, when the client
 *       classes load). Without it such URLs are refused ({@link #requirePinnable}), except
 *       {@code localhost} when loopback is allowed (RFC 6761: it always means loopback).
 * </ul>
 *
 * <p>Thread-safe; {@link #close()} stops the tunnel.
 */
final class Connections implements AutoCloseable {
  private static final boolean HOST_HEADER_ALLOWED = probeHostHeader();
  /** Tunnels idle this long are closed, unless a request may legitimately wait longer. */
  static final Duration TUNNEL_IDLE = Duration.ofSeconds(60);

  private final SsrfGuard guard;
  private final boolean allowLoopback;
  private final PinnedTunnel tunnel;
  private final HttpClient client;

  /** The target of one attempt. */
  record Target(HttpClient client, HttpRequest.Builder request) {}

  Connections(WebhookSettings settings, Executor executor, SsrfGuard guard) {
    this.guard = guard;
    this.allowLoopback = settings.allowLoopback();
    Duration idle = settings.connectTimeout().plus(settings.readTimeout());
    try {
      // a tunnel carries one request at a time, and at most `workers` are in flight; the rest
      // are the client's idle pooled connections
      this.tunnel = new PinnedTunnel(guard, settings.connectTimeout(),
          idle.compareTo(TUNNEL_IDLE) > 0 ? idle : TUNNEL_IDLE,
          Math.max(64, 2 * settings.workers()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the webhook tunnel on 127.0.0.1", e);
    }
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(tunnel.proxySelector())
        .connectTimeout(settings.connectTimeout())
        .executor(executor);
    settings.sslContext().ifPresent(b::sslContext);
    this.client = b.build();
  }

  /** @return whether plain http to a host name can be pinned (the JVM allows {@code Host}) */
  static boolean hostHeaderAllowed() {
    return HOST_HEADER_ALLOWED;
  }

  /**
   * Refuses a URL whose attempts could not connect to the checked address: plain http to a
   * host name when the JVM does not allow the {@code Host} header. Called at registration and
   * before every attempt.
   *
   * @param uri a parsed endpoint URL
   * @param allowLoopback whether loopback is allowed ({@code localhost} is then accepted)
   * @throws ValidationException naming the URL and the three ways out
   */
  static void requirePinnable(URI uri, boolean allowLoopback) {
    if (HOST_HEADER_ALLOWED || !"http".equalsIgnoreCase(uri.getScheme())
        || SsrfGuard.isLiteral(uri.getHost()) || isAllowedLocalhost(uri, allowLoopback)) {
      return;
    }
    throw new ValidationException("url", uri + " is plain http to a host name, which this JVM"
        + " cannot connect to at the address the SSRF guard checked; use https, use an IP"
        + " literal, or start the JVM with -Djdk.httpclient.allowRestrictedHeaders=host");
  }

  private static boolean isAllowedLocalhost(URI uri, boolean allowLoopback) {
    return allowLoopback && "localhost".equalsIgnoreCase(uri.getHost());
  }

  /**
   * Checks {@code uri} (again, at send time: DNS may have changed since registration) and
   * returns the client and request builder for an attempt.
   *
   * @throws ValidationException if the URL cannot be pinned or its host is not public
   */
  Target target(URI uri) {
    requirePinnable(uri, allowLoopback);
    // for tunneled https the tunnel checks again and connects to its own answer; this check
    // refuses early, with the guard's message in the delivery's error
    List<InetAddress> checked = guard.resolvePublic(uri);
    String host = uri.getHost();
    if (PinnedTunnel.tunneled(uri) || SsrfGuard.isLiteral(host)
        || isAllowedLocalhost(uri, allowLoopback)) {
      return new Target(client, HttpRequest.newBuilder(uri));
    }
    InetAddress address = checked.get(0);
    String literal = address instanceof Inet6Address
        ? "[" + address.getHostAddress().replaceFirst("%.*$", "") + "]"
        : address.getHostAddress();
    StringBuilder pinned = new StringBuilder(uri.getScheme()).append("://").append(literal);
    if (uri.getPort() != -1) {
      pinned.append(':').append(uri.getPort());
    }
    pinned.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
        : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      pinned.append('?').append(uri.getRawQuery());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pinned.toString()))
        .header("host", uri.getPort() == -1 ? host : host + ":" + uri.getPort());
    return new Target(client, request);
  }

  /**
   * Adds to a failed attempt's error why the tunnel refused it, when it did: the JDK reports
   * only the status ("Tunnel failed, got: 403").
   *
   * @param url the endpoint URL
   * @param error the attempt's error
   * @return the error, with the tunnel's reason if it has one for that host
   */
  String explain(String url, String error) {
    if (!error.contains("Tunnel failed")) {
      return error;
    }
    URI uri = SsrfGuard.parse(url);
    String why = tunnel.refusal(uri.getHost(), uri.getPort() == -1 ? 443 : uri.getPort());
    return why == null ? error : error + ": " + why;
  }

  /** Stops the tunnel (the client has no {@code close} on Java 17; its threads are ours). */
  @Override
  public void close() {
    tunnel.close();
  }

  private static boolean probeHostHeader() {
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("host", "probe");
      return true;
    } catch (IllegalArgumentException restricted) {
      return false;
    }
  }
}
