package dev.mailcore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Validation shared by {@link OutboundEmail} and {@link Reply}. */
final class OutboundChecks {
  private OutboundChecks() {}

  /** Longest accepted idempotency key. */
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  /** Longest accepted custom header value, before folding (RFC 5322 line limit). */
  static final int MAX_HEADER_VALUE_LENGTH = 998;

  /**
   * Headers mailcore writes itself; a custom value would contradict the message's metadata or
   * (for Bcc) leak recipients.
   */
  private static final Set<String> OWNED = Set.of("from", "sender", "to", "cc", "bcc",
      "reply-to", "subject", "message-id", "date", "in-reply-to", "references", "mime-version",
      "return-path");

  /**
   * Validates and copies custom headers, keeping their order.
   *
   * @throws ValidationException for a bad name, a header mailcore owns, a duplicate (ignoring
   *     case), or a value with CR, LF or other control characters
   */
  static Map<String, String> headers(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    Map<String, String> copy = new LinkedHashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "header name");
      String value = Objects.requireNonNull(e.getValue(), "header value for " + name);
      checkHeader(name, value);
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new ValidationException("headers." + name,
            "given twice (header names are case-insensitive); give each header once");
      }
      copy.put(name, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Checks a custom header and puts it into a builder's headers, replacing one of the same name
   * in any case.
   */
  static void putHeader(Map<String, String> headers, String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    checkHeader(name, value);
    headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    headers.put(name, value);
  }

  static void checkHeader(String name, String value) {
    if (name.isEmpty() || name.length() > 76
        || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':')) {
      throw new ValidationException("headers",
          "header name must be 1 to 76 printable ASCII characters without ':' or spaces, got '"
              + name + "'");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (OWNED.contains(lower) || lower.startsWith("content-")) {
      throw new ValidationException("headers." + name,
          "mailcore sets this header itself; use the builder's own setter (from the inbox,"
              + " to/cc/bcc, subject, replyTo, attachments) instead");
    }
    Checks.singleLine("headers." + name, value);
    if (value.length() > MAX_HEADER_VALUE_LENGTH) {
      throw new ValidationException("headers." + name,
          "value longer than " + MAX_HEADER_VALUE_LENGTH + " characters");
    }
  }

  static Optional<String> idempotencyKey(Optional<String> key) {
    Objects.requireNonNull(key, "idempotencyKey");
    key.ifPresent(k -> {
      if (k.isBlank() || k.length() > MAX_IDEMPOTENCY_KEY_LENGTH
          || k.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new ValidationException("idempotencyKey", "must be 1 to "
            + MAX_IDEMPOTENCY_KEY_LENGTH + " characters without control characters, got '"
            + k + "'");
      }
    });
    return key;
  }

  static Optional<String> body(String field, Optional<String> body) {
    Objects.requireNonNull(body, field);
    body.ifPresent(b -> {
      int nul = b.indexOf('\0');
      if (nul >= 0) {
        // Nothing a mail client shows, and PostgreSQL cannot store it in a text column.
        throw new ValidationException(field, "must not contain NUL (U+0000), found at position "
            + nul + "; remove it");
      }
    });
    return body;
  }

  static List<OutboundAttachment> attachments(List<OutboundAttachment> attachments) {
    List<OutboundAttachment> copy = List.copyOf(attachments);
    Set<String> contentIds = new java.util.HashSet<>();
    for (OutboundAttachment a : copy) {
      a.contentId().ifPresent(cid -> {
        if (!contentIds.add(cid)) {
          throw new ValidationException("attachments",
              "Content-ID '" + cid + "' is used by two parts; give each inline part its own");
        }
      });
    }
    return copy;
  }

  static long totalAttachmentBytes(List<OutboundAttachment> attachments) {
    long total = 0;
    for (OutboundAttachment a : attachments) {
      total += a.sizeBytes();
    }
    return total;
  }
}
