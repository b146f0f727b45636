package dev.mailcore.internal.engine;

import dev.mailcore.DnsRecord;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.spi.DnsResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The records a domain must publish (DESIGN section 9), and checking them. The provider's
 * records come from its {@link dev.mailcore.spi.DomainIdentities}; this class adds the
 * application's own MX host and DMARC, and checks any record by its type. It names no provider.
 */
final class DnsRecords {
  static final String DMARC = "v=DMARC1; p=none;";

  private DnsRecords() {}

  /** The records to publish for {@code d}, with the stored verification state. */
  static List<DnsRecord> expected(Domain d, EngineConfig config) {
    List<DnsRecord> out = new ArrayList<>();
    Optional<String> ownMx = config.inboundMxHost();
    ownMx.ifPresent(host -> out.add(new DnsRecord(DnsRecord.Purpose.MX, "MX", d.name(), host,
        Optional.of(10), false)));
    config.identities().ifPresent(p -> p.dnsRecords(d).stream()
        .filter(r -> ownMx.isEmpty() || r.purpose() != DnsRecord.Purpose.MX)
        .forEach(out::add));
    out.add(new DnsRecord(DnsRecord.Purpose.DMARC, "TXT", "_dmarc." + d.name(), DMARC,
        Optional.empty(), false));
    DnsVerification v = d.verification();
    return out.stream().map(r -> r.withVerified(switch (r.purpose()) {
      case MX -> v.mx();
      case SPF, MAIL_FROM -> v.spf();
      case DKIM -> v.dkim();
      case DMARC -> v.dmarc();
    })).toList();
  }

  /** Looks every expected record up; a kind with no expected record counts as in place. */
  static DnsVerification check(List<DnsRecord> expected, DnsResolver dns, boolean providerDkim) {
    Map<DnsRecord.Purpose, Boolean> found = new EnumMap<>(DnsRecord.Purpose.class);
    for (DnsRecord r : expected) {
      found.merge(r.purpose(), published(r, dns), Boolean::logicalAnd);
    }
    return new DnsVerification(found.getOrDefault(DnsRecord.Purpose.MX, true),
        found.getOrDefault(DnsRecord.Purpose.SPF, true)
            && found.getOrDefault(DnsRecord.Purpose.MAIL_FROM, true),
        providerDkim && found.getOrDefault(DnsRecord.Purpose.DKIM, true),
        found.getOrDefault(DnsRecord.Purpose.DMARC, true));
  }

  private static boolean published(DnsRecord r, DnsResolver dns) {
    return switch (r.type()) {
      case "MX" -> dns.mx(r.name()).stream().anyMatch(h -> sameHost(h, r.value()));
      case "CNAME" -> dns.cname(r.name()).stream().anyMatch(h -> sameHost(h, r.value()));
      default -> dns.txt(r.name()).stream().anyMatch(t -> txtMatches(t, r));
    };
  }

  /** SPF: a v=spf1 record holding every include the expected one has; DMARC: any policy. */
  private static boolean txtMatches(String published, DnsRecord expected) {
    String got = published.strip().toLowerCase(Locale.ROOT);
    String want = expected.value().strip().toLowerCase(Locale.ROOT);
    if (expected.purpose() == DnsRecord.Purpose.DMARC) {
      return got.startsWith("v=dmarc1");
    }
    if (want.startsWith("v=spf1")) {
      List<String> have = Arrays.asList(got.split("\\s+"));
      return got.startsWith("v=spf1") && Arrays.stream(want.split("\\s+"))
          .filter(m -> m.startsWith("include:")).allMatch(have::contains);
    }
    return got.equals(want);
  }

  private static boolean sameHost(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
