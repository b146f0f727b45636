package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DeliveryException;
import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.MailCore;
import dev.mailcore.testkit.FakeDnsResolver;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** {@link SesDomainIdentities} behind {@code mail.domains()}, real SDK client, SES stand-in. */
class SesDomainIdentitiesTest {

  @RegisterExtension
  final SesStandIn ses = new SesStandIn();

  private SesV2Client client;
  private SesDomainIdentities identities;
  private final FakeDnsResolver dns = new FakeDnsResolver();
  private MailCore mail;

  @BeforeEach
  void wire() {
    client = ses.client("eu-west-1");
    identities = SesDomainIdentities.builder().client(client).accountId("123456789012").build();
    mail = MailCore.builder().store(new InMemoryMailStore()).blobStore(new InMemoryBlobStore())
        .domainIdentities(identities).dnsResolver(dns).build();
  }

  @AfterEach
  void close() {
    mail.close();
    identities.close();
    client.close();
    assertThat(ses.problems()).isEmpty();
  }

  @Test
  void create_registersAnEasyDkimIdentityAndStoresTokensAndArn() {
    Domain d = mail.domains().create("org_1", "acme.test");

    assertThat(ses.calls()).containsExactly("POST /v2/email/identities");
    assertThat(ses.identities()).containsKey("acme.test");
    assertThat(d.dkimTokens()).isEqualTo(ses.identities().get("acme.test").tokens)
        .hasSize(3);
    assertThat(d.sesIdentityArn())
        .contains("arn:aws:ses:eu-west-1:123456789012:identity/acme.test");
  }

  @Test
  void create_whenSesAlreadyHasTheIdentity_adoptsIt() {
    ses.identities().put("acme.test", new SesStandIn.Identity("acme.test"));

    Domain d = mail.domains().create("org_1", "acme.test");

    assertThat(ses.calls()).containsExactly("POST /v2/email/identities",
        "GET /v2/email/identities/acme.test");
    assertThat(d.dkimTokens()).isEqualTo(ses.identities().get("acme.test").tokens);
  }

  @Test
  void create_withABounceAddressOnASubdomain_setsTheMailFromDomainAndListsItsRecords() {
    Domain d = mail.domains().create("org_1", "acme.test",
        DomainSettings.NONE.withBounceAddress("bounces@mail.acme.test"));

    assertThat(ses.identities().get("acme.test").mailFromDomain).isEqualTo("mail.acme.test");
    List<DnsRecord> records = mail.domains().dnsRecords(d.id());
    assertThat(records).extracting(r -> r.purpose() + " " + r.type() + " " + r.name() + " "
        + r.value()).containsExactly(
        "MX MX acme.test inbound-smtp.eu-west-1.amazonaws.com",
        "SPF TXT acme.test v=spf1 include:amazonses.com ~all",
        "DKIM CNAME " + d.dkimTokens().get(0) + "._domainkey.acme.test "
            + d.dkimTokens().get(0) + ".dkim.amazonses.com",
        "DKIM CNAME " + d.dkimTokens().get(1) + "._domainkey.acme.test "
            + d.dkimTokens().get(1) + ".dkim.amazonses.com",
        "DKIM CNAME " + d.dkimTokens().get(2) + "._domainkey.acme.test "
            + d.dkimTokens().get(2) + ".dkim.amazonses.com",
        "MAIL_FROM MX mail.acme.test feedback-smtp.eu-west-1.amazonses.com",
        "MAIL_FROM TXT mail.acme.test v=spf1 include:amazonses.com ~all",
        "DMARC TXT _dmarc.acme.test v=DMARC1; p=none;");
  }

  @Test
  void create_withABounceAddressOnTheDomainItself_setsNoMailFromDomain() {
    Domain d = mail.domains().create("org_1", "acme.test",
        DomainSettings.NONE.withBounceAddress("bounces@acme.test"));

    assertThat(ses.calls()).containsExactly("POST /v2/email/identities");
    assertThat(mail.domains().dnsRecords(d.id()))
        .noneMatch(r -> r.purpose() == DnsRecord.Purpose.MAIL_FROM);
  }

  @Test
  void update_whenTheBounceAddressChanges_movesOrClearsTheMailFromDomain() {
    Domain d = mail.domains().create("org_1", "acme.test");

    mail.domains().update(d.id(), DomainSettings.NONE.withBounceAddress("b@bounce.acme.test"));
    assertThat(ses.identities().get("acme.test").mailFromDomain).isEqualTo("bounce.acme.test");

    mail.domains().update(d.id(), DomainSettings.NONE.withFromName("Acme")
        .withBounceAddress("b@bounce.acme.test"));
    assertThat(ses.calls()).filteredOn(c -> c.endsWith("/mail-from")).hasSize(1)
        .as("an unchanged bounce address is not sent again");

    mail.domains().update(d.id(), DomainSettings.NONE);
    assertThat(ses.identities().get("acme.test").mailFromDomain).isNull();
  }

  @Test
  void verify_needsTheRecordsInDnsAndSesReportingDkimSuccess() {
    Domain d = mail.domains().create("org_1", "acme.test",
        DomainSettings.NONE.withBounceAddress("bounces@mail.acme.test"));
    for (DnsRecord r : mail.domains().dnsRecords(d.id())) {
      switch (r.type()) {
        case "MX" -> dns.addMx(r.name(), r.value());
        case "TXT" -> dns.addTxt(r.name(), r.value());
        default -> dns.addCname(r.name(), r.value());
      }
    }

    Domain pending = mail.domains().verify(d.id());
    assertThat(pending.verification().mx()).isTrue();
    assertThat(pending.verification().spf()).isTrue();
    assertThat(pending.verification().dkim()).as("SES still reports PENDING").isFalse();

    ses.identities().get("acme.test").dkimStatus = "SUCCESS";
    assertThat(mail.domains().verify(d.id()).verification().allVerified()).isTrue();
    assertThat(mail.domains().dnsRecords(d.id())).allMatch(DnsRecord::verified);
  }

  @Test
  void delete_deletesTheSesIdentityAndAnUnknownOneIsFine() {
    Domain d = mail.domains().create("org_1", "acme.test");

    mail.domains().delete(d.id());
    identities.delete("never-registered.test");

    assertThat(ses.identities()).doesNotContainKey("acme.test");
    assertThat(ses.calls()).contains("DELETE /v2/email/identities/acme.test",
        "DELETE /v2/email/identities/never-registered.test");
    assertThat(identities.get("acme.test")).isEmpty();
  }

  @Test
  void create_whenSesThrottles_isRetryableAndStoresNoDomain() {
    ses.failNext(429, "TooManyRequestsException", "Too many requests.");

    assertThatThrownBy(() -> mail.domains().create("org_1", "acme.test"))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("CreateEmailIdentity acme.test")
        .hasMessageContaining("TooManyRequestsException");
    assertThat(mail.domains().byName("acme.test")).isEmpty();
    assertThat(mail.domains().create("org_1", "acme.test").dkimTokens()).hasSize(3);
  }

  @Test
  void delete_whenSesRefuses_keepsTheDomain() {
    Domain d = mail.domains().create("org_1", "acme.test");
    ses.failNext(400, "BadRequestException", "Identity is in use.");

    assertThatThrownBy(() -> mail.domains().delete(d.id()))
        .isInstanceOfSatisfying(DeliveryException.class,
            e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("Identity is in use.");
    assertThat(mail.domains().get(d.id())).isPresent();
  }

  @Test
  void dnsRecords_whenNotReceivingThroughSes_listNoInboundMx() {
    try (SesDomainIdentities sending = SesDomainIdentities.builder().client(client)
        .receiving(false).build()) {
      Domain d = mail.domains().create("org_1", "acme.test");

      assertThat(sending.dnsRecords(d)).noneMatch(r -> r.type().equals("MX"));
      assertThat(sending.get("acme.test")).hasValueSatisfying(
          i -> assertThat(i.arn()).as("no ARN without accountId").isEmpty());
    }
  }
}
