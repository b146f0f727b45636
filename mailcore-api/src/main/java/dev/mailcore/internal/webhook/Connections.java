package dev.mailcore.internal.webhook;

import dev.mailcore.WebhookSettings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each attempt connect to the address the SSRF guard checked (ADR 0015). The request URI
 * carries that address as an IP literal, so {@code java.net.http} does not resolve the host
 * again; the endpoint's own authority goes in the {@code Host} header; for https the host name
 * is the TLS SNI, which the JDK trust manager also checks the certificate against. The JDK
 * client keeps the SNI of its {@link SSLParameters} for literal hosts, but those parameters are
 * per client, so https hosts get a client each (at most {@link #MAX_TLS_CLIENTS}, least
 * recently used dropped).
 *
 * <p>{@code Host} is a restricted header in {@code java.net.http}: only the JVM-wide
 * {@code jdk.httpclient.allowRestrictedHeaders=host} allows it, read once when the client
 * classes load. Without it an IP-literal request would reach virtual-hosted receivers with the
 * wrong {@code Host}, so mailcore then connects by name as before ({@link #pinning()} false).
 * Thread-safe.
 */
final class Connections {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
  static final int MAX_TLS_CLIENTS = 256;
  private static final boolean HOST_HEADER_ALLOWED = hostHeaderAllowed();

  private final WebhookSettings settings;
  private final Executor executor;
  private final HttpClient shared;
  private final Map<String, HttpClient> tls = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
      return size() > MAX_TLS_CLIENTS;
    }
  };

  /** The target of one attempt. */
  record Target(HttpClient client, HttpRequest.Builder request) {}

  Connections(WebhookSettings settings, Executor executor) {
    this.settings = settings;
    this.executor = executor;
    this.shared = client(null);
    if (!HOST_HEADER_ALLOWED) {
      LOG.warn("webhook attempts resolve the endpoint host twice (once to check it, once in"
          + " java.net.http), so a DNS answer that changes in between is not checked; start the"
          + " JVM with -Djdk.httpclient.allowRestrictedHeaders=host to connect to the checked"
          + " address (ADR 0015)");
    }
  }

  /** @return whether attempts connect to the checked address */
  static boolean pinning() {
    return HOST_HEADER_ALLOWED;
  }

  /**
   * The client and request builder for an attempt to {@code uri}, whose host the guard has
   * just resolved to {@code checked}.
   */
  Target target(URI uri, List<InetAddress> checked) {
    if (!HOST_HEADER_ALLOWED) {
      return new Target(shared, HttpRequest.newBuilder(uri));
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
    String host = uri.getHost();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pinned.toString()))
        .header("host", uri.getPort() == -1 ? host : host + ":" + uri.getPort());
    boolean named = !SsrfGuard.isLiteral(host);
    HttpClient client = named && uri.getScheme().equalsIgnoreCase("https")
        ? tlsClient(host.toLowerCase(Locale.ROOT)) : shared;
    return new Target(client, request);
  }

  private HttpClient tlsClient(String host) {
    synchronized (tls) {
      return tls.computeIfAbsent(host, this::client);
    }
  }

  /** A client; with {@code sniHost}, one whose TLS names that host. */
  private HttpClient client(String sniHost) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(settings.connectTimeout())
        .executor(executor);
    SSLContext context = settings.sslContext().orElse(null);
    if (context != null) {
      b.sslContext(context);
    }
    if (sniHost != null) {
      SSLParameters p = defaultContext(context).getDefaultSSLParameters();
      p.setServerNames(List.of(new SNIHostName(sniHost)));
      b.sslParameters(p);
    }
    return b.build();
  }

  private static SSLContext defaultContext(SSLContext configured) {
    if (configured != null) {
      return configured;
    }
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }

  private static boolean hostHeaderAllowed() {
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("host", "probe");
      return true;
    } catch (IllegalArgumentException restricted) {
      return false;
    }
  }
}
