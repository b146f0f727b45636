package dev.mailcore.internal.engine;

import dev.mailcore.MessageId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * The blob key layout from the seed: {@code {yyyy}/{mm}/{dd}/{sha256(message-id)}.eml} for raw
 * messages and {@code {yyyy}/{mm}/{dd}/{sha256(message-id)}/{uuid}.{ext}} for attachments. The
 * Message-ID is hashed because it may contain characters that are unsafe in keys.
 */
final class StorageKeys {
  private StorageKeys() {}

  /**
   * The raw key of a message.
   *
   * @param messageId the Message-ID
   * @param at the receipt (or send) time; its UTC date partitions the key
   * @return the key
   */
  public static String raw(MessageId messageId, Instant at) {
    return datePrefix(at) + hash(messageId) + ".eml";
  }

  /**
   * A variant raw key for different bytes that claim an already stored Message-ID, so the
   * earlier bytes are not overwritten.
   *
   * @param messageId the Message-ID
   * @param at the receipt time
   * @param contentSha256 hex SHA-256 of the new bytes
   * @return the key
   */
  public static String rawVariant(MessageId messageId, Instant at, String contentSha256) {
    return datePrefix(at) + hash(messageId) + "-" + contentSha256.substring(0, 16) + ".eml";
  }

  /**
   * The key of one attachment.
   *
   * @param messageId the message's Message-ID
   * @param at the receipt time
   * @param attachmentId the attachment's id
   * @param filename the attachment's filename (its extension is kept)
   * @return the key
   */
  public static String attachment(MessageId messageId, Instant at, UUID attachmentId,
      String filename) {
    return datePrefix(at) + hash(messageId) + "/" + attachmentId + extension(filename);
  }

  /**
   * Hex SHA-256 of a string's UTF-8 bytes.
   *
   * @param text the text
   * @return 64 hex characters
   */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A fresh SHA-256 digest.
   *
   * @return the digest
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static String hash(MessageId id) {
    return sha256Hex(id.value());
  }

  private static String datePrefix(Instant at) {
    // Called for every stored blob: plain appends instead of String.format's parse of a pattern.
    LocalDate d = LocalDate.ofInstant(at, ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 1000 || year > 9999) {
      return String.format(Locale.ROOT, "%04d/%02d/%02d/", year, d.getMonthValue(),
          d.getDayOfMonth());
    }
    StringBuilder b = new StringBuilder(11).append(year).append('/');
    twoDigits(b, d.getMonthValue()).append('/');
    return twoDigits(b, d.getDayOfMonth()).append('/').toString();
  }

  private static StringBuilder twoDigits(StringBuilder b, int value) {
    return (value < 10 ? b.append('0') : b).append(value);
  }

  static String extension(String filename) {
    int dot = filename.lastIndexOf('.');
    if (dot < 0 || dot == filename.length() - 1) {
      return "";
    }
    String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    return ext.length() <= 10 && ext.matches("[a-z0-9]+") ? "." + ext : "";
  }
}
