package dev.mailcore;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses for webhook delivery
 * ({@link WebhookSettings.Builder#resolver(HostResolver)}). The SSRF guard checks every address
 * it returns, and the request then connects to the first one (see {@link WebhookSettings}).
 * Implementations must be thread-safe; the dispatcher calls one before every attempt.
 */
@FunctionalInterface
public interface HostResolver {

  /**
   * Resolves a host name or IP literal.
   *
   * @param host the host of an endpoint URL, without brackets for IPv6 literals
   * @return its addresses, at least one, preferred first
   * @throws UnknownHostException if the host does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /**
   * The JVM's resolver ({@link InetAddress#getAllByName}, with its cache).
   *
   * @return the system resolver
   */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
