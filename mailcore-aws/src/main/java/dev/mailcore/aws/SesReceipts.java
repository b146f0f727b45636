package dev.mailcore.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailcore.EmailAddress;
import dev.mailcore.InboundMail;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiptVerdicts.Verdict;
import dev.mailcore.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Translates an SES {@code Received} notification (a receipt rule's S3 or SNS action) into the
 * {@link InboundMail} mailcore receives: raw content from S3 (streamed) or inline, the
 * receipt's envelope recipients, the receipt time. Stateless and thread-safe.
 */
final class SesReceipts {
  private static final Logger LOG = LoggerFactory.getLogger(SesReceipts.class);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private SesReceipts() {}

  /**
   * One inbound message ready for {@code receiveAll}.
   *
   * @param index its position in the {@code process} input
   * @param mail what to receive
   * @param stream the S3 stream to close afterwards, if any
   * @param label names it in logs and outcomes (SES message id, S3 location), never content
   */
  record Inbound(int index, InboundMail mail, @Nullable S3ObjectStream stream, String label) {
    void close() {
      if (stream != null) {
        SesNotifications.closeQuietly(stream);
      }
    }
  }

  /** Either mail to receive, or the outcome the notification already has. */
  record Translation(@Nullable Inbound inbound, @Nullable SesNotificationOutcome outcome) {
    static Translation done(SesNotificationOutcome o) {
      return new Translation(null, o);
    }

    static Translation ignore(String reason) {
      return done(new SesNotificationOutcome.Ignored(reason));
    }
  }

  /** The receipt's spamVerdict, virusVerdict, spfVerdict, dkimVerdict and dmarcVerdict. */
  static ReceiptVerdicts verdicts(JsonNode receipt, String label) {
    return new ReceiptVerdicts(verdict(receipt, "spamVerdict", label),
        verdict(receipt, "virusVerdict", label), verdict(receipt, "spfVerdict", label),
        verdict(receipt, "dkimVerdict", label), verdict(receipt, "dmarcVerdict", label));
  }

  private static Optional<Verdict> verdict(JsonNode receipt, String field, String label) {
    String status = SesEvents.text(receipt.path(field), "status");
    try {
      return Verdict.fromCode(status);
    } catch (ValidationException e) {
      LOG.warn("{}: receipt.{}.status '{}' is not an SES verdict, stored as not checked", label,
          field, status);
      return Optional.empty();
    }
  }

  static Translation translate(JsonNode root, int index, @Nullable S3Client s3,
      SesNotifications.VirusPolicy virusPolicy) {
    JsonNode receipt = root.path("receipt");
    JsonNode action = receipt.path("action");
    String sesId = SesEvents.text(root.path("mail"), "messageId");
    String label = "SES inbound " + (sesId == null ? "(no mail.messageId)" : sesId);
    String actionType = SesEvents.text(action, "type");
    if (actionType == null) {
      return Translation.ignore(label + ": receipt.action.type is missing");
    }
    List<EmailAddress> recipients = new ArrayList<>();
    for (JsonNode r : receipt.path("recipients")) {
      try {
        recipients.add(EmailAddress.of(r.asText()));
      } catch (ValidationException e) {
        LOG.warn("{}: receipt recipient left out: {}", label, e.getMessage());
      }
    }
    if (recipients.isEmpty()) {
      // Routing on the To/Cc headers instead would let a sender pick the inbox.
      return Translation.ignore(label + ": receipt.recipients names no envelope recipient");
    }
    ReceiptVerdicts verdicts = verdicts(receipt, label);
    if (virusPolicy == SesNotifications.VirusPolicy.DROP
        && verdicts.virus().filter(v -> v == Verdict.FAIL).isPresent()) {
      return Translation.ignore(label + " for " + recipients
          + ": dropped, SES's virus scan failed (virusPolicy DROP)");
    }
    InboundMail.Builder mail = InboundMail.builder().recipients(recipients).verdicts(verdicts);
    Instant at = SesEvents.time(receipt, "timestamp");
    if (at == null) {
      at = SesEvents.time(root.path("mail"), "timestamp");
    }
    if (at != null) {
      mail.receivedAt(at);
    }
    switch (actionType.toUpperCase(Locale.ROOT)) {
      case "S3": {
        String bucket = SesEvents.text(action, "bucketName");
        String key = SesEvents.text(action, "objectKey");
        if (bucket == null || key == null) {
          return Translation.ignore(label + ": S3 action without bucketName and objectKey");
        }
        String where = label + " at " + S3Errors.location(bucket, key);
        if (s3 == null) {
          return Translation.done(new SesNotificationOutcome.Retry(new ValidationException("s3",
              where + " needs an S3Client: call SesNotifications.builder().s3(client)")));
        }
        S3ObjectStream stream = new S3ObjectStream(s3, bucket, key);
        return new Translation(new Inbound(index, mail.raw(stream).build(), stream, where), null);
      }
      case "SNS": {
        String content = SesEvents.text(root, "content");
        if (content == null) {
          return Translation.ignore(label + ": SNS action without content");
        }
        String encoding = SesEvents.text(action, "encoding");
        byte[] raw;
        if (encoding != null && encoding.equalsIgnoreCase("BASE64")) {
          try {
            // strict: the MIME decoder would skip what is not base64 and store the rest as mail
            raw = Base64.getDecoder().decode(WHITESPACE.matcher(content).replaceAll(""));
          } catch (IllegalArgumentException e) {
            return Translation.ignore(label + ": content is not base64: " + e.getMessage());
          }
        } else {
          // UTF8, or no encoding at all (AWS's own example has none): UTF-8 is SES's default
          raw = content.getBytes(StandardCharsets.UTF_8);
        }
        return new Translation(new Inbound(index, mail.raw(raw).build(), null, label), null);
      }
      default:
        return Translation.ignore(label + ": a receipt action of type " + actionType
            + " carries no mail (only S3 and SNS actions do)");
    }
  }
}
