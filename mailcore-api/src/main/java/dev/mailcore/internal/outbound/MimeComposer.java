package dev.mailcore.internal.outbound;

import dev.mailcore.DeliveryException;
import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.OutboundAttachment;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Builds the RFC 5322 bytes of an outbound message with jakarta.mail.
 *
 * <p>Structure: text only is {@code text/plain}; HTML only is {@code text/html}; both are a
 * {@code multipart/alternative}. Parts with a Content-ID (when there is an HTML body) go into a
 * {@code multipart/related} around the HTML; every other attachment makes the whole a
 * {@code multipart/mixed}. Names and subjects are RFC 2047-encoded when not ASCII, file names
 * RFC 2231-encoded, attachments base64. The {@link Draft} has no Bcc field, so a Bcc header can
 * never be written. Thread-safe: the shared {@link Session} is immutable and each call builds
 * its own message.
 */
public final class MimeComposer {

  private static final String UTF_8 = "UTF-8";
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Session session;

  /** Creates a composer with its own mail session (no network use). */
  public MimeComposer() {
    Properties props = new Properties();
    // RFC 2231 for non-ASCII parameters (file names); ParameterList also reads the system
    // property of the same name, whose default is true.
    props.setProperty("mail.mime.encodeparameters", "true");
    props.setProperty("mail.mime.charset", UTF_8);
    this.session = Session.getInstance(props);
  }

  /**
   * A new Message-ID {@code <uuid@domain>} for a message sent from {@code domain}.
   *
   * @param domain the sending domain, for example {@code example.com}
   * @return the id
   */
  public static MessageId newMessageId(String domain) {
    Objects.requireNonNull(domain, "domain");
    return new MessageId(UUID.randomUUID() + "@" + domain.toLowerCase(Locale.ROOT));
  }

  /**
   * The Date header value for an instant, in UTC ({@code Tue, 3 Jun 2025 11:05:30 +0000}).
   *
   * @param instant the time
   * @return the header value
   */
  public static String formatDate(Instant instant) {
    return DATE.format(instant);
  }

  /**
   * Builds the message.
   *
   * @param draft what to build
   * @return the complete message, CRLF line endings
   * @throws DeliveryException (local, not retryable) if the message cannot be built, for
   *     example an attachment stream fails or yields a size other than declared
   */
  public byte[] compose(Draft draft) {
    Objects.requireNonNull(draft, "draft");
    List<CountingDataSource> sources = new ArrayList<>();
    try {
      MimeMessage msg = new FixedIdMessage(session, draft.messageId());
      msg.setFrom(internet(draft.from()));
      if (!draft.to().isEmpty()) {
        msg.setRecipients(Message.RecipientType.TO, internet(draft.to()));
      }
      if (!draft.cc().isEmpty()) {
        msg.setRecipients(Message.RecipientType.CC, internet(draft.cc()));
      }
      if (!draft.replyTo().isEmpty()) {
        msg.setReplyTo(internet(draft.replyTo()));
      }
      msg.setSubject(draft.subject(), UTF_8);
      msg.setHeader("Date", formatDate(draft.date()));
      if (draft.inReplyTo().isPresent()) {
        msg.setHeader("In-Reply-To", draft.inReplyTo().get().bracketed());
      }
      if (!draft.references().isEmpty()) {
        StringBuilder refs = new StringBuilder();
        for (MessageId id : draft.references()) {
          if (refs.length() > 0) {
            refs.append(' ');
          }
          refs.append(id.bracketed());
        }
        msg.setHeader("References", MimeUtility.fold(12, refs.toString()));
      }
      for (Map.Entry<String, String> h : draft.headers().entrySet()) {
        String value = MimeUtility.encodeText(h.getValue(), UTF_8, null);
        msg.setHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2, value));
      }

      setBody(msg, draft, sources);
      // Defensive: nothing above sets Bcc, and nothing must.
      msg.removeHeader("Bcc");
      msg.saveChanges();

      ByteArrayOutputStream out = new ByteArrayOutputStream(estimateSize(draft));
      msg.writeTo(out);
      for (CountingDataSource s : sources) {
        s.checkComplete();
      }
      return out.toByteArray();
    } catch (MessagingException | IOException e) {
      throw new DeliveryException("could not build the MIME message " + draft.messageId()
          + ": " + e.getMessage(), false, false, e);
    }
  }

  private void setBody(MimeMessage msg, Draft draft, List<CountingDataSource> sources)
      throws MessagingException {
    boolean hasHtml = draft.html().isPresent();
    List<OutboundAttachment> related = new ArrayList<>();
    List<OutboundAttachment> mixed = new ArrayList<>();
    for (OutboundAttachment a : draft.attachments()) {
      if (hasHtml && a.contentId().isPresent()) {
        related.add(a);
      } else {
        mixed.add(a);
      }
    }

    MimeMultipart alternative = null;
    MimeMultipart relatedPart = null;
    if (hasHtml && !related.isEmpty()) {
      relatedPart = new MimeMultipart("related");
      relatedPart.addBodyPart(textPart(draft.html().get(), "html"));
      for (OutboundAttachment a : related) {
        relatedPart.addBodyPart(attachmentPart(a, sources));
      }
    }
    if (draft.text().isPresent() && hasHtml) {
      alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(textPart(draft.text().get(), "plain"));
      alternative.addBodyPart(relatedPart != null ? wrap(relatedPart)
          : textPart(draft.html().get(), "html"));
    }

    if (mixed.isEmpty()) {
      if (alternative != null) {
        msg.setContent(alternative);
      } else if (relatedPart != null) {
        msg.setContent(relatedPart);
      } else if (hasHtml) {
        msg.setText(crlf(draft.html().get()), UTF_8, "html");
      } else {
        msg.setText(crlf(draft.text().orElseThrow()), UTF_8, "plain");
      }
      return;
    }
    MimeMultipart top = new MimeMultipart("mixed");
    if (alternative != null) {
      top.addBodyPart(wrap(alternative));
    } else if (relatedPart != null) {
      top.addBodyPart(wrap(relatedPart));
    } else if (hasHtml) {
      top.addBodyPart(textPart(draft.html().get(), "html"));
    } else {
      top.addBodyPart(textPart(draft.text().orElseThrow(), "plain"));
    }
    for (OutboundAttachment a : mixed) {
      top.addBodyPart(attachmentPart(a, sources));
    }
    msg.setContent(top);
  }

  private static MimeBodyPart textPart(String body, String subtype) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setText(crlf(body), UTF_8, subtype);
    return part;
  }

  private static MimeBodyPart wrap(MimeMultipart multipart) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setContent(multipart);
    return part;
  }

  private static MimeBodyPart attachmentPart(OutboundAttachment a,
      List<CountingDataSource> sources) throws MessagingException {
    CountingDataSource source = new CountingDataSource(a);
    sources.add(source);
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(source));

    String[] type = a.contentType().split("/", 2);
    ParameterList typeParams = new ParameterList();
    typeParams.set("name", a.filename(), UTF_8);
    part.setHeader("Content-Type", new ContentType(type[0], type[1], typeParams).toString());

    ContentDisposition disposition = new ContentDisposition(
        a.inline() ? MimeBodyPart.INLINE : MimeBodyPart.ATTACHMENT);
    ParameterList dispositionParams = new ParameterList();
    dispositionParams.set("filename", a.filename(), UTF_8);
    disposition.setParameterList(dispositionParams);
    part.setHeader("Content-Disposition", disposition.toString());
    // Explicit, so jakarta.mail does not read the whole stream once just to pick an encoding.
    part.setHeader("Content-Transfer-Encoding", "base64");
    if (a.contentId().isPresent()) {
      part.setContentID("<" + a.contentId().get() + ">");
    }
    return part;
  }

  /**
   * Bodies leave with CRLF line endings whatever the caller used (RFC 5322 section 2.3).
   *
   * @param text a body
   * @return the body with every line break as CRLF
   */
  public static String crlf(String text) {
    return LINE_BREAK.matcher(text).replaceAll("\r\n");
  }

  private static InternetAddress internet(EmailAddress a) {
    try {
      return new InternetAddress(a.address(), a.name().orElse(null), UTF_8);
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  private static InternetAddress[] internet(List<EmailAddress> list) {
    InternetAddress[] out = new InternetAddress[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = internet(list.get(i));
    }
    return out;
  }

  private static int estimateSize(Draft draft) {
    long size = 4096L + draft.text().map(String::length).orElse(0)
        + draft.html().map(String::length).orElse(0);
    for (OutboundAttachment a : draft.attachments()) {
      size += a.sizeBytes() * 4 / 3 + 512;
    }
    return (int) Math.min(size, Integer.MAX_VALUE - 16);
  }

  /**
   * What to build. Bcc recipients are deliberately not part of it: they exist only in the SMTP
   * envelope.
   *
   * @param messageId the Message-ID
   * @param date the Date header
   * @param from the From address
   * @param to To recipients
   * @param cc Cc recipients
   * @param replyTo Reply-To addresses, possibly empty
   * @param subject the subject (may be empty)
   * @param text the text/plain body
   * @param html the text/html body
   * @param attachments attachments and inline parts
   * @param headers validated custom headers
   * @param inReplyTo the parent's Message-ID for a reply
   * @param references the References chain, oldest first
   */
  public record Draft(
      MessageId messageId,
      Instant date,
      EmailAddress from,
      List<EmailAddress> to,
      List<EmailAddress> cc,
      List<EmailAddress> replyTo,
      String subject,
      Optional<String> text,
      Optional<String> html,
      List<OutboundAttachment> attachments,
      Map<String, String> headers,
      Optional<MessageId> inReplyTo,
      List<MessageId> references) {

    /** Checks and copies. */
    public Draft {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(from, "from");
      to = List.copyOf(to);
      cc = List.copyOf(cc);
      replyTo = List.copyOf(replyTo);
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(html, "html");
      if (text.isEmpty() && html.isEmpty()) {
        throw new IllegalArgumentException("a draft needs a text or HTML body");
      }
      attachments = List.copyOf(attachments);
      headers = Map.copyOf(headers);
      Objects.requireNonNull(inReplyTo, "inReplyTo");
      references = List.copyOf(references);
    }
  }

  /** Keeps the Message-ID mailcore chose instead of jakarta.mail's generated one. */
  private static final class FixedIdMessage extends MimeMessage {
    private final MessageId messageId;

    FixedIdMessage(Session session, MessageId messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId.bracketed());
    }
  }

  /**
   * Opens the attachment's supplier and counts what it yields, so a stream that is longer than
   * its declared size (which the size limit was checked against) fails instead of slipping
   * past the limit.
   */
  private static final class CountingDataSource implements DataSource {
    private final OutboundAttachment attachment;
    private long lastCount = -1;

    CountingDataSource(OutboundAttachment attachment) {
      this.attachment = attachment;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream in = attachment.content().get();
      if (in == null) {
        throw new IOException("attachment '" + attachment.filename()
            + "': its content supplier returned null");
      }
      lastCount = 0;
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            count(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            count(n);
          }
          return n;
        }
      };
    }

    private void count(long n) throws IOException {
      lastCount += n;
      if (lastCount > attachment.sizeBytes()) {
        throw new IOException("attachment '" + attachment.filename() + "' is longer than its"
            + " declared size of " + attachment.sizeBytes() + " bytes");
      }
    }

    void checkComplete() throws IOException {
      if (lastCount != attachment.sizeBytes()) {
        throw new IOException("attachment '" + attachment.filename() + "' declared "
            + attachment.sizeBytes() + " bytes but its stream gave " + Math.max(lastCount, 0));
      }
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      throw new IOException("read-only");
    }

    @Override
    public String getContentType() {
      return attachment.contentType();
    }

    @Override
    public String getName() {
      return attachment.filename();
    }
  }
}
