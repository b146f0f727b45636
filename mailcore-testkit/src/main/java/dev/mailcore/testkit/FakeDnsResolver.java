package dev.mailcore.testkit;

import dev.mailcore.spi.DnsResolver;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DnsResolver} answering from records the test publishes. Names are compared
 * case-insensitively. Thread-safe.
 */
public final class FakeDnsResolver implements DnsResolver {
  private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
  private final Map<String, List<String>> mx = new ConcurrentHashMap<>();
  private final Map<String, List<String>> cname = new ConcurrentHashMap<>();

  /** Creates a resolver with no records. */
  public FakeDnsResolver() {}

  /**
   * Publishes a TXT record.
   *
   * @param name the owner name
   * @param value the record text
   * @return this resolver
   */
  public FakeDnsResolver addTxt(String name, String value) {
    add(txt, name, value);
    return this;
  }

  /**
   * Publishes an MX record.
   *
   * @param name the owner name
   * @param host the exchange host
   * @return this resolver
   */
  public FakeDnsResolver addMx(String name, String host) {
    add(mx, name, host.toLowerCase(Locale.ROOT));
    return this;
  }

  /**
   * Publishes a CNAME record.
   *
   * @param name the owner name
   * @param target the target
   * @return this resolver
   */
  public FakeDnsResolver addCname(String name, String target) {
    add(cname, name, target.toLowerCase(Locale.ROOT));
    return this;
  }

  /** Removes every record. */
  public void clear() {
    txt.clear();
    mx.clear();
    cname.clear();
  }

  @Override
  public List<String> txt(String name) {
    return List.copyOf(txt.getOrDefault(key(name), List.of()));
  }

  @Override
  public List<String> mx(String name) {
    return List.copyOf(mx.getOrDefault(key(name), List.of()));
  }

  @Override
  public List<String> cname(String name) {
    return List.copyOf(cname.getOrDefault(key(name), List.of()));
  }

  private static void add(Map<String, List<String>> map, String name, String value) {
    map.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(value);
  }

  private static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
