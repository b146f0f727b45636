package dev.mailcore.spi;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DnsResolver#system()}: the JDK's JNDI DNS provider with the system's resolvers. */
final class JndiDnsResolver implements DnsResolver {
  static final JndiDnsResolver INSTANCE = new JndiDnsResolver();
  private static final Logger LOG = LoggerFactory.getLogger(JndiDnsResolver.class);

  private JndiDnsResolver() {}

  @Override
  public List<String> txt(String name) {
    List<String> out = new ArrayList<>();
    for (String v : lookup(name, "TXT")) {
      // JNDI returns one TXT record's strings as quoted parts: "v=spf1 " "include:..."
      out.add(v.replaceAll("\"\\s*\"", "").replace("\"", ""));
    }
    return out;
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

  private static String host(String h) {
    String s = h.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> lookup(String name, String type) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("com.sun.jndi.dns.timeout.initial", "2000");
    env.put("com.sun.jndi.dns.timeout.retries", "2");
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
      LOG.warn("DNS {} lookup of {} failed: {}", type, name, e.toString());
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
}
