package dev.mailcore.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.spi.DnsResolver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JNDI resolver against a real DNS server on loopback ({@link LoopbackDnsServer}). */
class JndiDnsResolverTest {
  private LoopbackDnsServer server;
  private DnsResolver dns;

  @BeforeEach
  void start() throws Exception {
    server = LoopbackDnsServer.start();
    dns = DnsResolver.jndi().servers(server.address()).timeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void txt_joinsTheStringsOfEachRecord() {
    server.txt("acme.test", "v=spf1 ", "include:amazonses.com ~all")
        .txt("acme.test", "google-site-verification=abc");

    assertThat(dns.txt("acme.test")).containsExactlyInAnyOrder(
        "v=spf1 include:amazonses.com ~all", "google-site-verification=abc");
  }

  @Test
  void txt_joinsUnquotedQuotedAndEscapedStringsWithoutSeparators() {
    server.txt("_dmarc.acme.test", "v=DMARC", "1; p=none;")
        .txt("odd.acme.test", "a\"b", "c\\\\d", "", "e f"); // dnsjava unescapes: c\d on the wire

    assertThat(dns.txt("_dmarc.acme.test")).containsExactly("v=DMARC1; p=none;");
    assertThat(dns.txt("odd.acme.test")).containsExactly("a\"bc\\de f");
  }

  @Test
  void mx_returnsLowerCaseHostsWithoutTheTrailingDot() {
    server.mx("acme.test", 10, "Inbound-SMTP.us-east-1.AmazonAWS.com")
        .mx("acme.test", 20, "backup.acme.test");

    assertThat(dns.mx("acme.test")).containsExactlyInAnyOrder(
        "inbound-smtp.us-east-1.amazonaws.com", "backup.acme.test");
  }

  @Test
  void cname_returnsTheTarget() {
    server.cname("tok1._domainkey.acme.test", "tok1.dkim.amazonses.com");

    assertThat(dns.cname("tok1._domainkey.acme.test"))
        .containsExactly("tok1.dkim.amazonses.com");
  }

  @Test
  void lookups_ofUnknownNamesOrMissingTypes_areEmpty() {
    server.mx("acme.test", 10, "mx.acme.test");

    assertThat(dns.txt("nowhere.test")).isEmpty();
    assertThat(dns.txt("acme.test")).isEmpty();
    assertThat(dns.cname("acme.test")).isEmpty();
    assertThat(server.queries()).isEqualTo(3);
  }

  @Test
  void lookups_againstAServerThatNeverAnswers_timeOutToEmpty() throws Exception {
    try (LoopbackDnsServer dead = LoopbackDnsServer.silent()) {
      DnsResolver resolver = DnsResolver.jndi().servers(dead.address())
          .timeout(Duration.ofMillis(50)).retries(1).build();

      assertThat(resolver.mx("acme.test")).isEmpty();
      assertThat(resolver.txt("acme.test")).isEmpty();
      assertThat(dead.queries()).isEqualTo(4); // two attempts per lookup
    }
  }

  @Test
  void servers_areAskedInOrder_theNextAfterOneTimesOut() throws Exception {
    server.txt("acme.test", "hello");
    try (LoopbackDnsServer dead = LoopbackDnsServer.silent()) {
      DnsResolver resolver = DnsResolver.jndi().servers(dead.address(), server.address())
          .timeout(Duration.ofMillis(50)).retries(0).build();

      assertThat(resolver.txt("acme.test")).containsExactly("hello");
      assertThat(dead.queries()).isEqualTo(1);
    }
  }

  @Test
  void builder_refusesBadServersAndTimeoutsNamingThem() {
    assertThatThrownBy(() -> DnsResolver.jndi().servers("127.0.0.1:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'127.0.0.1:99999'").hasMessageContaining("port");
    assertThatThrownBy(() -> DnsResolver.jndi().servers("[::1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("']'");
    assertThatThrownBy(() -> DnsResolver.jndi().servers(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    assertThatThrownBy(() -> DnsResolver.jndi().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS timeout");
    assertThatThrownBy(() -> DnsResolver.jndi().retries(9))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries");
    assertThat(DnsResolver.jndi().servers("::1", "[::1]:5353", "ns1.example.net").build())
        .hasToString("JndiDnsResolver(servers [[::1], [::1]:5353, ns1.example.net],"
            + " timeout 2000 ms, 1 retries)");
  }
}
