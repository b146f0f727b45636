package dev.mailcore.testkit;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.spi.TransportRequest;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One message a {@link RecordingTransport} accepted, parsed for assertions: the envelope, the
 * decoded headers, the text and HTML bodies and the attachments, plus the exact bytes.
 * Immutable and thread-safe.
 *
 * @param request what the engine handed to the transport (raw bytes and envelope)
 * @param providerId the id the transport returned
 * @param from the From address
 * @param to To recipients (from the header)
 * @param cc Cc recipients (from the header)
 * @param subject the decoded subject ({@code ""} if none)
 * @param text the first text/plain body that is not an attachment
 * @param html the first text/html body that is not an attachment
 * @param attachments parts with a file name or a Content-ID, in order
 * @param headers every top-level header, decoded, keyed by lower-case name, values in order
 */
public record SentMail(
    TransportRequest request,
    String providerId,
    EmailAddress from,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    String subject,
    Optional<String> text,
    Optional<String> html,
    List<Attachment> attachments,
    Map<String, List<String>> headers) {

  /**
   * An attachment or inline part.
   *
   * @param filename the decoded file name ({@code ""} if none)
   * @param contentType the MIME type without parameters, lower-case
   * @param contentId the Content-ID without angle brackets, if any
   * @param inline whether the disposition is inline
   * @param content the decoded bytes
   */
  public record Attachment(String filename, String contentType, Optional<String> contentId,
      boolean inline, byte[] content) {}

  /**
   * Parses an accepted request.
   *
   * @param request the request
   * @param providerId the id the transport returned
   * @return the parsed view
   * @throws IllegalArgumentException if the bytes are not a parseable message
   */
  public static SentMail parse(TransportRequest request, String providerId) {
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
          new ByteArrayInputStream(request.rawMime()));
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements(); ) {
        Header h = e.nextElement();
        headers.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(MimeUtility.decodeText(MimeUtility.unfold(h.getValue())));
      }
      headers.replaceAll((k, v) -> List.copyOf(v));
      Walk walk = new Walk();
      walk.part(m);
      return new SentMail(request, providerId, first(m.getFrom()),
          addresses(m.getRecipients(jakarta.mail.Message.RecipientType.TO)),
          addresses(m.getRecipients(jakarta.mail.Message.RecipientType.CC)),
          m.getSubject() == null ? "" : m.getSubject(), walk.text, walk.html,
          List.copyOf(walk.attachments), Collections.unmodifiableMap(headers));
    } catch (MessagingException e) {
      throw new IllegalArgumentException("the transport was given an unparseable message: "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the Message-ID the engine sent */
  public MessageId messageId() {
    return request.messageId();
  }

  /** @return the envelope recipients (To, Cc and Bcc), normalized */
  public List<String> envelopeRecipients() {
    return request.recipients();
  }

  /** @return the envelope sender (MAIL FROM) */
  public String envelopeSender() {
    return request.envelopeSender();
  }

  /** @return the exact bytes handed to the transport */
  public byte[] raw() {
    return request.rawMime().clone();
  }

  /**
   * The first value of a header, decoded.
   *
   * @param name the header name, any case
   * @return the value, if the header is present
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static EmailAddress first(Address[] addresses) {
    List<EmailAddress> list = addresses(addresses);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("the message has no From address");
    }
    return list.get(0);
  }

  private static List<EmailAddress> addresses(Address[] addresses) {
    List<EmailAddress> out = new ArrayList<>();
    if (addresses != null) {
      for (Address a : addresses) {
        InternetAddress ia = (InternetAddress) a;
        out.add(EmailAddress.of(ia.getPersonal(), ia.getAddress()));
      }
    }
    return List.copyOf(out);
  }

  private static final class Walk {
    Optional<String> text = Optional.empty();
    Optional<String> html = Optional.empty();
    final List<Attachment> attachments = new ArrayList<>();

    void part(Part p) throws MessagingException, IOException {
      if (p.isMimeType("multipart/*")) {
        Multipart mp = (Multipart) p.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart child = mp.getBodyPart(i);
          part(child);
        }
        return;
      }
      String[] cid = p.getHeader("Content-ID");
      boolean file = p.getFileName() != null || cid != null
          || Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition());
      if (!file && p.isMimeType("text/plain") && text.isEmpty()) {
        text = Optional.of((String) p.getContent());
      } else if (!file && p.isMimeType("text/html") && html.isEmpty()) {
        html = Optional.of((String) p.getContent());
      } else {
        byte[] content;
        try (InputStream in = p.getInputStream()) {
          content = in.readAllBytes();
        }
        String type = p.getContentType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        attachments.add(new Attachment(p.getFileName() == null ? "" : p.getFileName(), type,
            cid == null ? Optional.empty() : Optional.of(cid[0].replaceAll("^<|>$", "")),
            Part.INLINE.equalsIgnoreCase(p.getDisposition()), content));
      }
    }
  }
}
