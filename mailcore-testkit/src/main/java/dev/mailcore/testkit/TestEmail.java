package dev.mailcore.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes an RFC 5322 message as text, for feeding inbound mail to
 * {@link dev.mailcore.Mailboxes#receive} in tests. Lines end in CRLF; a message with attachments
 * becomes {@code multipart/mixed} with base64 parts.
 *
 * <pre>{@code
 * byte[] raw = TestEmail.builder()
 *     .from("Ann Lee <ann@example.com>").to("support@acme.test")
 *     .subject("Re: Order 42").inReplyTo("<order-42@example.com>")
 *     .text("Any news?")
 *     .bytes();
 * mail.mailboxes().receive(InboundMail.of(raw));
 * }</pre>
 *
 * <p>Header values are written as given (no encoding), so tests can also write malformed ones.
 * Not thread-safe.
 */
public final class TestEmail {
  private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

  private final List<String[]> headers = new ArrayList<>();
  private final List<Attachment> attachments = new ArrayList<>();
  private String from = "Ann Lee <ann@example.com>";
  private String messageId = "<" + UUID.randomUUID() + "@example.com>";
  private String subject = "Hello";
  private String date = "Mon, 5 Jan 2026 09:00:00 +0000";
  private String text = "Hello,\r\n\r\nthis is a test message.\r\n";

  private record Attachment(String filename, String contentType, byte[] content) {}

  private TestEmail() {}

  /**
   * Starts a message from {@code Ann Lee <ann@example.com>} with subject {@code Hello}, a random
   * Message-ID, a fixed Date and a short text body; every one can be replaced.
   *
   * @return a new builder
   */
  public static TestEmail builder() {
    return new TestEmail();
  }

  /**
   * The From header.
   *
   * @param value for example {@code "Ann Lee <ann@example.com>"}
   * @return this builder
   */
  public TestEmail from(String value) {
    this.from = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * Adds a To header.
   *
   * @param value one or more addresses, comma-separated
   * @return this builder
   */
  public TestEmail to(String value) {
    return header("To", value);
  }

  /**
   * Adds a Cc header.
   *
   * @param value one or more addresses, comma-separated
   * @return this builder
   */
  public TestEmail cc(String value) {
    return header("Cc", value);
  }

  /**
   * The Subject header.
   *
   * @param value the subject
   * @return this builder
   */
  public TestEmail subject(String value) {
    this.subject = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * The Message-ID header value, written as given (include the angle brackets).
   *
   * @param value for example {@code "<abc@example.com>"}
   * @return this builder
   */
  public TestEmail messageId(String value) {
    this.messageId = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * Leaves out the Message-ID header.
   *
   * @return this builder
   */
  public TestEmail noMessageId() {
    this.messageId = null;
    return this;
  }

  /**
   * Adds an In-Reply-To header, written as given.
   *
   * @param value for example {@code "<parent@example.com>"}
   * @return this builder
   */
  public TestEmail inReplyTo(String value) {
    return header("In-Reply-To", value);
  }

  /**
   * Adds a References header, written as given.
   *
   * @param value for example {@code "<root@example.com> <parent@example.com>"}
   * @return this builder
   */
  public TestEmail references(String value) {
    return header("References", value);
  }

  /**
   * The Date header.
   *
   * @param value the date text
   * @return this builder
   */
  public TestEmail date(String value) {
    this.date = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * The Date header from an instant (in UTC).
   *
   * @param value the time
   * @return this builder
   */
  public TestEmail date(Instant value) {
    return date(RFC_1123.format(value.atOffset(ZoneOffset.UTC)));
  }

  /**
   * Adds any header, written as given.
   *
   * @param name the field name
   * @param value the field body
   * @return this builder
   */
  public TestEmail header(String name, String value) {
    headers.add(new String[] {Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(value, "value")});
    return this;
  }

  /**
   * The text/plain body (UTF-8); LF line ends are turned into CRLF.
   *
   * @param value the body
   * @return this builder
   */
  public TestEmail text(String value) {
    this.text = Objects.requireNonNull(value, "value").replaceAll("\r?\n", "\r\n");
    return this;
  }

  /**
   * Adds an attachment, base64-encoded.
   *
   * @param filename the filename
   * @param contentType the MIME type
   * @param content the bytes
   * @return this builder
   */
  public TestEmail attachment(String filename, String contentType, byte[] content) {
    attachments.add(new Attachment(Objects.requireNonNull(filename, "filename"),
        Objects.requireNonNull(contentType, "contentType"), content.clone()));
    return this;
  }

  /**
   * The Message-ID header value, if one will be written.
   *
   * @return the value as given, or null after {@link #noMessageId()}
   */
  public String messageIdHeader() {
    return messageId;
  }

  /**
   * The message text.
   *
   * @return RFC 5322 text with CRLF line ends
   */
  public String build() {
    StringBuilder sb = new StringBuilder(512);
    line(sb, "From", from);
    for (String[] h : headers) {
      line(sb, h[0], h[1]);
    }
    line(sb, "Subject", subject);
    line(sb, "Date", date);
    if (messageId != null) {
      line(sb, "Message-ID", messageId);
    }
    line(sb, "MIME-Version", "1.0");
    if (attachments.isEmpty()) {
      line(sb, "Content-Type", "text/plain; charset=UTF-8");
      line(sb, "Content-Transfer-Encoding", "8bit");
      sb.append("\r\n").append(text);
      return sb.toString();
    }
    String boundary = "=_mailcore_" + Integer.toHexString(System.identityHashCode(this));
    line(sb, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
    sb.append("\r\nThis is a multi-part message in MIME format.\r\n");
    sb.append("--").append(boundary).append("\r\n");
    line(sb, "Content-Type", "text/plain; charset=UTF-8");
    line(sb, "Content-Transfer-Encoding", "8bit");
    sb.append("\r\n").append(text).append("\r\n");
    for (Attachment a : attachments) {
      sb.append("--").append(boundary).append("\r\n");
      line(sb, "Content-Type", a.contentType() + "; name=\"" + a.filename() + "\"");
      line(sb, "Content-Disposition", "attachment; filename=\"" + a.filename() + "\"");
      line(sb, "Content-Transfer-Encoding", "base64");
      sb.append("\r\n");
      sb.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
          .encodeToString(a.content())).append("\r\n");
    }
    sb.append("--").append(boundary).append("--\r\n");
    return sb.toString();
  }

  /**
   * The message as UTF-8 bytes.
   *
   * @return the raw message
   */
  public byte[] bytes() {
    return build().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder sb, String name, String value) {
    sb.append(name).append(": ").append(value).append("\r\n");
  }
}
