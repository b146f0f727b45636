package dev.mailcore.internal.outbound;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.DeliveryException;
import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.OutboundAttachment;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Test;

class MimeComposerTest {

  private static final Instant DATE = Instant.parse("2025-06-03T11:05:30Z");
  private static final MessageId ID = new MessageId("7d1c0b7e-2f3a-4c7e-9a51-3d0d2b0e6f11@example.com");

  private final MimeComposer composer = new MimeComposer();

  private static MimeComposer.Draft draft(Optional<String> text, Optional<String> html,
      List<OutboundAttachment> attachments) {
    return new MimeComposer.Draft(ID, DATE, EmailAddress.of("Support", "support@example.com"),
        List.of(EmailAddress.of("Ann Lee", "ann@customer.test")),
        List.of(EmailAddress.of("bob@customer.test")), List.of(), "Your order",
        text, html, attachments, Map.of(), Optional.empty(), List.of());
  }

  private static Message mime4j(byte[] raw) throws IOException {
    return new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(raw));
  }

  private static MimeMessage jakarta(byte[] raw) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  private static String text(Entity e) throws IOException {
    Body body = e.getBody();
    try (var r = ((TextBody) body).getReader()) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[1024];
      int n;
      while ((n = r.read(buf)) > 0) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }
  }

  private static byte[] bytes(Entity e) throws IOException {
    try (InputStream in = ((SingleBody) e.getBody()).getInputStream()) {
      return in.readAllBytes();
    }
  }

  private static List<Entity> parts(Entity e) {
    return ((org.apache.james.mime4j.dom.Multipart) e.getBody()).getBodyParts();
  }

  @Test
  void compose_whenTextOnly_isSingleTextPlainPart() throws Exception {
    Message m = mime4j(composer.compose(draft(Optional.of("Hello\nworld"), Optional.empty(),
        List.of())));

    assertThat(m.getMimeType()).isEqualTo("text/plain");
    assertThat(m.getCharset()).isEqualToIgnoringCase("UTF-8");
    assertThat(text(m)).isEqualTo("Hello\r\nworld");
  }

  @Test
  void compose_whenHtmlOnly_isSingleTextHtmlPart() throws Exception {
    Message m = mime4j(composer.compose(draft(Optional.empty(), Optional.of("<p>Hi</p>"),
        List.of())));

    assertThat(m.getMimeType()).isEqualTo("text/html");
    assertThat(text(m)).isEqualTo("<p>Hi</p>");
  }

  @Test
  void compose_whenTextAndHtml_isMultipartAlternativeTextFirst() throws Exception {
    Message m = mime4j(composer.compose(draft(Optional.of("Hi"), Optional.of("<p>Hi</p>"),
        List.of())));

    assertThat(m.getMimeType()).isEqualTo("multipart/alternative");
    List<Entity> parts = parts(m);
    assertThat(parts).extracting(Entity::getMimeType).containsExactly("text/plain", "text/html");
    assertThat(text(parts.get(0))).isEqualTo("Hi");
    assertThat(text(parts.get(1))).isEqualTo("<p>Hi</p>");
  }

  @Test
  void compose_whenAttachment_isMultipartMixedAroundBodyWithBase64Attachment() throws Exception {
    byte[] pdf = new byte[70_000];
    new Random(1).nextBytes(pdf);
    Message m = mime4j(composer.compose(draft(Optional.of("See attached"),
        Optional.of("<p>See attached</p>"),
        List.of(OutboundAttachment.of("invoice.pdf", "application/pdf", pdf)))));

    assertThat(m.getMimeType()).isEqualTo("multipart/mixed");
    List<Entity> parts = parts(m);
    assertThat(parts).extracting(Entity::getMimeType)
        .containsExactly("multipart/alternative", "application/pdf");
    Entity att = parts.get(1);
    assertThat(att.getDispositionType()).isEqualTo("attachment");
    assertThat(att.getFilename()).isEqualTo("invoice.pdf");
    assertThat(att.getContentTransferEncoding()).isEqualTo("base64");
    assertThat(bytes(att)).isEqualTo(pdf);
  }

  @Test
  void compose_whenInlinePartWithContentId_putsItInRelatedAroundHtml() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    byte[] csv = "a,b\n1,2\n".getBytes(UTF_8);
    Message m = mime4j(composer.compose(draft(Optional.of("Logo"),
        Optional.of("<img src=\"cid:logo@example\">"),
        List.of(OutboundAttachment.inline("logo.png", "image/png", png, "logo@example"),
            OutboundAttachment.of("data.csv", "text/csv", csv)))));

    assertThat(m.getMimeType()).isEqualTo("multipart/mixed");
    List<Entity> top = parts(m);
    assertThat(top).extracting(Entity::getMimeType)
        .containsExactly("multipart/alternative", "text/csv");
    List<Entity> alternative = parts(top.get(0));
    assertThat(alternative).extracting(Entity::getMimeType)
        .containsExactly("text/plain", "multipart/related");
    List<Entity> related = parts(alternative.get(1));
    assertThat(related).extracting(Entity::getMimeType).containsExactly("text/html", "image/png");
    Entity logo = related.get(1);
    assertThat(logo.getDispositionType()).isEqualTo("inline");
    assertThat(logo.getHeader().getField("Content-ID").getBody()).isEqualTo("<logo@example>");
    assertThat(bytes(logo)).isEqualTo(png);
    assertThat(bytes(top.get(1))).isEqualTo(csv);
  }

  @Test
  void compose_whenHtmlOnlyWithInlinePart_isRelatedAtTop() throws Exception {
    Message m = mime4j(composer.compose(draft(Optional.empty(), Optional.of("<img src=cid:a>"),
        List.of(OutboundAttachment.inline("a.gif", "image/gif", new byte[] {1}, "a")))));

    assertThat(m.getMimeType()).isEqualTo("multipart/related");
    assertThat(parts(m)).extracting(Entity::getMimeType).containsExactly("text/html", "image/gif");
  }

  @Test
  void compose_whenInlinePartButNoHtml_attachesItInMixed() throws Exception {
    Message m = mime4j(composer.compose(draft(Optional.of("plain"), Optional.empty(),
        List.of(OutboundAttachment.inline("a.gif", "image/gif", new byte[] {1}, "a")))));

    assertThat(m.getMimeType()).isEqualTo("multipart/mixed");
    assertThat(parts(m)).extracting(Entity::getMimeType).containsExactly("text/plain", "image/gif");
  }

  @Test
  void compose_whenNonAsciiNamesSubjectAndBody_encodesEverythingAs7BitAscii() throws Exception {
    MimeComposer.Draft d = new MimeComposer.Draft(ID, DATE,
        EmailAddress.of("Zoë Müller-Støre", "zoe@example.com"),
        List.of(EmailAddress.of("王小明", "wang@customer.test")), List.of(), List.of(),
        "Grüße – ваш заказ 📦", Optional.of("Schöne Grüße\nЗдравствуйте"), Optional.empty(),
        List.of(), Map.of(), Optional.empty(), List.of());

    byte[] raw = composer.compose(d);

    for (byte b : raw) {
      assertThat(b & 0xff).as("every byte is 7-bit").isLessThan(128);
    }
    String headers = new String(raw, US_ASCII);
    assertThat(headers).contains("=?UTF-8?");
    MimeMessage back = jakarta(raw);
    assertThat(back.getSubject()).isEqualTo("Grüße – ваш заказ 📦");
    assertThat(((InternetAddress) back.getFrom()[0]).getPersonal()).isEqualTo("Zoë Müller-Støre");
    assertThat(((InternetAddress) back.getAllRecipients()[0]).getPersonal()).isEqualTo("王小明");
    assertThat(text(mime4j(raw))).isEqualTo("Schöne Grüße\r\nЗдравствуйте");
  }

  @Test
  void compose_whenNonAsciiFilename_usesRfc2231AndDecodesBack() throws Exception {
    String name = "Rechnung für Jänner – 2025 übersicht mit einem sehr langen Namen.pdf";
    byte[] raw = composer.compose(draft(Optional.of("x"), Optional.empty(),
        List.of(OutboundAttachment.of(name, "application/pdf", new byte[] {1, 2, 3}))));

    String text = new String(raw, US_ASCII);
    assertThat(text).contains("filename*");
    assertThat(text).containsIgnoringCase("utf-8''");
    Multipart mp = (Multipart) jakarta(raw).getContent();
    BodyPart att = mp.getBodyPart(1);
    assertThat(att.getDisposition()).isEqualTo(Part.ATTACHMENT);
    assertThat(att.getFileName()).isEqualTo(name);
    assertThat(mime4j(raw).getBody()).isInstanceOf(org.apache.james.mime4j.dom.Multipart.class);
  }

  @Test
  void compose_setsOurMessageIdDateAndThreadingHeaders() throws Exception {
    MessageId parent = new MessageId("parent@customer.test");
    List<MessageId> refs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      refs.add(new MessageId("ref-" + i + "-0123456789abcdef@customer.test"));
    }
    refs.add(parent);
    MimeComposer.Draft d = new MimeComposer.Draft(ID, DATE, EmailAddress.of("s@example.com"),
        List.of(EmailAddress.of("ann@customer.test")), List.of(),
        List.of(EmailAddress.of("Help", "help@example.com")), "Re: Order", Optional.of("ok"),
        Optional.empty(), List.of(), Map.of(), Optional.of(parent), refs);

    byte[] raw = composer.compose(d);
    MimeMessage m = jakarta(raw);

    assertThat(m.getHeader("Message-ID", null)).isEqualTo(ID.bracketed());
    assertThat(m.getHeader("Date", null)).isEqualTo("Tue, 3 Jun 2025 11:05:30 +0000");
    assertThat(m.getSentDate().toInstant()).isEqualTo(DATE);
    assertThat(m.getHeader("In-Reply-To", null)).isEqualTo("<parent@customer.test>");
    String references = MimeUtility.unfold(m.getHeader("References", null));
    assertThat(references.split("\\s+")).hasSize(31).endsWith("<parent@customer.test>")
        .startsWith("<ref-0-0123456789abcdef@customer.test>");
    assertThat(m.getHeader("MIME-Version", null)).isEqualTo("1.0");
    assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("help@example.com");
    for (String line : new String(raw, US_ASCII).split("\r\n")) {
      assertThat(line.length()).as("line length").isLessThanOrEqualTo(998);
    }
  }

  @Test
  void compose_neverWritesBccAndUsesCrlfOnly() throws Exception {
    byte[] raw = composer.compose(draft(Optional.of("a\nb\rc\r\nd"), Optional.of("<p>\n</p>"),
        List.of(OutboundAttachment.of("t.txt", "text/plain", "x\ny".getBytes(UTF_8)))));

    MimeMessage m = jakarta(raw);
    assertThat(m.getHeader("Bcc")).isNull();
    String s = new String(raw, US_ASCII);
    assertThat(s).doesNotContainPattern("(?im)^bcc:");
    assertThat(s.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void compose_writesCustomHeadersEncodingNonAscii() throws Exception {
    MimeComposer.Draft d = new MimeComposer.Draft(ID, DATE, EmailAddress.of("s@example.com"),
        List.of(EmailAddress.of("ann@customer.test")), List.of(), List.of(), "s",
        Optional.of("x"), Optional.empty(), List.of(),
        Map.of("X-Campaign", "spring-2025", "X-Note", "für dich"), Optional.empty(), List.of());

    MimeMessage m = jakarta(composer.compose(d));

    assertThat(m.getHeader("X-Campaign", null)).isEqualTo("spring-2025");
    assertThat(m.getHeader("X-Note", null)).startsWith("=?UTF-8?");
    assertThat(MimeUtility.decodeText(m.getHeader("X-Note", null))).isEqualTo("für dich");
  }

  @Test
  void compose_whenAttachmentStreamLongerThanDeclared_fails() {
    OutboundAttachment lying = OutboundAttachment.ofStream("big.bin", "application/octet-stream",
        () -> new ByteArrayInputStream(new byte[100]), 10);

    assertThatThrownBy(() -> composer.compose(draft(Optional.of("x"), Optional.empty(),
        List.of(lying))))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("big.bin")
        .hasMessageContaining("declared size of 10 bytes");
  }

  @Test
  void compose_whenAttachmentStreamShorterThanDeclared_fails() {
    OutboundAttachment lying = OutboundAttachment.ofStream("short.bin",
        "application/octet-stream", () -> new ByteArrayInputStream(new byte[5]), 10);

    assertThatThrownBy(() -> composer.compose(draft(Optional.of("x"), Optional.empty(),
        List.of(lying))))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("declared 10 bytes but its stream gave 5");
  }

  @Test
  void compose_whenStreamedAttachment_readsSupplierAndRoundTrips() throws Exception {
    byte[] data = new byte[200_000];
    new Random(7).nextBytes(data);
    OutboundAttachment streamed = OutboundAttachment.ofStream("data.bin",
        "application/octet-stream", () -> new ByteArrayInputStream(data), data.length);

    Message m = mime4j(composer.compose(draft(Optional.of("x"), Optional.empty(),
        List.of(streamed))));

    assertThat(bytes(parts(m).get(1))).isEqualTo(data);
  }

  @Test
  void newMessageId_isUuidAtDomain() {
    MessageId id = MimeComposer.newMessageId("Example.COM");

    assertThat(id.value()).matches("[0-9a-f-]{36}@example\\.com");
    assertThat(MimeComposer.newMessageId("example.com")).isNotEqualTo(id);
  }

  @Test
  void compose_whenSingleTextPart_outputIsIdenticalForSameDraft() {
    MimeComposer.Draft d = draft(Optional.of("x"), Optional.empty(), List.of());

    // No multipart boundary and a fixed Date and Message-ID: nothing random remains.
    assertThat(composer.compose(d)).isEqualTo(composer.compose(d));
  }
}
