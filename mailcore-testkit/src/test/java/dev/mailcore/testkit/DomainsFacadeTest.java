package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.ConflictException;
import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.NotFoundException;
import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MailCoreExtension.class)
class DomainsFacadeTest {

  @Test
  void create_normalizesTheNameAndRecordsTheProviderIdentity(MailCore mail) {
    Domain d = mail.domains().create("org_1", "Mail.ACME.test.");

    assertThat(d.name()).isEqualTo("mail.acme.test");
    assertThat(d.organizationId()).isEqualTo("org_1");
    assertThat(d.sesIdentityArn()).hasValueSatisfying(arn -> assertThat(arn).endsWith("/mail.acme.test"));
    assertThat(d.dkimTokens()).hasSize(3);
    assertThat(d.verification().allVerified()).isFalse();
    assertThat(mail.domains().get(d.id())).contains(d);
    assertThat(mail.domains().byName("MAIL.acme.test")).contains(d);
  }

  @Test
  void create_whenNameTakenByAnActiveDomain_conflictNamesItAndAfterDeleteSucceeds(MailCore mail) {
    Domain first = mail.domains().create("org_1", "acme.test");

    assertThatThrownBy(() -> mail.domains().create("org_2", "ACME.test"))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.resource()).isEqualTo("domain");
          assertThat(e.id()).isEqualTo(first.id().toString());
          assertThat(e.getMessage()).contains("'acme.test' is already registered")
              .contains(first.id().toString());
        });

    mail.domains().delete(first.id());
    assertThat(mail.domains().get(first.id())).isEmpty();
    assertThat(mail.domains().create("org_2", "acme.test").id()).isNotEqualTo(first.id());
  }

  @Test
  void create_whenNameInvalid_failsNamingIt(MailCore mail) {
    for (String bad : List.of("localhost", "bad_domain.test", "-x.test", "a..b.test", "")) {
      assertThatThrownBy(() -> mail.domains().create("org_1", bad))
          .isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("name"));
    }
    assertThatThrownBy(() -> mail.domains().create(" ", "ok.test"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("organizationId");
    assertThatThrownBy(() -> mail.domains().create("org\u0000x", "ok.test"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("organizationId")
        .hasMessageContaining("code 0");
  }

  @Test
  void list_pagesThroughOneOrganizationsDomainsOldestFirst(MailCoreTestkit kit) {
    List<Domain> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(kit.mail().domains().create("org_1", "d" + i + ".test"));
      kit.clock().advance(Duration.ofSeconds(1));
    }
    kit.mail().domains().create("org_2", "other.test");

    List<Domain> seen = new ArrayList<>();
    Page<Domain> page = kit.mail().domains().list("org_1", PageRequest.first(2));
    seen.addAll(page.items());
    while (page.hasNext()) {
      page = kit.mail().domains().list("org_1", PageRequest.after(page.nextCursor().get()).withLimit(2));
      seen.addAll(page.items());
    }
    assertThat(seen).containsExactlyElementsOf(created);
  }

  @Test
  void update_replacesSenderDefaults(MailCore mail) {
    Domain d = mail.domains().create("org_1", "acme.test");

    Domain u = mail.domains().update(d.id(),
        DomainSettings.NONE.withFromName("Acme").withReplyTo("help@acme.test"));

    assertThat(u.fromName()).contains("Acme");
    assertThat(u.replyToAddress().map(a -> a.address())).contains("help@acme.test");
    assertThat(mail.domains().get(d.id())).contains(u);
  }

  @Test
  void dnsRecordsAndVerify_reportEachRecordAndFlipWhenPublished(MailCoreTestkit kit) {
    Domain d = kit.mail().domains().create("org_1", "acme.test");
    List<DnsRecord> records = kit.mail().domains().dnsRecords(d.id());

    assertThat(records).extracting(DnsRecord::purpose).containsExactly(DnsRecord.Purpose.MX,
        DnsRecord.Purpose.SPF, DnsRecord.Purpose.DKIM, DnsRecord.Purpose.DKIM,
        DnsRecord.Purpose.DKIM, DnsRecord.Purpose.DMARC);
    assertThat(records).noneMatch(DnsRecord::verified);
    assertThat(kit.mail().domains().verify(d.id()).verification().allVerified()).isFalse();

    for (DnsRecord r : records) {
      switch (r.type()) {
        case "MX" -> kit.dns().addMx(r.name(), r.value());
        case "TXT" -> kit.dns().addTxt(r.name(), r.value());
        default -> kit.dns().addCname(r.name(), r.value());
      }
    }
    Domain partly = kit.mail().domains().verify(d.id());
    assertThat(partly.verification().mx()).isTrue();
    assertThat(partly.verification().spf()).isTrue();
    assertThat(partly.verification().dmarc()).isTrue();
    assertThat(partly.verification().dkim()).as("provider has not seen DKIM yet").isFalse();

    kit.identities().markDkimVerified("acme.test");
    assertThat(kit.mail().domains().verify(d.id()).verification().allVerified()).isTrue();
    assertThat(kit.mail().domains().dnsRecords(d.id())).allMatch(DnsRecord::verified);
  }

  @Test
  void dnsRecords_nameOnlyTheConfiguredProvidersHosts(MailCoreTestkit kit) {
    Domain d = kit.mail().domains().create("org_1", "acme.test");

    List<DnsRecord> records = kit.mail().domains().dnsRecords(d.id());

    assertThat(records).filteredOn(r -> r.purpose() != DnsRecord.Purpose.DMARC)
        .allMatch(r -> r.value().contains("mail-provider.test"), "the fake provider's hosts");
    assertThat(records).noneMatch(r -> r.value().toLowerCase().contains("amazon"));
    assertThat(records).filteredOn(r -> r.type().equals("MX")).singleElement()
        .satisfies(r -> assertThat(r.value()).isEqualTo(FakeDomainIdentities.MX_HOST));
  }

  @Test
  void dnsRecords_withoutAProvider_listOnlyDmarcAndVerifyNeedsOnlyThat() {
    FakeDnsResolver dns = new FakeDnsResolver();
    try (MailCore mail = MailCore.builder().store(new InMemoryMailStore())
        .blobStore(new InMemoryBlobStore()).dnsResolver(dns).build()) {
      Domain d = mail.domains().create("org_1", "acme.test");

      List<DnsRecord> records = mail.domains().dnsRecords(d.id());

      assertThat(d.sesIdentityArn()).isEmpty();
      assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.purpose()).isEqualTo(DnsRecord.Purpose.DMARC);
        assertThat(r.name()).isEqualTo("_dmarc.acme.test");
      });
      assertThat(mail.domains().verify(d.id()).verification().allVerified()).isFalse();
      dns.addTxt("_dmarc.acme.test", "v=DMARC1; p=quarantine;");
      assertThat(mail.domains().verify(d.id()).verification().allVerified()).isTrue();
    }
  }

  @Test
  void dnsRecords_withTheApplicationsOwnMxHost_replaceTheProvidersMx() {
    FakeDnsResolver dns = new FakeDnsResolver();
    try (MailCore mail = MailCore.builder().store(new InMemoryMailStore())
        .blobStore(new InMemoryBlobStore()).dnsResolver(dns)
        .domainIdentities(new FakeDomainIdentities()).inboundMxHost("MX.Acme.test").build()) {
      Domain d = mail.domains().create("org_1", "acme.test");

      List<DnsRecord> records = mail.domains().dnsRecords(d.id());

      assertThat(records).filteredOn(r -> r.type().equals("MX")).singleElement()
          .satisfies(r -> assertThat(r.value()).isEqualTo("mx.acme.test"));
      assertThat(records).extracting(DnsRecord::purpose).contains(DnsRecord.Purpose.SPF,
          DnsRecord.Purpose.DKIM, DnsRecord.Purpose.DMARC);
      dns.addMx("acme.test", "mx.acme.test.");
      dns.addTxt("acme.test", "v=spf1 ip4:192.0.2.1 include:spf.mail-provider.test -all");
      Domain v = mail.domains().verify(d.id());
      assertThat(v.verification().mx()).isTrue();
      assertThat(v.verification().spf()).as("extra mechanisms are fine").isTrue();
    }
  }

  @Test
  void delete_removesTheProviderIdentity(MailCoreTestkit kit) {
    Domain d = kit.mail().domains().create("org_1", "acme.test");
    assertThat(kit.identities().get("acme.test")).isPresent();

    kit.mail().domains().delete(d.id());

    assertThat(kit.identities().get("acme.test")).isEmpty();
  }

  @Test
  void inboxes_conflictsNameTheExistingInbox(MailCore mail) {
    Domain d = mail.domains().create("org_1", "acme.test");
    Inbox support = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
    Inbox all = mail.mailboxes().create(d.id(), InboxSpec.of("all", "All").withCatchAll(true));

    assertThatThrownBy(() -> mail.mailboxes().create(d.id(), InboxSpec.of("SUPPORT", "Again")))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.resource()).isEqualTo("inbox");
          assertThat(e.id()).isEqualTo(support.id().toString());
          assertThat(e.getMessage()).contains("'support'");
        });
    assertThatThrownBy(() -> mail.mailboxes().create(d.id(),
        InboxSpec.of("other", "x").withCatchAll(true)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.id()).isEqualTo(all.id().toString());
          assertThat(e.getMessage()).contains("catch-all");
        });
    // Updating an inbox into a catch-all names the other catch-all, not the inbox itself.
    assertThatThrownBy(() -> mail.mailboxes().update(support.id(),
        InboxSpec.of("support", "Support").withCatchAll(true)))
        .isInstanceOfSatisfying(ConflictException.class,
            e -> assertThat(e.id()).isEqualTo(all.id().toString()));
    assertThatThrownBy(() -> mail.mailboxes().update(all.id(), InboxSpec.of("support", "All")))
        .isInstanceOfSatisfying(ConflictException.class,
            e -> assertThat(e.id()).isEqualTo(support.id().toString()));

    mail.mailboxes().delete(support.id());
    assertThat(mail.mailboxes().get(support.id())).isEmpty();
    assertThat(mail.mailboxes().create(d.id(), InboxSpec.of("support", "Again")).localPart())
        .isEqualTo("support");
    assertThat(mail.mailboxes().byAddress("Support@ACME.test")).isPresent();
  }

  @Test
  void mailboxes_onAMissingOrDeletedDomain_isNotFound(MailCore mail) {
    Domain d = mail.domains().create("org_1", "acme.test");
    mail.domains().delete(d.id());

    assertThatThrownBy(() -> mail.mailboxes().create(d.id(), InboxSpec.of("a", "A")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(d.id().toString());
    assertThatThrownBy(() -> mail.domains().delete(d.id())).isInstanceOf(NotFoundException.class);
  }
}
