package dev.mailcore.testkit.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.Limits;
import dev.mailcore.MailCore;
import dev.mailcore.MalformedMessageException;
import dev.mailcore.MessageTooLargeException;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.spi.BlobStore.Namespace;
import dev.mailcore.testkit.InMemoryMailStore;
import dev.mailcore.testkit.MailCoreTestkit;
import dev.mailcore.testkit.MutableClock;
import dev.mailcore.testkit.internal.GeneratedStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input through the public receive path: nothing crashes with anything but a
 * documented {@link dev.mailcore.MailCoreException}, nothing received is lost (the raw bytes are
 * kept whenever a message is refused after storing began), and memory does not grow with
 * message size.
 */
class HostileInputTest {
  private static final String SUPPORT = "support@acme.test";

  private MailCoreTestkit kit;
  private Inbox support;

  @BeforeEach
  void start() {
    kit = MailCoreTestkit.inMemory();
    support = kit.inbox(SUPPORT);
  }

  @AfterEach
  void stop() {
    kit.close();
  }

  private static byte[] crlf(String text) {
    return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] raw(String key) throws IOException {
    try (InputStream in = kit.blobs().get(Namespace.RAW, key).orElseThrow()) {
      return in.readAllBytes();
    }
  }

  private byte[] rawOf(EmailMessage m) throws IOException {
    try (InputStream in = kit.mail().messages().raw(m.id())) {
      return in.readAllBytes();
    }
  }

  private List<?> threads() {
    return kit.mail().threads().list(support.id(), PageRequest.first()).items();
  }

  private EmailMessage receiveStored(byte[] raw) {
    ReceiveResult r = kit.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT));
    assertThat(r.deliveries()).hasSize(1);
    return r.deliveries().get(0).message();
  }

  @Test
  void receive_truncatedMimeInsideBase64Attachment_storesWhatArrived() throws IOException {
    byte[] pdf = new byte[30_000];
    new SplittableRandom(3).nextBytes(pdf);
    String full = new String(dev.mailcore.testkit.TestEmail.builder().to(SUPPORT)
        .subject("Cut off").text("see attachment")
        .attachment("report.pdf", "application/pdf", pdf).bytes(), StandardCharsets.UTF_8);
    // the connection dropped in the middle of a base64 line, long before the closing boundary
    byte[] truncated = full.substring(0, full.indexOf("Content-Transfer-Encoding: base64")
        + 2_000).getBytes(StandardCharsets.UTF_8);

    EmailMessage m = receiveStored(truncated);

    assertThat(m.subject()).isEqualTo("Cut off");
    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("see attachment"));
    assertThat(m.attachments()).allSatisfy(a -> assertThat(a.sizeBytes()).isLessThan(pdf.length));
    assertThat(rawOf(m)).isEqualTo(truncated);
  }

  @Test
  void receive_truncatedInsideHeaders_storesMessage() throws IOException {
    byte[] raw = "From: ann@example.com\r\nTo: support@acme.test\r\nSubject: Trunc"
        .getBytes(StandardCharsets.US_ASCII);

    EmailMessage m = receiveStored(raw);

    assertThat(m.from().address()).isEqualTo("ann@example.com");
    assertThat(rawOf(m)).isEqualTo(raw);
  }

  @Test
  void receive_boundaryThatNeverCloses_keepsBothBodies() throws IOException {
    byte[] raw = crlf("""
        From: ann@example.com
        To: support@acme.test
        Subject: Open boundary
        Message-ID: <open-boundary@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="never-closed"

        --never-closed
        Content-Type: text/plain; charset=UTF-8

        plain version
        --never-closed
        Content-Type: text/html; charset=UTF-8

        <p>html version</p>
        """);

    EmailMessage m = receiveStored(raw);

    assertThat(m.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("plain version"));
    assertThat(m.bodyHtml()).hasValueSatisfying(h -> assertThat(h).contains("html version"));
    assertThat(rawOf(m)).isEqualTo(raw);
  }

  @Test
  void receive_thousandNestedMultiparts_isMalformedNamingDepthLimit_rawKept() throws IOException {
    StringBuilder sb = new StringBuilder("From: ann@example.com\r\nTo: support@acme.test\r\n"
        + "Subject: Deep\r\nMessage-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n");
    for (int i = 0; i < 1000; i++) {
      sb.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n")
          .append("--b").append(i).append("\r\n");
    }
    sb.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
    for (int i = 999; i >= 0; i--) {
      sb.append("--b").append(i).append("--\r\n");
    }
    byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);

    MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
        () -> kit.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("nesting deeper than " + Limits.defaults().maxMimeDepth());
    assertThat(e.httpStatus()).isEqualTo(422);
    assertThat(raw(e.rawStorageKey())).isEqualTo(raw);
    assertThat(threads()).isEmpty();
    assertThat(kit.blobs().keys(Namespace.ATTACHMENTS)).isEmpty();
  }

  @Test
  void receive_headerFieldOverTheLimit_isMalformedNamingIt_rawKeptUnderASynthesizedId()
      throws IOException {
    // The parse fails inside the top-level header, before the Message-ID could be read: the
    // raw bytes are still stored, under an id made from their hash.
    byte[] raw = ("From: ann@example.com\r\nTo: support@acme.test\r\nX-Long: "
        + "a".repeat(Limits.defaults().maxHeaderBytes() + 10) + "\r\nMessage-ID: <long@example.com>"
        + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

    MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
        () -> kit.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("Limits.maxHeaderBytes");
    assertThat(raw(e.rawStorageKey())).isEqualTo(raw);
    assertThat(threads()).isEmpty();
  }

  @Test
  void receive_tooManyParts_isMalformedNamingPartLimit_rawKept() throws IOException {
    StringBuilder sb = new StringBuilder("From: ann@example.com\r\nTo: support@acme.test\r\n"
        + "Subject: Wide\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"w\"\r\n\r\n");
    for (int i = 0; i < 5_000; i++) {
      sb.append("--w\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
    }
    sb.append("--w--\r\n");
    byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);

    MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
        () -> kit.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(String.valueOf(Limits.defaults().maxParts()));
    assertThat(raw(e.rawStorageKey())).isEqualTo(raw);
    assertThat(threads()).isEmpty();
  }

  @Test
  void receive_eightBitGarbageInHeaders_isStored() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("From: J".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0xfc, 'r', 'g', 'e', 'n'});  // Latin-1 name, undeclared
    b.writeBytes(" <juergen@example.de>\r\nTo: support@acme.test\r\nSubject: Rechnung "
        .getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe, 0x01, 0x7f});
    b.writeBytes(" Ende\r\nX-Garbage: ".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0x80, (byte) 0x81, (byte) 0xa0, (byte) 0xe2, (byte) 0x82});
    b.writeBytes("\r\nMessage-ID: <garbage-8bit@example.de>\r\n\r\nText\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    byte[] raw = b.toByteArray();

    EmailMessage m = receiveStored(raw);

    assertThat(m.from().address()).isEqualTo("juergen@example.de");
    assertThat(m.subject()).startsWith("Rechnung ").endsWith(" Ende");
    assertThat(m.messageId().value()).isEqualTo("garbage-8bit@example.de");
    assertThat(rawOf(m)).isEqualTo(raw);
    assertThat(threads()).hasSize(1);
  }

  @Test
  void receive_randomBinary_isStoredOrRefusedAsMalformed_neverAnythingElse() {
    for (int seed = 0; seed < 20; seed++) {
      byte[] raw = new byte[4_096];
      new SplittableRandom(seed).nextBytes(raw);
      try {
        ReceiveResult r = kit.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT));
        assertThat(r.deliveries()).hasSize(1);
      } catch (MalformedMessageException e) {
        assertThat(kit.blobs().exists(Namespace.RAW, e.rawStorageKey())).isTrue();
      }
    }
  }

  @Test
  void receive_overMaxMessageBytes_refusedWithMessageTooLargeAndNothingStored() {
    try (MailCoreTestkit small = MailCoreTestkit.builder()
        .limits(Limits.defaults().maxMessageBytes(64 << 10)).build()) {
      Inbox inbox = small.inbox(SUPPORT);
      byte[] raw = oversized();

      assertThatThrownBy(() -> small.mail().mailboxes().receive(InboundMail.of(raw, SUPPORT)))
          .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
            assertThat(e.limitBytes()).isEqualTo(64 << 10);
            assertThat(e.sizeBytes()).isEqualTo(raw.length);
            assertThat(e.httpStatus()).isEqualTo(413);
            assertThat(e.getMessage()).contains("Limits.maxMessageBytes = " + (64 << 10))
                .contains(String.valueOf(raw.length)).doesNotContain("maxAttachmentBytes");
          });
      assertThatThrownBy(() -> small.mail().mailboxes().receive(InboundMail.builder()
          .raw(new ByteArrayInputStream(raw)).recipient(SUPPORT).build()))
          .isInstanceOfSatisfying(MessageTooLargeException.class,
              e -> assertThat(e.sizeBytes()).isGreaterThan(64 << 10));
      assertThatThrownBy(() -> small.mail().mailboxes().receive(InboundMail.builder()
          .raw(new GeneratedStream(10L << 20, 1)).recipient(SUPPORT).build()))
          .isInstanceOf(MessageTooLargeException.class);

      assertThat(small.blobs().keys(Namespace.RAW)).isEmpty();
      assertThat(small.blobs().keys(Namespace.ATTACHMENTS)).isEmpty();
      assertThat(small.mail().threads().list(inbox.id(), PageRequest.first()).items()).isEmpty();
    }
  }

  @Test
  void receiveAll_overMaxMessageBytes_failsAloneWithMessageTooLarge_othersStored() {
    try (MailCoreTestkit small = MailCoreTestkit.builder()
        .limits(Limits.defaults().maxMessageBytes(64 << 10)).build()) {
      Inbox inbox = small.inbox(SUPPORT);
      byte[] fits = dev.mailcore.testkit.TestEmail.builder().to(SUPPORT).subject("Fits").bytes();

      List<ReceiveOutcome> outcomes = small.mail().mailboxes().receiveAll(List.of(
          InboundMail.of(oversized(), SUPPORT), InboundMail.of(fits, SUPPORT)));

      assertThat(outcomes.get(0)).isInstanceOfSatisfying(ReceiveOutcome.Failed.class, f -> {
        assertThat(f.error()).isInstanceOf(MessageTooLargeException.class)
            .hasMessageContaining("Limits.maxMessageBytes");
        assertThat(f.error().httpStatus()).isEqualTo(413);
        assertThat(f.error().retryable()).isFalse();
      });
      assertThat(outcomes.get(1)).isInstanceOf(ReceiveOutcome.Received.class);
      assertThat(small.mail().threads().list(inbox.id(), PageRequest.first()).items())
          .singleElement().satisfies(t -> assertThat(t.subject()).isEqualTo("Fits"));
    }
  }

  /** A message with a 100 kB attachment: over a 64 KiB {@code maxMessageBytes}. */
  private static byte[] oversized() {
    return dev.mailcore.testkit.TestEmail.builder().to(SUPPORT).subject("Too big")
        .attachment("big.bin", "application/octet-stream", new byte[100_000]).bytes();
  }

  @Test
  void receive_fortyMegabyteAttachmentFromStream_storedExactly_heapStaysFlat(@TempDir Path dir)
      throws IOException {
    long attachmentBytes = 40_000_000L;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong baseline = new AtomicLong();
    List<Long> growth = new ArrayList<>();
    CountingBlobStore blobs = new CountingBlobStore(dir, streamed -> {
      // mid-upload, after a full collection: what is still reachable is what the pipeline holds
      System.gc();
      growth.add(memory.getHeapMemoryUsage().getUsed() - baseline.get());
    });
    // base64 makes the raw message ~54 MB, over the 40 MiB default
    Limits limits = Limits.defaults().maxMessageBytes(64L << 20);
    try (MailCore mail = MailCore.builder().store(new InMemoryMailStore()).blobStore(blobs)
        .clock(MutableClock.at(MailCoreTestkit.DEFAULT_START)).limits(limits).build()) {
      var domain = mail.domains().create("org_big", "acme.test");
      mail.mailboxes().create(domain.id(), dev.mailcore.InboxSpec.of("support", "Support"));
      GeneratedAttachmentMessage in = new GeneratedAttachmentMessage("<big-1@example.com>",
          attachmentBytes, 99);
      System.gc();
      baseline.set(memory.getHeapMemoryUsage().getUsed());

      ReceiveResult r = mail.mailboxes().receive(
          InboundMail.builder().raw(in).recipient(SUPPORT).build());

      EmailMessage m = r.deliveries().get(0).message();
      assertThat(m.attachments()).singleElement().satisfies((EmailAttachment a) -> {
        assertThat(a.filename()).isEqualTo("dataset.bin");
        assertThat(a.sizeBytes()).isEqualTo(attachmentBytes);
        assertThat(blobs.attachments().get(a.storageKey()))
            .isEqualTo(new CountingBlobStore.Seen(attachmentBytes, in.attachmentSha256()));
      });
      try (InputStream raw = mail.messages().raw(m.id())) {
        assertThat(GeneratedStream.digest(raw).size()).isEqualTo(in.totalBytes());
      }
      assertThat(in.totalBytes()).isGreaterThan(50_000_000L);
      // raw upload probes (6 at 8 MB steps) plus attachment probes (4)
      assertThat(growth).hasSizeGreaterThanOrEqualTo(8);
      // A pipeline holding the message or the attachment would show 40-54 MB here.
      assertThat(growth).allSatisfy(g -> assertThat(g).isLessThan(12L << 20));
    }
  }
}
