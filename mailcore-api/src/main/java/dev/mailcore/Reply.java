package dev.mailcore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A reply to a stored message, given to {@code mail.sender().reply(parent, reply)}.
 *
 * <p>mailcore derives the rest from the parent: it is sent from the parent's inbox, to the
 * parent's Reply-To (or From when there is none), with the subject {@code "Re: " + subject}
 * (never {@code "Re: Re: "}), In-Reply-To the parent's Message-ID and References the parent's
 * References followed by the parent's Message-ID, and it lands in the parent's thread. With
 * {@link #replyAll()} the parent's other To and Cc recipients are added as Cc, except the
 * sending inbox itself. A text or HTML body is required.
 *
 * <p>Immutable and thread-safe; build a variant with {@link #toBuilder()}.
 *
 * @param text the text/plain body, if any
 * @param html the text/html body, if any
 * @param attachments attachments and inline parts, in order
 * @param headers extra headers, in order (same rules as
 *     {@link OutboundEmail.Builder#header(String, String)})
 * @param replyAll true to also address the parent's other recipients
 * @param idempotencyKey a key that makes retries safe (same rule as
 *     {@link OutboundEmail#idempotencyKey()})
 * @param skipSuppressed true to drop suppressed recipients instead of refusing the send
 */
public record Reply(
    Optional<String> text,
    Optional<String> html,
    List<OutboundAttachment> attachments,
    Map<String, String> headers,
    boolean replyAll,
    Optional<String> idempotencyKey,
    boolean skipSuppressed) {

  /**
   * Validates and copies.
   *
   * @throws ValidationException if there is no body, or a header or key is invalid
   */
  public Reply {
    text = OutboundChecks.body("text", text);
    html = OutboundChecks.body("html", html);
    attachments = OutboundChecks.attachments(attachments);
    headers = OutboundChecks.headers(headers);
    idempotencyKey = OutboundChecks.idempotencyKey(idempotencyKey);
    if (text.isEmpty() && html.isEmpty()) {
      throw new ValidationException("text", "a text or HTML body (or both) is required");
    }
  }

  /**
   * A reply with only a text body.
   *
   * @param text the body
   * @return the reply
   */
  public static Reply text(String text) {
    return builder().text(text).build();
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
   * A builder holding this reply's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.text = text.orElse(null);
    b.html = html.orElse(null);
    b.attachments.addAll(attachments);
    b.headers.putAll(headers);
    b.replyAll = replyAll;
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

  /** Builds a {@link Reply}. Not thread-safe. */
  public static final class Builder {
    private String text;
    private String html;
    private final List<OutboundAttachment> attachments = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean replyAll;
    private String idempotencyKey;
    private boolean skipSuppressed;

    private Builder() {}

    /**
     * Sets the text/plain body.
     *
     * @param text the body
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
     * @param attachments the parts
     * @return this builder
     */
    public Builder attach(OutboundAttachment... attachments) {
      for (OutboundAttachment a : attachments) {
        this.attachments.add(Objects.requireNonNull(a, "attachment"));
      }
      return this;
    }

    /**
     * Sets a custom header; see {@link OutboundEmail.Builder#header(String, String)} for what is
     * refused.
     *
     * @param name the header name
     * @param value the value, one line
     * @return this builder
     * @throws ValidationException if the header is refused
     */
    public Builder header(String name, String value) {
      OutboundChecks.putHeader(headers, name, value);
      return this;
    }

    /**
     * Whether to reply to all: the parent's To and Cc recipients other than the sending inbox
     * are added as Cc. Default false.
     *
     * @param replyAll true to reply to all
     * @return this builder
     */
    public Builder replyAll(boolean replyAll) {
      this.replyAll = replyAll;
      return this;
    }

    /**
     * Sets the idempotency key.
     *
     * @param key 1 to 255 characters
     * @return this builder
     */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Whether suppressed recipients are dropped instead of failing the send. Default false.
     *
     * @param skip true to drop them
     * @return this builder
     */
    public Builder skipSuppressed(boolean skip) {
      this.skipSuppressed = skip;
      return this;
    }

    /**
     * Builds the reply.
     *
     * @return the reply
     * @throws ValidationException if it has no body or a value is invalid
     */
    public Reply build() {
      return new Reply(Optional.ofNullable(text), Optional.ofNullable(html), attachments,
          headers, replyAll, Optional.ofNullable(idempotencyKey), skipSuppressed);
    }
  }
}
