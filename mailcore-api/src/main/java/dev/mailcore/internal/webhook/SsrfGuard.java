package dev.mailcore.internal.webhook;

import dev.mailcore.HostResolver;
import dev.mailcore.ValidationException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook URLs that would make mailcore post to something that is not on the public
 * internet (server-side request forgery): only http(s), and every address the host resolves to
 * must be public. Refused: unspecified, loopback (unless allowed), private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), carrier-grade NAT (100.64/10), link-local (169.254/16 including the
 * cloud metadata address 169.254.169.254, fe80::/10), multicast, broadcast, documentation and
 * benchmark ranges, IPv4-mapped and IPv4-compatible IPv6, 6to4 / NAT64 / Teredo forms that embed
 * an IPv4 address, and site-local IPv6. Checked at registration and again before every attempt
 * (see ADR 0015 for how the attempt then connects). Thread-safe.
 */
final class SsrfGuard {
  private final boolean allowLoopback;
  private final HostResolver resolver;

  SsrfGuard(boolean allowLoopback, HostResolver resolver) {
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  /**
   * Parses and checks a URL, resolving its host.
   *
   * @param url the URL
   * @return the parsed URI
   * @throws ValidationException naming the URL and what is wrong with it
   */
  URI check(String url) {
    URI uri = parse(url);
    resolvePublic(uri);
    return uri;
  }

  /**
   * Parses a URL without resolving it.
   *
   * @param url the URL
   * @return the parsed URI
   * @throws ValidationException if it is not an absolute http(s) URL with a host
   */
  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new ValidationException("url", "'" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ValidationException("url", "'" + url + "' must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ValidationException("url", "'" + url + "' has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ValidationException("url", "'" + url + "' must not carry user info; put"
          + " credentials in the path or query if the receiver needs them");
    }
    return uri;
  }

  /**
   * Resolves the URL's host and checks every address.
   *
   * @param uri a parsed URL
   * @return the addresses, all allowed, preferred first
   * @throws ValidationException if the host does not resolve or an address is not public
   */
  List<InetAddress> resolvePublic(URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    List<InetAddress> all;
    try {
      all = List.copyOf(resolver.resolve(host));
    } catch (UnknownHostException e) {
      throw new ValidationException("url", "host '" + host + "' of " + uri + " does not resolve");
    }
    if (all.isEmpty()) {
      throw new ValidationException("url", "host '" + host + "' of " + uri + " does not resolve");
    }
    for (InetAddress a : all) {
      String why = refusal(a);
      if (why != null) {
        throw new ValidationException("url", uri + " resolves to " + a.getHostAddress() + ", "
            + why + "; webhook endpoints must be public"
            + (a.isLoopbackAddress() ? " (tests: WebhookSettings.builder().allowLoopback(true))"
                : ""));
      }
    }
    return all;
  }

  /**
   * Whether a URL host is an IP literal rather than a name.
   *
   * @param host {@link URI#getHost()}, IPv6 in brackets
   * @return true for IPv4 and bracketed IPv6 literals
   */
  static boolean isLiteral(String host) {
    if (host.startsWith("[")) {
      return true;
    }
    // [0-9.]+ without compiling a pattern on every attempt
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return !host.isEmpty();
  }

  /** Why an address is refused, or null if it is allowed. */
  String refusal(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return allowLoopback ? null : "a loopback address";
    }
    if (a.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address (169.254.169.254 is the cloud metadata service)";
    }
    if (a.isSiteLocalAddress()) {
      return "a private address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return refusalV4(b);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return "a unique-local IPv6 address";
      }
      if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return "an IPv4-mapped IPv6 address";
      }
      if (isZero(b, 0, 12)) {
        return "an IPv4-compatible IPv6 address";
      }
      if (first == 0x20 && (b[1] & 0xff) == 0x02) {
        return "a 6to4 address (it embeds an IPv4 address)";
      }
      if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
        return "a Teredo address (it embeds an IPv4 address)";
      }
      if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b) {
        return "a NAT64 address (it embeds an IPv4 address)";
      }
      if (first == 0x20 && b[1] == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
        return "a documentation address";
      }
    }
    return null;
  }

  private static String refusalV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 0) {
      return "in 0.0.0.0/8 (this network)";
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return "a carrier-grade NAT address";
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return "an IETF protocol assignment address";
    }
    if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return "a documentation address";
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return "a benchmarking address";
    }
    if (a0 >= 240) {
      return "a reserved or broadcast address";
    }
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
