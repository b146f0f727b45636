package dev.mailcore.examples;

import dev.mailcore.DnsRecord;
import dev.mailcore.Domain;
import dev.mailcore.DomainSettings;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.OutboundEmail;
import dev.mailcore.SendResult;
import dev.mailcore.aws.S3BlobStore;
import dev.mailcore.aws.SesDomainIdentities;
import dev.mailcore.aws.SesNotifications;
import dev.mailcore.aws.SesTransport;
import dev.mailcore.aws.SqsIntake;
import dev.mailcore.postgres.PostgresMailStore;
import dev.mailcore.spi.DnsResolver;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * A production set-up: rows in PostgreSQL, mail sent through Amazon SES, domains registered as
 * SES identities. Everything comes from environment variables so the same program runs against
 * AWS or against local stand-ins (see {@code docs/aws.md}):
 *
 * <pre>
 * MAILCORE_JDBC_URL        jdbc:postgresql://127.0.0.1:5432/test (default), user MAILCORE_DB_USER
 * AWS_REGION               eu-west-1 (default); credentials from the SDK's default chain
 * MAILCORE_SES_ENDPOINT    optional, e.g. http://127.0.0.1:8005 for aws-ses-v2-local
 * MAILCORE_SES_IDENTITIES  "off" for an emulator without the identity API (aws-ses-v2-local)
 * MAILCORE_S3_ENDPOINT     optional, e.g. http://127.0.0.1:9000 for a local S3 (path-style)
 * MAILCORE_RAW_BUCKET      acme-mail-raw (default); MAILCORE_ATTACHMENT_BUCKET acme-mail-attachments
 * MAILCORE_DOMAIN          mail.acme.test (default); MAILCORE_TO: recipient of the demo mail
 * MAILCORE_SQS_QUEUE_URL   optional: the SQS queue subscribed to the SES event and inbound
 *                          topics; the intake then runs for MAILCORE_INTAKE_SECONDS (default 20)
 * MAILCORE_SQS_ENDPOINT    optional, e.g. http://127.0.0.1:9324 for ElasticMQ
 * </pre>
 *
 * <p>The host owns the SES client and closes it last; mailcore's adapters never close it. The S3
 * client here is built by {@link S3BlobStore} itself from region and endpoint, so the blob store
 * closes it.
 */
public final class ProductionWiring {
  private ProductionWiring() {}

  /**
   * Registers a domain and an inbox (once), prints the DNS records to publish, and sends one
   * message (idempotent: a second run reports the first send).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    String domainName = env("MAILCORE_DOMAIN", "mail.acme.test");
    SesV2ClientBuilder sesBuilder = SesV2Client.builder()
        .region(Region.of(env("AWS_REGION", "eu-west-1")));
    Optional.ofNullable(System.getenv("MAILCORE_SES_ENDPOINT")).map(URI::create)
        .ifPresent(sesBuilder::endpointOverride);

    try (SesV2Client ses = sesBuilder.build();
        PostgresMailStore store = PostgresMailStore.builder()
            .jdbcUrl(env("MAILCORE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test"))
            .username(env("MAILCORE_DB_USER", "postgres"))
            .schema("mailcore_example")
            .schemaMode(PostgresMailStore.SchemaMode.MIGRATE)
            .build();
        SesTransport transport = SesTransport.builder().client(ses)
            .tag("app", "production-wiring").build();
        SesDomainIdentities identities = SesDomainIdentities.builder().client(ses).build();
        S3BlobStore blobs = s3Blobs()) {
      MailCore.Builder builder = MailCore.builder()
          .store(store)
          .blobStore(blobs)
          .transport(transport)
          .dnsResolver(DnsResolver.system());
      if (!"off".equalsIgnoreCase(env("MAILCORE_SES_IDENTITIES", "on"))) {
        builder.domainIdentities(identities);
      }
      try (MailCore mail = builder.build()) {
        Domain domain = mail.domains().byName(domainName).orElseGet(() -> mail.domains()
            .create("org_example", domainName,
                DomainSettings.NONE.withBounceAddress("bounces@bounce." + domainName)));
        System.out.println("DNS records to publish for " + domain.name() + ":");
        for (DnsRecord r : mail.domains().dnsRecords(domain.id())) {
          System.out.printf("  %-9s %-5s %s -> %s%n", r.purpose(), r.type(), r.name(),
              r.value());
        }
        Inbox support = mail.mailboxes().byAddress("support@" + domainName)
            .orElseGet(() -> mail.mailboxes().create(domain.id(),
                InboxSpec.of("support", "Acme Support")));

        SendResult sent = mail.sender().send(OutboundEmail.builder().inboxId(support.id())
            .to(env("MAILCORE_TO", "ann@customer.test"))
            .subject("Welcome to Acme support")
            .text("Reply to this message and it lands in the same thread.")
            .idempotencyKey("production-wiring-welcome")
            .build());
        System.out.println("Sent " + sent.message().messageId() + " as SES message "
            + sent.message().providerMessageId().orElse("(none)") + ": " + sent.status()
            + (sent.duplicate() ? " (sent by an earlier run)" : ""));
        Optional.ofNullable(System.getenv("MAILCORE_SQS_QUEUE_URL"))
            .ifPresent(queue -> runIntake(mail, queue));
      }
    }
  }

  /**
   * SES events and inbound mail from the SQS queue (ADR 0019, docs/aws.md): SES stores inbound
   * mail in S3 and notifies SNS, SNS delivers to the queue, the intake reads S3 and hands the
   * mail to {@code receiveAll}. Runs for a while, then closes cleanly.
   */
  private static void runIntake(MailCore mail, String queueUrl) {
    Region region = Region.of(env("AWS_REGION", "eu-west-1"));
    SqsClientBuilder sqsBuilder = SqsClient.builder().region(region);
    Optional.ofNullable(System.getenv("MAILCORE_SQS_ENDPOINT")).map(URI::create)
        .ifPresent(sqsBuilder::endpointOverride);
    S3ClientBuilder s3Builder = S3Client.builder().region(region);
    Optional.ofNullable(System.getenv("MAILCORE_S3_ENDPOINT")).map(URI::create)
        .ifPresent(e -> s3Builder.endpointOverride(e).forcePathStyle(true));
    try (SqsClient sqs = sqsBuilder.build(); S3Client s3 = s3Builder.build();
        SqsIntake intake = SqsIntake.builder()
            .client(sqs)
            .queueUrl(queueUrl)
            .notifications(SesNotifications.builder().mailCore(mail).s3(s3).build())
            .workers(2)
            .build()) {
      intake.start();
      System.out.println("Receiving from " + queueUrl + " ...");
      Thread.sleep(1000L * Integer.parseInt(env("MAILCORE_INTAKE_SECONDS", "20")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Both buckets must exist: the builder checks them and says how to create a missing one. */
  private static S3BlobStore s3Blobs() {
    S3BlobStore.Builder b = S3BlobStore.builder().region(env("AWS_REGION", "eu-west-1"))
        .rawBucket(env("MAILCORE_RAW_BUCKET", "acme-mail-raw"))
        .attachmentBucket(env("MAILCORE_ATTACHMENT_BUCKET", "acme-mail-attachments"));
    Optional.ofNullable(System.getenv("MAILCORE_S3_ENDPOINT")).map(URI::create)
        .ifPresent(e -> b.endpoint(e).pathStyle(true));
    return b.build();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
