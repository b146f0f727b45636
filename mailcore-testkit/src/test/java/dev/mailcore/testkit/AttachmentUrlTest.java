package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.EmailMessage;
import dev.mailcore.NotFoundException;
import dev.mailcore.UnsupportedByStoreException;
import dev.mailcore.ValidationException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code messages().attachmentUrl} on a blob store that cannot presign. */
class AttachmentUrlTest {
  private final MailCoreTestkit kit = MailCoreTestkit.inMemory();

  @AfterEach
  void close() {
    kit.close();
  }

  private EmailMessage received() {
    kit.inbox("support@acme.test");
    return kit.receive("From: ann@customer.test\r\nTo: support@acme.test\r\nSubject: x\r\n"
        + "Message-ID: <u1@customer.test>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
        + "\r\nhi\r\n--b\r\nContent-Type: application/pdf\r\n"
        + "Content-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n--b--\r\n")
        .deliveries().get(0).message();
  }

  @Test
  void attachmentUrl_onStoreThatCannotPresign_saysWhichStoreAndWhatToDoInstead() {
    EmailMessage m = received();

    assertThatThrownBy(() -> kit.mail().messages().attachmentUrl(m.id(),
        m.attachments().get(0).id(), Duration.ofMinutes(5)))
        .isInstanceOf(UnsupportedByStoreException.class)
        .hasMessageContaining("InMemoryBlobStore")
        .hasMessageContaining("messages().attachment(messageId, attachmentId)")
        .hasMessageContaining("S3BlobStore")
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(
            ((UnsupportedByStoreException) e).httpStatus()).isEqualTo(501));
  }

  @Test
  void attachmentUrl_checksLifetimeAndIds() {
    EmailMessage m = received();
    UUID attachment = m.attachments().get(0).id();

    assertThatThrownBy(() -> kit.mail().messages().attachmentUrl(m.id(), attachment,
        Duration.ofDays(8))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("validFor").hasMessageContaining("PT192H");
    assertThatThrownBy(() -> kit.mail().messages().attachmentUrl(m.id(), attachment,
        Duration.ZERO)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> kit.mail().messages().attachmentUrl(m.id(), UUID.randomUUID(),
        Duration.ofMinutes(1))).isInstanceOf(NotFoundException.class);
  }
}
