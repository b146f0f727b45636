package dev.mailcore.aws;

import dev.mailcore.DeliveryException;
import dev.mailcore.MessageId;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;

/**
 * A {@link MailTransport} that sends through Amazon SES with the v2 {@code SendEmail} call and
 * raw content: the bytes mailcore built, unchanged.
 *
 * <pre>{@code
 * MailTransport ses = SesTransport.builder()
 *     .client(sesV2Client)                 // yours: never closed by mailcore
 *     .configurationSet("mailcore-events") // optional: where SES publishes delivery events
 *     .tag("app", "support")               // optional message tags, repeatable
 *     .build();
 * }</pre>
 *
 * <p>The envelope: {@code FromEmailAddress} is the envelope sender (the domain's bounce address,
 * else the inbox address; it must belong to a verified SES identity), and {@code Destination}
 * lists every envelope recipient: those named in the To and Cc headers as To and Cc, the rest
 * (Bcc) as Bcc, which never appears in the bytes.
 *
 * <p>The result carries SES's {@code MessageId} as the provider id (SES events name it) and the
 * Message-ID recipients see: SES replaces every message's Message-ID with
 * {@code <ses-message-id@region.amazonses.com>} ({@code email.amazonses.com} in us-east-1), so
 * mailcore records that id as an alias of the sent message and replies naming it join the
 * thread (ADR 0012).
 *
 * <p>Failures become {@link DeliveryException}s whose message carries SES's error code, HTTP
 * status, request id and text: throttling ({@code TooManyRequestsException}, HTTP 429), quota
 * ({@code LimitExceededException}), 5xx answers, timeouts and broken connections are retryable;
 * {@code MessageRejected}, {@code MailFromDomainNotVerifiedException},
 * {@code AccountSuspendedException}, {@code SendingPausedException}, {@code NotFoundException},
 * {@code BadRequestException} and other refusals are permanent. The SDK client retries transient
 * failures itself first, with its own backoff.
 *
 * <p><b>Who closes the client:</b> a client passed to {@link Builder#client} belongs to the
 * caller and is never closed by this transport. A client built from {@link Builder#region},
 * {@link Builder#endpoint} and {@link Builder#credentials} is mailcore's, and
 * {@link #close()} closes it.
 *
 * <p>Thread-safe: one instance serves every thread (the SDK client is thread-safe).
 */
public final class SesTransport implements MailTransport {
  private static final Pattern TAG_PART = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private final SesV2Client client;
  private final boolean ownsClient;
  private final Optional<String> configurationSet;
  private final List<MessageTag> tags;
  private final String messageIdDomain;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SesTransport(Builder b) {
    SesClientSettings.Resolved resolved = b.resolve("SesTransport.builder()");
    this.client = resolved.client();
    this.ownsClient = resolved.owned();
    this.configurationSet = Optional.ofNullable(b.configurationSet);
    this.tags = List.copyOf(b.tags);
    this.messageIdDomain = messageIdDomain(resolved.region());
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The domain of the Message-IDs SES writes in a region.
   *
   * @param region the SES region
   * @return {@code email.amazonses.com} for us-east-1, else {@code <region>.amazonses.com}
   */
  static String messageIdDomain(Region region) {
    return Region.US_EAST_1.equals(region) ? "email.amazonses.com"
        : region.id() + ".amazonses.com";
  }

  /**
   * Sends the message with SES {@code SendEmail} (raw content).
   *
   * @param request the raw message and envelope
   * @return SES's MessageId, and the Message-ID SES gave the message
   *     ({@code <MessageId@region.amazonses.com>})
   * @throws DeliveryException if SES refused or could not be reached;
   *     {@link DeliveryException#retryable()} tells whether the same send may succeed later
   * @throws IllegalStateException if the transport is closed
   */
  @Override
  public TransportResult send(TransportRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed.get()) {
      throw new IllegalStateException("this SesTransport is closed; build a new one");
    }
    SendEmailRequest.Builder b = SendEmailRequest.builder()
        .fromEmailAddress(request.envelopeSender())
        .destination(destination(request))
        .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArrayUnsafe(request.rawMime()))));
    configurationSet.ifPresent(b::configurationSetName);
    if (!tags.isEmpty()) {
      b.emailTags(tags);
    }
    SendEmailResponse response;
    try {
      response = client.sendEmail(b.build());
    } catch (SdkException e) {
      throw SesErrors.translate("SendEmail of " + request.messageId(), e);
    }
    String id = response.messageId();
    if (id == null || id.isBlank()) {
      throw new DeliveryException("SES SendEmail of " + request.messageId() + " answered"
          + " without a MessageId; the message may have been sent, check the SES console", true,
          false, null);
    }
    return new TransportResult(id, Optional.of(new MessageId(id + "@" + messageIdDomain)));
  }

  /** Splits the envelope recipients by the To and Cc headers; the rest are Bcc. */
  private static Destination destination(TransportRequest request) {
    Set<String> toHeader = new HashSet<>();
    Set<String> ccHeader = new HashSet<>();
    try {
      InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(request.rawMime()));
      addresses(headers.getHeader("To", ","), toHeader);
      addresses(headers.getHeader("Cc", ","), ccHeader);
    } catch (MessagingException e) {
      // Unreadable headers: every recipient goes as Bcc, which delivers the same way.
    }
    List<String> to = new ArrayList<>();
    List<String> cc = new ArrayList<>();
    List<String> bcc = new ArrayList<>();
    for (String rcpt : request.recipients()) {
      String key = rcpt.toLowerCase(Locale.ROOT);
      (toHeader.contains(key) ? to : ccHeader.contains(key) ? cc : bcc).add(rcpt);
    }
    return Destination.builder().toAddresses(to).ccAddresses(cc).bccAddresses(bcc).build();
  }

  private static void addresses(String header, Set<String> into) throws MessagingException {
    if (header != null) {
      for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
        if (a.getAddress() != null) {
          into.add(a.getAddress().toLowerCase(Locale.ROOT));
        }
      }
    }
  }

  /**
   * Closes the SES client if this transport built it; a client passed to
   * {@link Builder#client} is left open. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  /**
   * Describes the transport without credentials.
   *
   * @return for example {@code SesTransport[email.amazonses.com, configurationSet=events]}
   */
  @Override
  public String toString() {
    return "SesTransport[" + messageIdDomain + ", configurationSet="
        + configurationSet.orElse("(none)") + "]";
  }

  /**
   * Configures a {@link SesTransport}: either {@link #client} or {@link #region} (with optional
   * {@link #endpoint}, {@link #credentials} and {@link #timeout}) is required. Not thread-safe.
   */
  public static final class Builder extends SesClientSettings<Builder> {
    private String configurationSet;
    private final List<MessageTag> tags = new ArrayList<>();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * The SES configuration set every message is sent with (where SES publishes its events).
     *
     * @param name the configuration set's name
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder configurationSet(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("configurationSet must not be blank");
      }
      this.configurationSet = name.strip();
      return this;
    }

    /**
     * Adds a message tag SES attaches to every message's events. Names and values are 1 to 256
     * ASCII letters, digits, {@code _} or {@code -}, as SES requires.
     *
     * @param name the tag name
     * @param value the tag value
     * @return this builder
     * @throws IllegalArgumentException if the name or value breaks SES's rule
     */
    public Builder tag(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      for (String part : List.of(name, value)) {
        if (!TAG_PART.matcher(part).matches()) {
          throw new IllegalArgumentException("SES message tag names and values must be 1 to"
              + " 256 of A-Z a-z 0-9 _ -, got '" + part + "'");
        }
      }
      tags.add(MessageTag.builder().name(name).value(value).build());
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return the transport
     * @throws IllegalStateException if neither or both of a client and a region were given
     */
    public SesTransport build() {
      return new SesTransport(this);
    }
  }
}
