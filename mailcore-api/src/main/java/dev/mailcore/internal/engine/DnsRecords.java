package dev.mailcore.internal.engine;

import dev.mailcore.DnsRecord;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.spi.DnsResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The records a domain must publish (DESIGN section 9), and checking them. */
final class DnsRecords {
  static final String SPF = "v=spf1 include:amazonses.com ~all";
  private static final String SPF_INCLUDE = "include:amazonses.com";
  private static final String DKIM_TARGET = ".dkim.amazonses.com";

  private DnsRecords() {}

  static List<DnsRecord> expected(Domain d, String mxHost) {
    DnsVerification v = d.verification();
    List<DnsRecord> out = new ArrayList<>();
    out.add(new DnsRecord(DnsRecord.Purpose.MX, "MX", d.name(), mxHost, Optional.of(10), v.mx()));
    out.add(new DnsRecord(DnsRecord.Purpose.SPF, "TXT", d.name(), SPF, Optional.empty(), v.spf()));
    for (String token : d.dkimTokens()) {
      out.add(new DnsRecord(DnsRecord.Purpose.DKIM, "CNAME", dkimName(token, d),
          token + DKIM_TARGET, Optional.empty(), v.dkim()));
    }
    out.add(new DnsRecord(DnsRecord.Purpose.DMARC, "TXT", "_dmarc." + d.name(),
        "v=DMARC1; p=none;", Optional.empty(), v.dmarc()));
    return out;
  }

  static DnsVerification check(Domain d, String mxHost, DnsResolver dns, boolean providerDkim) {
    boolean mx = dns.mx(d.name()).stream().anyMatch(h -> h.equalsIgnoreCase(mxHost));
    boolean spf = dns.txt(d.name()).stream().map(t -> t.toLowerCase(Locale.ROOT))
        .anyMatch(t -> t.startsWith("v=spf1") && t.contains(SPF_INCLUDE));
    boolean dkim = providerDkim && !d.dkimTokens().isEmpty() && d.dkimTokens().stream()
        .allMatch(token -> dns.cname(dkimName(token, d)).stream()
            .anyMatch(c -> c.equalsIgnoreCase(token + DKIM_TARGET)));
    boolean dmarc = dns.txt("_dmarc." + d.name()).stream()
        .anyMatch(t -> t.strip().toUpperCase(Locale.ROOT).startsWith("V=DMARC1"));
    return new DnsVerification(mx, spf, dkim, dmarc);
  }

  private static String dkimName(String token, Domain d) {
    return token + "._domainkey." + d.name();
  }
}
