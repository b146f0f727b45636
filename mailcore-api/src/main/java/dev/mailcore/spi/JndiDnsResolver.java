package dev.mailcore.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DnsResolver} on the JDK's JNDI DNS provider ({@code com.sun.jndi.dns}): by default the
 * system's name servers ({@link DnsResolver#system()}), or the servers and timeouts a
 * {@link Builder} names ({@link DnsResolver#jndi()}).
 *
 * <pre>{@code
 * DnsResolver dns = DnsResolver.jndi()
 *     .servers("10.0.0.2", "[2001:db8::53]:53")
 *     .timeout(Duration.ofSeconds(1))
 *     .retries(1)
 *     .build();
 * }</pre>
 *
 * <p>Each lookup asks the servers in order over UDP (TCP when an answer is truncated). The
 * first attempt waits {@link Builder#timeout(Duration)} for a server, and each of the
 * {@link Builder#retries(int)} further rounds waits twice as long as the one before (JNDI's
 * schedule), so one lookup against a server that never answers takes about
 * {@code timeout * (2^(retries+1) - 1)} per server. A name that does not exist, a server that
 * does not answer and any other failure all yield an empty list, as the SPI says; failures are
 * logged at WARN with the servers asked. Thread-safe: each lookup uses its own JNDI context.
 */
public final class JndiDnsResolver implements DnsResolver {
  static final JndiDnsResolver SYSTEM = builder().build();
  private static final Logger LOG = LoggerFactory.getLogger(JndiDnsResolver.class);
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

  private final Hashtable<String, String> env;
  private final String description;

  private JndiDnsResolver(Builder b) {
    env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("com.sun.jndi.dns.timeout.initial", Long.toString(b.timeout.toMillis()));
    env.put("com.sun.jndi.dns.timeout.retries", Integer.toString(b.retries + 1));
    if (!b.servers.isEmpty()) {
      env.put("java.naming.provider.url", String.join(" ",
          b.servers.stream().map(s -> "dns://" + s + "/").toList()));
    }
    description = (b.servers.isEmpty() ? "system name servers" : "servers " + b.servers)
        + ", timeout " + b.timeout.toMillis() + " ms, " + b.retries + " retries";
  }

  /**
   * A builder with the defaults: the system's name servers, a 2 second first timeout, 1 retry.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<String> txt(String name) {
    return lookup(name, "TXT").stream().map(JndiDnsResolver::joinTxt).toList();
  }

  /**
   * One TXT record's character-strings joined, as SPF and DMARC read them (RFC 7208 section
   * 3.3: no separator). JNDI presents the strings separated by one space, each in double quotes
   * if it contains a space (or is empty), with backslash before every backslash and quote.
   */
  private static String joinTxt(String presented) {
    StringBuilder out = new StringBuilder(presented.length());
    boolean quoted = false;
    for (int i = 0; i < presented.length(); i++) {
      char c = presented.charAt(i);
      if (c == '\\' && i + 1 < presented.length()) {
        out.append(presented.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c != ' ' || quoted) {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public List<String> mx(String name) {
    List<String> out = new ArrayList<>();
    for (String v : lookup(name, "MX")) {
      String[] parts = v.trim().split("\\s+");
      out.add(host(parts[parts.length - 1]));
    }
    return out;
  }

  @Override
  public List<String> cname(String name) {
    return lookup(name, "CNAME").stream().map(JndiDnsResolver::host).toList();
  }

  @Override
  public String toString() {
    return "JndiDnsResolver(" + description + ")";
  }

  private static String host(String h) {
    String s = h.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private List<String> lookup(String name, String type) {
    Objects.requireNonNull(name, "name");
    List<String> out = new ArrayList<>();
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      Attributes attrs = ctx.getAttributes(name, new String[] {type});
      Attribute a = attrs.get(type);
      if (a != null) {
        NamingEnumeration<?> values = a.getAll();
        while (values.hasMore()) {
          out.add(String.valueOf(values.next()));
        }
      }
    } catch (NameNotFoundException e) {
      return List.of();
    } catch (NamingException e) {
      LOG.warn("DNS {} lookup of {} failed ({}): {}", type, name, description, e.toString());
      return List.of();
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException ignored) {
          // nothing to release beyond the context
        }
      }
    }
    return out;
  }

  /**
   * Configures a {@link JndiDnsResolver}. Each setter checks its value at once. Not
   * thread-safe; the built resolver is.
   */
  public static final class Builder {
    private List<String> servers = List.of();
    private Duration timeout = Duration.ofSeconds(2);
    private int retries = 1;

    private Builder() {}

    /**
     * The name servers to ask, in order, instead of the system's. Each is a host or IP
     * address with an optional port: {@code 10.0.0.2}, {@code 127.0.0.1:5353}, {@code ::1},
     * {@code [2001:db8::53]:5353}, {@code ns1.example.net}. No servers (the default) means the
     * system's.
     *
     * @param servers the servers
     * @return this builder
     * @throws IllegalArgumentException if a server is blank or its port is not 1-65535
     */
    public Builder servers(String... servers) {
      Objects.requireNonNull(servers, "servers");
      List<String> parsed = new ArrayList<>();
      for (String s : servers) {
        parsed.add(server(Objects.requireNonNull(s, "servers[" + parsed.size() + "]")));
      }
      this.servers = List.copyOf(parsed);
      return this;
    }

    /**
     * How long the first attempt waits for a server's answer (default 2 seconds); each retry
     * waits twice as long as the attempt before.
     *
     * @param timeout 1 millisecond to 60 seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "DNS timeout must be between 1 ms and 60 s, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How many more rounds to try after the first one times out (default 1).
     *
     * @param retries 0 to 5
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 5) {
        throw new IllegalArgumentException("DNS retries must be 0 to 5, got " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return a thread-safe resolver
     */
    public JndiDnsResolver build() {
      return new JndiDnsResolver(this);
    }

    /** {@code host[:port]} as a JNDI DNS URL authority, IPv6 literals bracketed. */
    private static String server(String text) {
      String s = text.strip();
      String host = s;
      String port = null;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          throw badServer(text, "has no closing ']'");
        }
        host = s.substring(0, close + 1);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            throw badServer(text, "has text after ']' that is not ':port'");
          }
          port = rest.substring(1);
        }
      } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
        host = s.substring(0, s.indexOf(':'));
        port = s.substring(s.indexOf(':') + 1);
      } else if (s.indexOf(':') >= 0) {
        host = "[" + s + "]"; // a bare IPv6 literal
      }
      if (host.isEmpty() || host.equals("[]") || host.chars().anyMatch(
          c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
        throw badServer(text, "needs a host name or IP address");
      }
      if (port == null) {
        return host;
      }
      int p;
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw badServer(text, "has port '" + port + "'; a port is 1-65535");
      }
      return host + ":" + p;
    }

    private static IllegalArgumentException badServer(String text, String why) {
      return new IllegalArgumentException("DNS server '" + text + "' " + why
          + "; give host, host:port, IPv4, or [IPv6]:port");
    }
  }
}
