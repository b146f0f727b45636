package dev.mailcore.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.DeliveryEvent;
import dev.mailcore.MailCore;
import dev.mailcore.MailCoreException;
import dev.mailcore.Mailboxes;
import dev.mailcore.NotFoundException;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns the JSON SES publishes through SNS (the SNS {@code Message} string: event publishing
 * {@code eventType}, notifications {@code notificationType}, and {@code Received} inbound mail)
 * into calls on a {@link MailCore}. The transport-independent core of {@code SnsEndpoint} and
 * {@code SqsIntake}; hosts with their own transport (AWS Lambda) call it directly. It trusts its
 * input: verify the SNS signature and topic before (the SNS endpoint and SQS intake do).
 *
 * <pre>{@code
 * SesNotifications ses = SesNotifications.builder()
 *     .mailCore(mail)
 *     .s3(s3)                               // for receipt rules with an S3 action
 *     .build();
 * for (SesNotificationOutcome o : ses.process(messages)) {
 *   if (o.acknowledge()) { ... delete it from the queue / answer 2xx ... }
 * }
 * }</pre>
 *
 * <p><b>Sending events</b> (Send, Delivery, Bounce, Complaint, Reject, DeliveryDelay,
 * Rendering Failure, in either JSON form) become {@link DeliveryEvent}s recorded with
 * {@code mail.deliveries().record(...)}, naming the message by {@code mail.messageId} (the SES
 * message id mailcore stored when it sent the message); the engine moves the status forward and
 * suppresses permanently bounced and complaining recipients. A Bounce becomes one event per
 * bounced recipient, so each keeps its own diagnostic code. Open, Click, Subscription and any
 * other type, events about messages mailcore did not send (or no longer has), and exact repeats
 * are {@linkplain SesNotificationOutcome.Ignored ignored} and logged.
 *
 * <p><b>Inbound mail</b> ({@code Received}): the raw message comes from S3 (an S3 action: read
 * with the {@link Builder#s3 S3Client}, streamed, never held whole on the heap) or inline (an
 * SNS action, {@code BASE64} or {@code UTF8}; no encoding means UTF-8). It is received for the
 * receipt's envelope recipients ({@code receipt.recipients}; never the To and Cc headers, which
 * can name anyone), all inbound mail of one {@link #process} call in as few
 * {@link Mailboxes#receiveAll} calls as possible. Receiving the same notification again stores
 * nothing twice (an inbox holds a Message-ID once). The receipt's spam, virus, SPF, DKIM and
 * DMARC verdicts are stored with the message ({@link dev.mailcore.EmailMessage#verdicts()});
 * mail whose virus scan failed is dropped unless {@link Builder#virusPolicy} says to flag it.
 * The {@code ses} object of an AWS Lambda SES event record (a receipt without
 * {@code notificationType}) is taken as a {@code Received} notification.
 *
 * <p><b>Outcomes.</b> Nothing a notification contains makes {@link #process} throw: JSON that
 * does not parse, or lacks what it needs, is ignored (it never gets better). A failure that
 * may pass (the database, S3 throttling or 5xx, S3 access denied while IAM is being fixed) is
 * {@link SesNotificationOutcome.Retry}. An S3 object that does not exist is ignored: SES writes
 * it before it notifies and S3 reads are strongly consistent, so a missing object was deleted
 * (or never belonged to this notification) and no retry brings it back (ADR 0018).
 *
 * <p>Thread-safe: one instance serves any number of threads. It closes neither the
 * {@link MailCore} nor the {@link S3Client}; they stay the host's.
 */
public final class SesNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(SesNotifications.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to do with inbound mail whose virus verdict is {@code FAIL}. */
  public enum VirusPolicy {
    /** Don't store it: the notification is logged and ignored (the default). */
    DROP,
    /** Store it like any other mail; its verdicts say it failed the virus scan. */
    FLAG
  }

  private final MailCore mail;
  private final @Nullable S3Client s3;
  private final VirusPolicy virusPolicy;

  private SesNotifications(Builder b) {
    this.mail = Objects.requireNonNull(b.mail,
        "mailCore (call SesNotifications.builder().mailCore(mail))");
    this.s3 = b.s3;
    this.virusPolicy = b.virusPolicy;
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Processes one SES notification; see {@link #process(List)}.
   *
   * @param sesMessage the SNS {@code Message} string (SES JSON)
   * @return its outcome
   */
  public SesNotificationOutcome process(String sesMessage) {
    return process(List.of(Objects.requireNonNull(sesMessage, "sesMessage"))).get(0);
  }

  /**
   * Processes SES notifications, inbound mail batched into as few {@code receiveAll} calls as
   * possible; one outcome per input, in input order. Never throws for a bad notification.
   *
   * @param sesMessages the SNS {@code Message} strings (SES JSON), at most 10 per call is typical
   * @return one outcome per input, in order
   * @throws NullPointerException if the list or one of its elements is null
   */
  public List<SesNotificationOutcome> process(List<String> sesMessages) {
    Objects.requireNonNull(sesMessages, "sesMessages");
    SesNotificationOutcome[] outcomes = new SesNotificationOutcome[sesMessages.size()];
    List<SesReceipts.Inbound> inbound = new ArrayList<>();
    for (int i = 0; i < sesMessages.size(); i++) {
      String json = Objects.requireNonNull(sesMessages.get(i), "sesMessages[" + i + "]");
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        outcomes[i] = ignored("not JSON: " + e.getOriginalMessage());
        continue;
      }
      if (root == null || !root.isObject()) {
        outcomes[i] = ignored("not a JSON object");
        continue;
      }
      Optional<String> type = SesEvents.type(root);
      if (type.isEmpty() && root.path("receipt").isObject() && root.path("mail").isObject()) {
        // the "ses" object of an AWS Lambda SES event record: a receipt without the type
        type = Optional.of("Received");
      }
      if (type.isEmpty()) {
        outcomes[i] = ignored("JSON without eventType or notificationType");
      } else if (type.get().equals("Received")) {
        SesReceipts.Translation t = SesReceipts.translate(root, i, s3, virusPolicy);
        if (t.inbound() != null) {
          inbound.add(t.inbound());
        } else {
          outcomes[i] = Objects.requireNonNull(t.outcome());
          log(outcomes[i]);
        }
      } else {
        outcomes[i] = record(type.get(), root);
      }
    }
    for (int from = 0; from < inbound.size(); from += Mailboxes.MAX_RECEIVE_BATCH) {
      receive(inbound.subList(from, Math.min(inbound.size(), from + Mailboxes.MAX_RECEIVE_BATCH)),
          outcomes);
    }
    return List.of(outcomes);
  }

  private SesNotificationOutcome record(String type, JsonNode root) {
    SesEvents.Translation t = SesEvents.translate(type, root);
    if (t.ignored() != null) {
      return ignored(t.ignored());
    }
    int recorded = 0;
    int repeats = 0;
    for (DeliveryEvent event : t.events()) {
      try {
        if (mail.deliveries().recordIfNew(event).isPresent()) {
          recorded++;
        } else {
          repeats++;
        }
      } catch (NotFoundException e) {
        // mailcore did not send it (another application on the account), or no longer has it
        LOG.debug("SES {} names no message mailcore sent: {}", type, e.getMessage());
      } catch (ValidationException e) {
        // the id names an inbound message, or the event contradicts what is stored: never fixed
        // by a redelivery
        return ignored("SES " + type + " for " + event.sesMessageId().orElse("?") + ": "
            + e.getMessage());
      } catch (MailCoreException e) {
        // Storage failed; the events recorded so far are exact repeats next time and are not
        // stored twice.
        return retry(e);
      } catch (RuntimeException e) {
        return retry(new StorageException("recording SES " + type + " failed: " + e, true, e));
      }
    }
    String sesId = t.events().get(0).sesMessageId().orElse("?");
    if (recorded == 0 && repeats > 0) {
      return ignored("SES " + type + " of " + sesId + " is a repeat of what is recorded");
    }
    if (recorded == 0) {
      return ignored("SES " + type + " for a message mailcore did not send: " + sesId);
    }
    SesNotificationOutcome o = new SesNotificationOutcome.Accepted(kind(type),
        "SES " + type + " of " + sesId + ": " + recorded + " event(s) recorded"
        + (repeats > 0 ? ", " + repeats + " already were" : ""));
    log(o);
    return o;
  }

  private void receive(List<SesReceipts.Inbound> batch, SesNotificationOutcome[] outcomes) {
    List<ReceiveOutcome> results;
    try {
      results = mail.mailboxes().receiveAll(batch.stream().map(SesReceipts.Inbound::mail).toList());
    } catch (MailCoreException e) {
      for (SesReceipts.Inbound in : batch) {
        outcomes[in.index()] = retry(e);
      }
      return;
    } catch (RuntimeException e) {
      StorageException wrapped =
          new StorageException("receiving SES inbound mail failed: " + e, true, e);
      for (SesReceipts.Inbound in : batch) {
        outcomes[in.index()] = retry(wrapped);
      }
      return;
    } finally {
      for (SesReceipts.Inbound in : batch) {
        in.close();
      }
    }
    for (int k = 0; k < batch.size(); k++) {
      SesReceipts.Inbound in = batch.get(k);
      SesNotificationOutcome o = outcome(in, results.get(k));
      outcomes[in.index()] = o;
      log(o);
    }
  }

  private static SesNotificationOutcome outcome(SesReceipts.Inbound in, ReceiveOutcome result) {
    if (result instanceof ReceiveOutcome.Received received) {
      ReceiveResult r = received.result();
      long stored = r.deliveries().stream().filter(d -> !d.duplicate()).count();
      long duplicates = r.deliveries().size() - stored;
      String detail = in.label() + " Message-ID " + r.messageId() + ": stored in " + stored
          + " inbox(es)" + (duplicates > 0 ? ", already in " + duplicates : "")
          + (r.unknownRecipients().isEmpty() ? ""
              : ", no inbox for " + r.unknownRecipients());
      if (r.deliveries().isEmpty()) {
        return new SesNotificationOutcome.Ignored(detail + " (raw kept at "
            + r.rawStorageKey() + ")");
      }
      return new SesNotificationOutcome.Accepted("inbound", detail);
    }
    MailCoreException e = ((ReceiveOutcome.Failed) result).error();
    if (S3ObjectStream.missingObject(e)) {
      return new SesNotificationOutcome.Ignored(in.label() + ": the S3 object does not exist: "
          + e.getMessage());
    }
    if (e instanceof StorageException) {
      return new SesNotificationOutcome.Retry(e);
    }
    // too large, malformed (its raw bytes are stored and named), invalid: the same again
    return new SesNotificationOutcome.Ignored(in.label() + " not received: " + e.getMessage());
  }

  private static String kind(String type) {
    switch (type) {
      case "Send": return "send";
      case "Delivery": return "delivery";
      case "Bounce": return "bounce";
      case "Complaint": return "complaint";
      case "Reject": return "reject";
      case "DeliveryDelay": return "deliveryDelay";
      default: return "renderingFailure";
    }
  }

  private static SesNotificationOutcome ignored(String reason) {
    SesNotificationOutcome o = new SesNotificationOutcome.Ignored(reason);
    log(o);
    return o;
  }

  private static SesNotificationOutcome retry(MailCoreException e) {
    SesNotificationOutcome o = new SesNotificationOutcome.Retry(e);
    log(o);
    return o;
  }

  private static void log(SesNotificationOutcome o) {
    if (o instanceof SesNotificationOutcome.Accepted a) {
      LOG.debug("SES notification accepted: {}", a.detail());
    } else if (o instanceof SesNotificationOutcome.Ignored i) {
      LOG.info("SES notification ignored (acknowledged): {}", i.reason());
    } else if (o instanceof SesNotificationOutcome.Retry r) {
      LOG.warn("SES notification left for redelivery: {}", r.cause().getMessage());
    }
  }

  /** Options for {@link SesNotifications}. Not thread-safe. */
  public static final class Builder {
    private @Nullable MailCore mail;
    private @Nullable S3Client s3;
    private VirusPolicy virusPolicy = VirusPolicy.DROP;

    private Builder() {}

    /**
     * The mailcore instance events and mail go to (required; not closed by this).
     *
     * @param mail the instance
     * @return this builder
     */
    public Builder mailCore(MailCore mail) {
      this.mail = Objects.requireNonNull(mail, "mail");
      return this;
    }

    /**
     * The S3 client that reads inbound mail of receipt rules with an S3 action (required for
     * them; without it such a notification is left for redelivery, and logged, until the host
     * is configured). Needs {@code s3:GetObject} on the receipt bucket (and
     * {@code s3:ListBucket}, so that a missing object is reported as missing rather than as
     * access denied). Stays the host's: never closed by this.
     *
     * @param s3 the client
     * @return this builder
     */
    public Builder s3(S3Client s3) {
      this.s3 = Objects.requireNonNull(s3, "s3");
      return this;
    }

    /**
     * What to do with inbound mail SES's virus scan failed ({@code virusVerdict} {@code FAIL}):
     * {@link VirusPolicy#DROP} (the default: not stored, logged, acknowledged; with an S3
     * action the raw mail stays in the receipt bucket) or {@link VirusPolicy#FLAG} (stored, its
     * verdicts say so).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder virusPolicy(VirusPolicy policy) {
      this.virusPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Builds it.
     *
     * @return the processor
     * @throws NullPointerException if no {@link #mailCore} was given
     */
    public SesNotifications build() {
      return new SesNotifications(this);
    }
  }

  static void closeQuietly(java.io.InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing an S3 object stream failed", e);
    }
  }
}
