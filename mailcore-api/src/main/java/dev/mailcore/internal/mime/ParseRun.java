package dev.mailcore.internal.mime;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * The state of one {@link MimeParser#parse} call: walks mime4j's token stream once, collecting
 * the top-level header fields, the bodies and the attachments. See {@link MimeParser} for the
 * rules. Not thread-safe; used once.
 */
final class ParseRun {
  private static final int INITIAL_BODY_BUFFER = 8 << 10;

  private final ParseLimits limits;
  private final MimeConfig config;
  private final AttachmentSink sink;
  private final HeaderListener onHeader;
  private final RawInput raw;
  private HeaderSummary header;

  private boolean inRootHeader = true;
  private int depth;
  private int parts;

  private Field messageIdField;
  private Field inReplyToField;
  private List<Field> referencesFields;
  private Field fromField;
  private Field senderField;
  private Field subjectField;
  private Field dateField;
  private List<Field> toFields;
  private List<Field> ccFields;
  private List<Field> bccFields;
  private List<Field> replyToFields;

  private boolean textTaken;
  private boolean htmlTaken;
  private String bodyText;
  private int partsAtRootMultipart;
  private String rootPreamble;
  private String bodyHtml;
  private final List<ParsedAttachment> attachments = new ArrayList<>();
  private byte[] buffer;
  private byte[] decoderBuffer;

  ParseRun(ParseLimits limits, MimeConfig config, InputStream in, HeaderListener onHeader,
      AttachmentSink sink) {
    this.limits = limits;
    this.config = config;
    this.sink = sink;
    this.onHeader = onHeader;
    this.raw = new RawInput(in, limits.maxMessageBytes());
  }

  /**
   * Carries a sink's or header listener's own exception past the parser's wrapping of mime4j
   * failures.
   */
  private static final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkFailure(RuntimeException cause) {
      super(cause);
    }
  }

  ParsedMessage run() throws MimeParseException {
    walk();
    return result();
  }

  /**
   * Hands the top-level header to the listener, once: when the header block ends, or at the end
   * of the input for a message whose header never ends. Its exceptions propagate unchanged.
   */
  private void reportHeader() {
    if (header != null) {
      return;
    }
    AddressList to = AddressList.parse(joined(toFields));
    AddressList cc = AddressList.parse(joined(ccFields));
    List<String> unusable = new ArrayList<>(to.unusable());
    unusable.addAll(cc.unusable());
    header = new HeaderSummary(firstId(messageIdField), to.addresses(), cc.addresses(),
        List.copyOf(unusable));
    try {
      onHeader.topHeader(header);
    } catch (RuntimeException e) {
      throw new SinkFailure(e);
    }
  }

  private void walk() throws MimeParseException {
    Scratch scratch = Scratch.borrow();
    buffer = scratch.body;
    decoderBuffer = scratch.decoder;
    HeaderRepair repair = new HeaderRepair(raw, scratch.header);
    try {
      walk(repair);
    } finally {
      scratch.header = repair.buffer();
      scratch.body = buffer;
      scratch.decoder = decoderBuffer;
      buffer = null;
      decoderBuffer = null;
      scratch.giveBack();
    }
  }

  private void walk(HeaderRepair repair) throws MimeParseException {
    MimeTokenStream ts = new MimeTokenStream(config, DecodeMonitor.SILENT,
        new LenientFieldBuilder(config.getMaxHeaderLen()), new PartDescriptorBuilder(null));
    // message/rfc822 parts are stored whole (as .eml), so mime4j must not descend into them.
    ts.setRecursionMode(RecursionMode.M_NO_RECURSE);
    try {
      ts.parse(repair);
      for (EntityState s = ts.getState(); s != EntityState.T_END_OF_STREAM; s = ts.next()) {
        switch (s) {
          case T_START_MESSAGE:
          case T_START_BODYPART:
            if (++parts > limits.maxParts()) {
              throw limit("more than " + limits.maxParts() + " MIME parts", "maxParts",
                  limits.maxParts());
            }
            break;
          case T_FIELD:
            if (inRootHeader) {
              rootField(ts.getField());
            }
            break;
          case T_END_HEADER:
            if (inRootHeader) {
              inRootHeader = false;
              reportHeader();
            }
            break;
          case T_START_MULTIPART:
            if (++depth > limits.maxDepth()) {
              throw depthExceeded();
            }
            if (depth == 1) {
              partsAtRootMultipart = parts;
            }
            break;
          case T_PREAMBLE:
            if (depth == 1) {
              rootPreamble = readPreamble(ts.getInputStream());
            }
            break;
          case T_END_MULTIPART:
            if (depth == 1 && parts == partsAtRootMultipart && !textTaken
                && rootPreamble != null) {
              // The boundary never appeared: everything after the header is "preamble". Keep
              // it as the text body rather than report a message with no content.
              bodyText = rootPreamble;
              textTaken = true;
            }
            depth--;
            break;
          case T_BODY:
            leaf(ts);
            break;
          default:
            break;
        }
      }
      reportHeader();
      raw.drain(buffer());
    } catch (MaxHeaderLengthLimitException e) {
      throw headerTooLong(e);
    } catch (MaxHeaderLimitException e) {
      throw limit("a MIME entity has more than " + limits.maxHeaderCount() + " header fields",
          "maxHeaderCount", limits.maxHeaderCount(), e);
    } catch (MimeException e) {
      if (e.getCause() instanceof MaxLineLimitException) {
        throw headerTooLong(e);
      }
      throw classify(e);
    } catch (IOException e) {
      if (e instanceof MaxLineLimitException) {
        throw headerTooLong(e);
      }
      throw classify(e);
    } catch (SinkFailure e) {
      throw (RuntimeException) e.getCause();
    } catch (RuntimeException e) {
      throw classify(e);
    }
  }

  private MimeParseException classify(Exception e) {
    if (raw.exceeded()) {
      return tooLarge(e);
    }
    if (raw.readFailure() != null) {
      throw new UncheckedIOException("reading the raw message failed: "
          + raw.readFailure().getMessage(), raw.readFailure());
    }
    return new MimeParseException("the message could not be parsed as MIME: " + e, e);
  }

  private MimeParseException tooLarge(Exception cause) {
    return limit("message larger than " + limits.maxMessageBytes() + " bytes", "maxMessageBytes",
        limits.maxMessageBytes(), cause);
  }

  private MimeParseException depthExceeded() {
    return limit("MIME nesting deeper than " + limits.maxDepth() + " levels", "maxMimeDepth",
        limits.maxDepth());
  }

  private MimeParseException headerTooLong(Exception cause) {
    return limit("a header field is longer than " + limits.maxHeaderBytes() + " bytes",
        "maxHeaderBytes", limits.maxHeaderBytes(), cause);
  }

  private static MimeParseException limit(String what, String name, long value) {
    return limit(what, name, value, null);
  }

  private static MimeParseException limit(String what, String name, long value,
      Throwable cause) {
    // Named after the public Limits setting, which is what a user can change.
    return new MimeParseException(what + " (limit Limits." + name + " = " + value
        + "; raise it with MailCore.builder().limits(...) only if such messages are expected)",
        cause);
  }

  private void rootField(Field f) {
    String n = f.getName();
    if (n.equalsIgnoreCase("subject")) {
      if (subjectField == null) {
        subjectField = f;
      }
    } else if (n.equalsIgnoreCase("from")) {
      if (fromField == null) {
        fromField = f;
      }
    } else if (n.equalsIgnoreCase("to")) {
      toFields = add(toFields, f);
    } else if (n.equalsIgnoreCase("cc")) {
      ccFields = add(ccFields, f);
    } else if (n.equalsIgnoreCase("date")) {
      if (dateField == null) {
        dateField = f;
      }
    } else if (n.equalsIgnoreCase("message-id")) {
      if (messageIdField == null) {
        messageIdField = f;
      }
    } else if (n.equalsIgnoreCase("in-reply-to")) {
      if (inReplyToField == null) {
        inReplyToField = f;
      }
    } else if (n.equalsIgnoreCase("references")) {
      referencesFields = add(referencesFields, f);
    } else if (n.equalsIgnoreCase("reply-to")) {
      replyToFields = add(replyToFields, f);
    } else if (n.equalsIgnoreCase("bcc")) {
      bccFields = add(bccFields, f);
    } else if (n.equalsIgnoreCase("sender")) {
      if (senderField == null) {
        senderField = f;
      }
    }
  }

  private static List<Field> add(List<Field> list, Field f) {
    List<Field> l = list == null ? new ArrayList<>(1) : list;
    l.add(f);
    return l;
  }

  private void leaf(MimeTokenStream ts) throws IOException, MimeParseException {
    PartDescriptor d = (PartDescriptor) ts.getBodyDescriptor();
    String type = d.getMimeType();
    if ((type.equals("message/rfc822") || type.equals("message/global"))
        && depth + 1 > limits.maxDepth()) {
      throw depthExceeded();
    }
    String disposition = d.dispositionType();
    boolean attachmentDisposition = disposition != null && !disposition.isEmpty()
        && !disposition.equals("inline");
    boolean plain = type.equals("text/plain");
    boolean html = type.equals("text/html");
    String filename = null;
    boolean named = false;
    if (!d.dispositionParams().isEmpty() || !d.typeParams().isEmpty()) {
      filename = PartNames.filename(d);
      named = filename != null;
    }
    if ((plain || html) && !attachmentDisposition && !named) {
      // An empty part does not take the body slot (and, being nameless, is dropped).
      if (plain && !textTaken) {
        bodyText = uuencodedBlocks(readBody(ts, d));
        textTaken = bodyText == null || !bodyText.isEmpty();
        bodyText = textTaken ? bodyText : null;
        return;
      }
      if (html && !htmlTaken) {
        bodyHtml = readBody(ts, d);
        htmlTaken = bodyHtml == null || !bodyHtml.isEmpty();
        bodyHtml = htmlTaken ? bodyHtml : null;
        return;
      }
    }
    InputStream content = decoded(ts, d);
    if (!named && !attachmentDisposition) {
      // A nameless, empty non-body part (an empty alternative, a blank part between
      // boundaries) is noise, not an attachment anyone sent.
      PushbackInputStream peek = new PushbackInputStream(content, 1);
      int first = peek.read();
      if (first < 0) {
        return;
      }
      peek.unread(first);
      content = peek;
    }
    store(d, filename, content);
  }

  /**
   * Reads the root multipart's preamble, normally one line of boilerplate, but the whole body
   * when the boundary is missing. Longer than maxBodyBytes: not kept (the raw message has it).
   */
  private String readPreamble(InputStream in) throws IOException {
    byte[] buf = in.readNBytes(limits.maxBodyBytes() + 1);
    if (buf.length > limits.maxBodyBytes()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return null;
    }
    String text = TextDecoding.decode(buf, buf.length, null).strip();
    return text.isEmpty() ? null : text;
  }

  /** Reads a text body; one larger than maxBodyBytes is stored as an attachment instead. */
  private String readBody(MimeTokenStream ts, PartDescriptor d)
      throws IOException, MimeParseException {
    InputStream in = decoded(ts, d);
    int max = limits.maxBodyBytes();
    byte[] buf = buffer();
    int n = 0;
    for (;;) {
      if (n == buf.length) {
        if (n > max) {
          break;
        }
        int grown = (int) Math.min((long) max + 1, Math.max(16L, (long) buf.length * 2));
        buf = java.util.Arrays.copyOf(buf, grown);
        this.buffer = buf;
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n <= max) {
      return TextDecoding.decode(buf, n, d.getCharset());
    }
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), in);
    store(d, null, whole);
    return null;
  }

  /** Parts are read one after another, so their decoders can share one input buffer. */
  private InputStream decoded(MimeTokenStream ts, PartDescriptor d) {
    if (decoderBuffer == null) {
      decoderBuffer = new byte[TransferDecoding.INPUT_BUFFER];
    }
    return TransferDecoding.decoder(d.getTransferEncoding(), ts.getInputStream(), decoderBuffer);
  }

  private byte[] buffer() {
    if (buffer == null) {
      buffer = new byte[Math.min(INITIAL_BODY_BUFFER, Math.max(16, limits.maxBodyBytes() + 1))];
    }
    return buffer;
  }

  private static final Pattern UU_BEGIN =
      Pattern.compile("(?m)^begin [0-7]{3,4} ([^\\r\\n]+?)\\r?$");
  private static final Pattern UU_END = Pattern.compile("(?m)^end\\r?$");

  /**
   * Moves uuencoded blocks ({@code begin 644 name} ... {@code end}) out of a plain-text body
   * into attachments with their names, as old mailers attached files. A block that does not
   * decode stays in the text.
   */
  private String uuencodedBlocks(String text) throws MimeParseException {
    if (text == null || !text.contains("begin ")) {
      return text;
    }
    Matcher begin = UU_BEGIN.matcher(text);
    StringBuilder rest = new StringBuilder(text.length());
    int pos = 0;
    while (begin.find(pos)) {
      Matcher end = UU_END.matcher(text);
      if (!end.find(begin.end())) {
        break;
      }
      byte[] decoded;
      try (InputStream uu = TransferDecoding.uudecoder(new ByteArrayInputStream(
          text.substring(begin.start(), end.end()).getBytes(StandardCharsets.ISO_8859_1)))) {
        decoded = uu.readAllBytes();
      } catch (IOException e) {
        rest.append(text, pos, end.end());
        pos = end.end();
        continue;
      }
      String name = PartNames.sanitize(begin.group(1));
      String type = name == null ? null : URLConnection.guessContentTypeFromName(name);
      type = type == null ? "application/octet-stream" : type;
      storePart(name != null ? name : PartNames.generated(attachments.size(), type), type,
          Optional.empty(), false, new ByteArrayInputStream(decoded));
      rest.append(text, pos, begin.start());
      pos = end.end();
    }
    if (pos == 0) {
      return text;
    }
    rest.append(text, pos, text.length());
    String left = rest.toString();
    return left.isBlank() ? null : left;
  }

  private void store(PartDescriptor d, String filename, InputStream content)
      throws MimeParseException {
    String type = d.getMimeType();
    String name = filename != null ? filename : PartNames.generated(attachments.size(), type);
    String disposition = d.dispositionType();
    boolean inline = "inline".equals(disposition)
        || (disposition == null && d.contentId() != null);
    storePart(name, type, Optional.ofNullable(d.contentId()), inline, content);
  }

  private void storePart(String name, String type, Optional<String> contentId, boolean inline,
      InputStream content) throws MimeParseException {
    PartInfo info = new PartInfo(attachments.size(), name, type, contentId, inline);
    PartContent guarded = new PartContent(content);
    StoredPart stored;
    try {
      stored = sink.store(info, guarded);
    } catch (RuntimeException e) {
      checkStreamFailures(guarded, e);
      throw new SinkFailure(e);
    }
    checkStreamFailures(guarded, null);
    Objects.requireNonNull(stored, "AttachmentSink.store returned null");
    attachments.add(new ParsedAttachment(info, stored));
  }

  /** A sink may wrap or swallow our stream's exceptions; find the real cause either way. */
  private void checkStreamFailures(PartContent guarded, RuntimeException sinkError)
      throws MimeParseException {
    if (raw.exceeded()) {
      throw tooLarge(sinkError);
    }
    if (raw.readFailure() != null) {
      throw new UncheckedIOException("reading the raw message failed: "
          + raw.readFailure().getMessage(), raw.readFailure());
    }
    if (guarded.failure() != null) {
      throw new MimeParseException("the message could not be parsed as MIME: "
          + guarded.failure(), guarded.failure());
    }
  }

  private ParsedMessage result() {
    Optional<MessageId> inReplyTo = firstId(inReplyToField);
    List<MessageId> references = referencesFields == null ? List.of()
        : MessageIds.all(joined(referencesFields));
    Optional<EmailAddress> from = firstAddress(fromField);
    if (from.isEmpty()) {
      from = firstAddress(senderField);
    }
    Optional<String> subject = Optional.empty();
    if (subjectField != null) {
      String s = cleanSubject(HeaderValues.decodeWords(HeaderValues.fieldBody(subjectField)));
      if (!s.isEmpty()) {
        subject = Optional.of(s);
      }
    }
    // The Message-ID, To and Cc were read for the header summary already.
    return new ParsedMessage(header.messageId(), from, header.to(), header.cc(),
        addresses(bccFields), addresses(replyToFields), subject,
        dateField == null ? Optional.empty()
            : HeaderValues.date(HeaderValues.fieldBody(dateField)),
        inReplyTo, references, Optional.ofNullable(bodyText), Optional.ofNullable(bodyHtml),
        List.copyOf(attachments));
  }

  private static String cleanSubject(String s) {
    return HeaderValues.stripControls(s).strip();
  }

  private static Optional<MessageId> firstId(Field f) {
    if (f == null) {
      return Optional.empty();
    }
    List<MessageId> ids = MessageIds.all(HeaderValues.fieldBody(f));
    return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
  }

  private static Optional<EmailAddress> firstAddress(Field f) {
    if (f == null) {
      return Optional.empty();
    }
    List<EmailAddress> list = AddressList.parse(HeaderValues.fieldBody(f)).addresses();
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  private static List<EmailAddress> addresses(List<Field> fields) {
    if (fields == null) {
      return List.of();
    }
    return AddressList.parse(joined(fields)).addresses();
  }

  private static String joined(List<Field> fields) {
    if (fields == null) {
      return "";
    }
    if (fields.size() == 1) {
      return HeaderValues.fieldBody(fields.get(0));
    }
    StringBuilder sb = new StringBuilder();
    for (Field f : fields) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(HeaderValues.fieldBody(f));
    }
    return sb.toString();
  }
}
