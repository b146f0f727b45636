package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Domain;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.MessageId;
import dev.mailcore.OutboundAttachment;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveResult;
import dev.mailcore.StorageException;
import dev.mailcore.testkit.FakeDnsResolver;
import dev.mailcore.testkit.FakeDomainIdentities;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.RecordingTransport;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The engine on S3 when S3 goes away mid-call (issue 13 item 4): S3Proxy is stopped from inside
 * the real client just before a chosen request is sent, so the failure lands exactly between
 * two of mailcore's writes. Metadata lives in the testkit's in-memory store.
 */
class S3FaultTest {
  private S3ProxyServer server;
  private S3Client s3;
  private final AtomicReference<Predicate<SdkRequest>> stopBefore = new AtomicReference<>();
  private MailCore mail;
  private InMemoryMailStore store;
  private RecordingTransport transport;
  private Inbox inbox;

  @BeforeEach
  void start() {
    server = new S3ProxyServer();
    server.createBuckets("fault-raw", "fault-att");
    ExecutionInterceptor stopper = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context,
          ExecutionAttributes attributes) {
        Predicate<SdkRequest> p = stopBefore.get();
        if (p != null && p.test(context.request())) {
          stopBefore.set(null);
          server.stop();
        }
      }
    };
    s3 = server.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(stopper))
        .build();
    store = new InMemoryMailStore();
    transport = new RecordingTransport();
    mail = MailCore.builder().store(store)
        .blobStore(S3BlobStore.builder().client(s3).rawBucket("fault-raw")
            .attachmentBucket("fault-att").build())
        .transport(transport).dnsResolver(new FakeDnsResolver())
        .domainIdentities(new FakeDomainIdentities()).build();
    Domain d = mail.domains().create("org_test", "acme.test");
    inbox = mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  @AfterEach
  void stop() {
    mail.close();
    s3.close();
    server.close();
  }

  private static Predicate<SdkRequest> uploadTo(String bucket) {
    return r -> (r instanceof PutObjectRequest && ((PutObjectRequest) r).bucket().equals(bucket))
        || (r instanceof CreateMultipartUploadRequest
            && ((CreateMultipartUploadRequest) r).bucket().equals(bucket));
  }

  private static String withAttachment(String messageId, int attachmentBytes) {
    byte[] pdf = new byte[attachmentBytes];
    new java.util.SplittableRandom(1).nextBytes(pdf);
    return "From: Ann <ann@customer.test>\r\nTo: support@acme.test\r\nSubject: Invoice\r\n"
        + "Message-ID: <" + messageId + ">\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
        + "--b1\r\nContent-Type: application/pdf\r\n"
        + "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n"
        + Base64.getMimeEncoder().encodeToString(pdf) + "\r\n--b1--\r\n";
  }

  @Test
  void receive_whenS3StopsBeforeTheAttachmentUpload_failsRetryably_andStoresNoMessage() {
    String raw = withAttachment("fault-1@customer.test", 7 << 20);
    stopBefore.set(uploadTo("fault-att"));

    assertThatThrownBy(() -> mail.mailboxes().receive(
        InboundMail.of(raw.getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://fault-att/")
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    assertThat(mail.messages().find(inbox.id(), MessageId.of("<fault-1@customer.test>")))
        .isEmpty();
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();

    // The caller's queue redelivers once S3 is back: the message arrives whole, once.
    server.restart();
    ReceiveResult again = mail.mailboxes().receive(
        InboundMail.of(raw.getBytes(StandardCharsets.US_ASCII)));
    assertThat(again.deliveries()).hasSize(1);
    var stored = again.deliveries().get(0).message();
    assertThat(stored.attachments()).hasSize(1);
    assertThat(stored.attachments().get(0).sizeBytes()).isEqualTo(7 << 20);
  }

  @Test
  void receive_whenS3StopsBeforeTheRawUpload_failsRetryably_andStoresNoMessage() {
    stopBefore.set(uploadTo("fault-raw"));

    assertThatThrownBy(() -> mail.mailboxes().receive(InboundMail.of(
        withAttachment("fault-2@customer.test", 1000).getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void send_whenS3StopsBeforeTheRawUpload_sendsNothing_andStoresNoMessage() {
    stopBefore.set(uploadTo("fault-raw"));

    assertThatThrownBy(() -> mail.sender().send(OutboundEmail.builder().inboxId(inbox.id())
        .to("ann@customer.test").subject("Hello").text("Hi").build()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://fault-raw/")
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    assertThat(transport.sent()).isEmpty();
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void send_whenS3StopsBeforeTheAttachmentUpload_sendsNothing_andStoresNoMessage() {
    stopBefore.set(uploadTo("fault-att"));

    assertThatThrownBy(() -> mail.sender().send(OutboundEmail.builder().inboxId(inbox.id())
        .to("ann@customer.test").subject("Invoice").text("Attached")
        .attach(OutboundAttachment.of("invoice.pdf", "application/pdf",
            "%PDF".getBytes(StandardCharsets.US_ASCII))).build()))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    assertThat(transport.sent()).isEmpty();
    assertThat(mail.threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void attachmentUrl_givesABrowserTheAttachmentUnderItsOriginalName() throws Exception {
    ReceiveResult r = mail.mailboxes().receive(InboundMail.of(
        withAttachment("url-1@customer.test", 5000).getBytes(StandardCharsets.US_ASCII)));
    var message = r.deliveries().get(0).message();
    UUID attachmentId = message.attachments().get(0).id();

    var url = mail.messages().attachmentUrl(message.id(), attachmentId, Duration.ofMinutes(5));

    HttpResponse<byte[]> got = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(got.headers().firstValue("Content-Disposition")).contains(
        "attachment; filename=\"r_sum_ 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf");
    try (InputStream direct = mail.messages().attachment(message.id(), attachmentId)) {
      assertThat(got.body()).isEqualTo(direct.readAllBytes());
    }
  }
}
