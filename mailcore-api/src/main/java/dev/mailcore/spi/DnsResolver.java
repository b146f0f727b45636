package dev.mailcore.spi;

import java.util.List;

/**
 * Looks up the DNS records mailcore asks domain owners to publish. A name that does not exist
 * or has no record of the type yields an empty list; a resolver failure (timeout, SERVFAIL)
 * also yields an empty list and is logged, so verification simply reports "not yet".
 * Implementations must be thread-safe.
 */
public interface DnsResolver {

  /**
   * A resolver using the JDK's JNDI DNS provider and the system's name servers, with the
   * {@link JndiDnsResolver.Builder} defaults (2 second timeout, 1 retry). Thread-safe.
   *
   * @return the system resolver
   */
  static DnsResolver system() {
    return JndiDnsResolver.SYSTEM;
  }

  /**
   * Configures a JNDI resolver: which name servers to ask and how long to wait.
   *
   * <pre>{@code
   * DnsResolver dns = DnsResolver.jndi().servers("127.0.0.1:5353")
   *     .timeout(Duration.ofMillis(500)).build();
   * }</pre>
   *
   * @return a new builder
   */
  static JndiDnsResolver.Builder jndi() {
    return JndiDnsResolver.builder();
  }

  /**
   * TXT records of a name, each record's strings joined.
   *
   * @param name a fully qualified name without the trailing dot
   * @return the records
   */
  List<String> txt(String name);

  /**
   * MX exchange host names of a name (lower-case, no trailing dot), any order.
   *
   * @param name a fully qualified name
   * @return the hosts
   */
  List<String> mx(String name);

  /**
   * The CNAME target of a name (lower-case, no trailing dot).
   *
   * @param name a fully qualified name
   * @return the targets (normally zero or one)
   */
  List<String> cname(String name);
}
