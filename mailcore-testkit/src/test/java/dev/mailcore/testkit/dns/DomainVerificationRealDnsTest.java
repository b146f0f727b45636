package dev.mailcore.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.DnsRecord;
import dev.mailcore.DnsVerification;
import dev.mailcore.Domain;
import dev.mailcore.MailCore;
import dev.mailcore.spi.DnsResolver;
import dev.mailcore.testkit.FakeDomainIdentities;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code domains().verify} with the JNDI resolver against a real DNS server on loopback that
 * publishes exactly the records {@code domains().dnsRecords} asks for (or all but one of them).
 */
class DomainVerificationRealDnsTest {
  private LoopbackDnsServer server;
  private MailCore mail;
  private Domain domain;

  @BeforeEach
  void start() throws Exception {
    server = LoopbackDnsServer.start();
    FakeDomainIdentities identities = new FakeDomainIdentities();
    mail = mail(DnsResolver.jndi().servers(server.address()).build(), identities);
    domain = mail.domains().create("org_1", "mail.acme.test");
    identities.markDkimVerified(domain.name());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static MailCore mail(DnsResolver dns, FakeDomainIdentities identities) {
    return MailCore.builder().store(new InMemoryMailStore()).blobStore(new InMemoryBlobStore())
        .domainIdentities(identities).dnsResolver(dns).build();
  }

  /** Publishes what mailcore asked for, except the records {@code skip} matches. */
  private void publish(Predicate<DnsRecord> skip) {
    for (DnsRecord r : mail.domains().dnsRecords(domain.id())) {
      if (skip.test(r)) {
        continue;
      }
      switch (r.type()) {
        case "MX" -> server.mx(r.name(), r.priority().orElse(10), r.value());
        // split in two strings, as long TXT values are published
        case "TXT" -> server.txt(r.name(), r.value().substring(0, 7), r.value().substring(7));
        case "CNAME" -> server.cname(r.name(), r.value());
        default -> throw new IllegalStateException("unexpected record type " + r.type());
      }
    }
  }

  @Test
  void verify_whenEveryRecordIsPublished_passesAll() {
    publish(r -> false);

    Domain verified = mail.domains().verify(domain.id());

    assertThat(verified.verification()).isEqualTo(new DnsVerification(true, true, true, true));
    assertThat(mail.domains().dnsRecords(domain.id())).allMatch(DnsRecord::verified);
  }

  @Test
  void verify_whenOneRecordIsMissing_failsThatRecordOnly() {
    for (DnsRecord.Purpose missing : DnsRecord.Purpose.values()) {
      server.clear();
      publish(r -> r.purpose() == missing);

      DnsVerification v = mail.domains().verify(domain.id()).verification();

      assertThat(List.of(v.mx(), v.spf(), v.dkim(), v.dmarc()))
          .as("verification with the %s record missing", missing)
          .isEqualTo(List.of(missing != DnsRecord.Purpose.MX, missing != DnsRecord.Purpose.SPF,
              missing != DnsRecord.Purpose.DKIM, missing != DnsRecord.Purpose.DMARC));
    }
  }

  @Test
  void verify_whenOneDkimCnamePointsElsewhere_failsDkim() {
    List<DnsRecord> dkim = mail.domains().dnsRecords(domain.id()).stream()
        .filter(r -> r.purpose() == DnsRecord.Purpose.DKIM).toList();
    publish(r -> r.equals(dkim.get(1)));
    server.cname(dkim.get(1).name(), "someone-else.dkim.example.net");
    server.mx(domain.name(), 5, "mx.other-provider.test");

    DnsVerification v = mail.domains().verify(domain.id()).verification();

    assertThat(v.dkim()).isFalse();
    assertThat(v.mx()).isTrue();
    assertThat(v.spf()).isTrue();
    assertThat(v.dmarc()).isTrue();
  }

  @Test
  void verify_whenTheServerNeverAnswers_reportsNothingVerifiedAndThrowsNothing()
      throws Exception {
    publish(r -> false);
    mail.domains().verify(domain.id());
    try (LoopbackDnsServer dead = LoopbackDnsServer.silent()) {
      FakeDomainIdentities identities = new FakeDomainIdentities();
      MailCore cut = mail(DnsResolver.jndi().servers(dead.address())
          .timeout(Duration.ofMillis(50)).retries(0).build(), identities);
      Domain d = cut.domains().create("org_1", "mail.acme.test");
      identities.markDkimVerified(d.name());

      Domain after = cut.domains().verify(d.id());

      assertThat(after.verification()).isEqualTo(DnsVerification.NONE);
      assertThat(dead.queries()).isPositive();
    }
  }
}
