package dev.mailcore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A new message to send from one of your inboxes, given to {@code mail.sender().send(...)}.
 *
 * <p>The From address is the inbox's address; its display name is {@link #fromName()} if set,
 * else the domain's default from-name. Reply-To is {@link #replyTo()} if set, else the domain's
 * default Reply-To, else absent. Bcc recipients receive the message but never appear in its
 * headers. At least one recipient and a text or HTML body are required.
 *
 * <pre>{@code
 * OutboundEmail email = OutboundEmail.builder()
 *     .inboxId(inbox.id())
 *     .to("Ann Lee <ann@example.com>")
 *     .subject("Your order")
 *     .text("It ships today.")
 *     .idempotencyKey("order-1234-shipped")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; build a variant with {@link #toBuilder()}.
 *
 * @param inboxId the inbox that sends (its address is the From address)
 * @param to To recipients
 * @param cc Cc recipients
 * @param bcc Bcc recipients (delivered, never written into the headers)
 * @param subject the subject, possibly empty; non-ASCII is sent RFC 2047-encoded
 * @param text the text/plain body, if any
 * @param html the text/html body, if any
 * @param attachments attachments and inline parts, in order
 * @param headers extra headers (for example {@code X-Campaign}), in order; see
 *     {@link Builder#header(String, String)} for what is refused
 * @param fromName a display name for From, overriding the domain's default
 * @param replyTo Reply-To addresses, overriding the domain's default; empty means use the default
 * @param idempotencyKey a key that makes retries safe: a second send with the same key from the
 *     same inbox within 24 hours returns the first result and sends nothing
 * @param skipSuppressed true to drop suppressed recipients (reported in
 *     {@link SendResult#skippedRecipients()}) instead of refusing the whole send
 */
public record OutboundEmail(
    UUID inboxId,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    List<EmailAddress> bcc,
    String subject,
    Optional<String> text,
    Optional<String> html,
    List<OutboundAttachment> attachments,
    Map<String, String> headers,
    Optional<String> fromName,
    List<EmailAddress> replyTo,
    Optional<String> idempotencyKey,
    boolean skipSuppressed) {

  /** Most recipients (To + Cc + Bcc) one message may have; SES allows 50. */
  public static final int MAX_RECIPIENTS = 50;

  /** Longest accepted subject, in characters. */
  public static final int MAX_SUBJECT_LENGTH = 998;

  /**
   * Validates and copies.
   *
   * @throws ValidationException if there is no recipient, too many recipients, a recipient
   *     given twice, no body, a subject with CR/LF, or an invalid header or key
   */
  public OutboundEmail {
    Objects.requireNonNull(inboxId, "inboxId");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    Objects.requireNonNull(subject, "subject");
    text = OutboundChecks.body("text", text);
    html = OutboundChecks.body("html", html);
    attachments = OutboundChecks.attachments(attachments);
    headers = OutboundChecks.headers(headers);
    Objects.requireNonNull(fromName, "fromName");
    replyTo = List.copyOf(replyTo);
    idempotencyKey = OutboundChecks.idempotencyKey(idempotencyKey);

    int recipients = to.size() + cc.size() + bcc.size();
    if (recipients == 0) {
      throw new ValidationException("to", "at least one To, Cc or Bcc recipient is required");
    }
    if (recipients > MAX_RECIPIENTS) {
      throw new ValidationException("to", "at most " + MAX_RECIPIENTS
          + " recipients (To + Cc + Bcc) per message, got " + recipients
          + "; split the send into several messages");
    }
    Set<String> seen = new HashSet<>();
    for (List<EmailAddress> list : List.of(to, cc, bcc)) {
      for (EmailAddress a : list) {
        if (!seen.add(a.normalized())) {
          throw new ValidationException("to", "recipient " + a.address()
              + " is given more than once across To, Cc and Bcc; give each address once");
        }
      }
    }
    if (text.isEmpty() && html.isEmpty()) {
      throw new ValidationException("text", "a text or HTML body (or both) is required");
    }
    Checks.singleLine("subject", subject);
    if (subject.length() > MAX_SUBJECT_LENGTH) {
      throw new ValidationException("subject",
          "longer than " + MAX_SUBJECT_LENGTH + " characters");
    }
    fromName = fromName.map(String::strip).filter(n -> !n.isEmpty());
    fromName.ifPresent(n -> Checks.singleLine("fromName", n));
  }

  /**
   * Starts an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this message's values, to build a variant.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.inboxId = inboxId;
    b.to.addAll(to);
    b.cc.addAll(cc);
    b.bcc.addAll(bcc);
    b.subject = subject;
    b.text = text.orElse(null);
    b.html = html.orElse(null);
    b.attachments.addAll(attachments);
    b.headers.putAll(headers);
    b.fromName = fromName.orElse(null);
    b.replyTo.addAll(replyTo);
    b.idempotencyKey = idempotencyKey.orElse(null);
    b.skipSuppressed = skipSuppressed;
    return b;
  }

  /**
   * The total size of all attachments, the value checked against the attachment limit.
   *
   * @return bytes
   */
  public long attachmentBytes() {
    return OutboundChecks.totalAttachmentBytes(attachments);
  }

  /**
   * All recipients in To, Cc, Bcc order.
   *
   * @return an unmodifiable list
   */
  public List<EmailAddress> allRecipients() {
    List<EmailAddress> all = new ArrayList<>(to.size() + cc.size() + bcc.size());
    all.addAll(to);
    all.addAll(cc);
    all.addAll(bcc);
    return List.copyOf(all);
  }

  /**
   * Builds an {@link OutboundEmail}. String address arguments are parsed with
   * {@link EmailAddress#parse(String)} and fail at once with a {@link ValidationException}
   * naming the bad value. Not thread-safe.
   */
  public static final class Builder {
    private UUID inboxId;
    private final List<EmailAddress> to = new ArrayList<>();
    private final List<EmailAddress> cc = new ArrayList<>();
    private final List<EmailAddress> bcc = new ArrayList<>();
    private String subject = "";
    private String text;
    private String html;
    private final List<OutboundAttachment> attachments = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String fromName;
    private final List<EmailAddress> replyTo = new ArrayList<>();
    private String idempotencyKey;
    private boolean skipSuppressed;

    private Builder() {}

    /**
     * Sets the sending inbox (required).
     *
     * @param inboxId the inbox's id
     * @return this builder
     */
    public Builder inboxId(UUID inboxId) {
      this.inboxId = Objects.requireNonNull(inboxId, "inboxId");
      return this;
    }

    /**
     * Adds To recipients.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder to(EmailAddress... addresses) {
      return add(to, addresses);
    }

    /**
     * Adds To recipients in header syntax ({@code "Ann <ann@example.com>"} or a bare address).
     *
     * @param addresses the addresses
     * @return this builder
     * @throws ValidationException if an address is invalid
     */
    public Builder to(String... addresses) {
      return add(to, "to", addresses);
    }

    /**
     * Adds Cc recipients.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder cc(EmailAddress... addresses) {
      return add(cc, addresses);
    }

    /**
     * Adds Cc recipients in header syntax.
     *
     * @param addresses the addresses
     * @return this builder
     * @throws ValidationException if an address is invalid
     */
    public Builder cc(String... addresses) {
      return add(cc, "cc", addresses);
    }

    /**
     * Adds Bcc recipients (they receive the message; no header names them).
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder bcc(EmailAddress... addresses) {
      return add(bcc, addresses);
    }

    /**
     * Adds Bcc recipients in header syntax.
     *
     * @param addresses the addresses
     * @return this builder
     * @throws ValidationException if an address is invalid
     */
    public Builder bcc(String... addresses) {
      return add(bcc, "bcc", addresses);
    }

    /**
     * Removes all To, Cc and Bcc recipients (useful after {@link #toBuilder()}).
     *
     * @return this builder
     */
    public Builder clearRecipients() {
      to.clear();
      cc.clear();
      bcc.clear();
      return this;
    }

    /**
     * Sets the subject (default: empty).
     *
     * @param subject the subject, one line
     * @return this builder
     */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /**
     * Sets the text/plain body.
     *
     * @param text the body; line breaks are sent as CRLF
     * @return this builder
     */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * Sets the text/html body.
     *
     * @param html the body
     * @return this builder
     */
    public Builder html(String html) {
      this.html = Objects.requireNonNull(html, "html");
      return this;
    }

    /**
     * Adds attachments or inline parts.
     *
     * @param attachments the parts, in order
     * @return this builder
     */
    public Builder attach(OutboundAttachment... attachments) {
      for (OutboundAttachment a : attachments) {
        this.attachments.add(Objects.requireNonNull(a, "attachment"));
      }
      return this;
    }

    /**
     * Sets a custom header. Refused: names that are not printable ASCII or contain ':', values
     * with CR, LF or other control characters (header injection), and headers mailcore writes
     * itself (From, Sender, To, Cc, Bcc, Reply-To, Subject, Message-ID, Date, In-Reply-To,
     * References, MIME-Version, Return-Path, Content-*). Non-ASCII values are sent RFC
     * 2047-encoded.
     *
     * @param name the header name, for example {@code X-Campaign}
     * @param value the value, one line
     * @return this builder
     * @throws ValidationException if the header is refused
     */
    public Builder header(String name, String value) {
      OutboundChecks.putHeader(headers, name, value);
      return this;
    }

    /**
     * Overrides the domain's default From display name for this message.
     *
     * @param fromName the display name
     * @return this builder
     */
    public Builder fromName(String fromName) {
      this.fromName = Objects.requireNonNull(fromName, "fromName");
      return this;
    }

    /**
     * Sets Reply-To, overriding the domain's default.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder replyTo(EmailAddress... addresses) {
      return add(replyTo, addresses);
    }

    /**
     * Sets Reply-To in header syntax, overriding the domain's default.
     *
     * @param addresses the addresses
     * @return this builder
     * @throws ValidationException if an address is invalid
     */
    public Builder replyTo(String... addresses) {
      return add(replyTo, "replyTo", addresses);
    }

    /**
     * Sets the idempotency key: a repeat send with the same key from the same inbox within
     * 24 hours returns the first result ({@link SendResult#duplicate()} true) and sends
     * nothing.
     *
     * @param key 1 to 255 characters, for example your own event id
     * @return this builder
     */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Whether suppressed recipients are dropped (and reported) instead of failing the send
     * with {@link SuppressedRecipientException}. Default false. If every recipient is
     * suppressed the send still fails.
     *
     * @param skip true to drop them
     * @return this builder
     */
    public Builder skipSuppressed(boolean skip) {
      this.skipSuppressed = skip;
      return this;
    }

    /**
     * Builds the message.
     *
     * @return the message
     * @throws NullPointerException if no inbox was set
     * @throws ValidationException if the message is incomplete or invalid
     */
    public OutboundEmail build() {
      Objects.requireNonNull(inboxId, "inboxId (call inboxId(...) on the builder)");
      return new OutboundEmail(inboxId, to, cc, bcc, subject, Optional.ofNullable(text),
          Optional.ofNullable(html), attachments, headers, Optional.ofNullable(fromName),
          replyTo, Optional.ofNullable(idempotencyKey), skipSuppressed);
    }

    private Builder add(List<EmailAddress> list, EmailAddress... addresses) {
      for (EmailAddress a : addresses) {
        list.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    private Builder add(List<EmailAddress> list, String field, String... addresses) {
      for (String a : addresses) {
        Objects.requireNonNull(a, field);
        try {
          list.add(EmailAddress.parse(a));
        } catch (ValidationException e) {
          throw new ValidationException(field + "[" + list.size() + "]", e.reason());
        }
      }
      return this;
    }
  }
}
