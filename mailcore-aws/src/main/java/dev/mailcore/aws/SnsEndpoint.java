package dev.mailcore.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.messagemanager.sns.SnsMessageManager;
import software.amazon.awssdk.messagemanager.sns.model.SnsMessage;
import software.amazon.awssdk.messagemanager.sns.model.SnsNotification;
import software.amazon.awssdk.messagemanager.sns.model.SnsSubscriptionConfirmation;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * The handler behind a host's SNS HTTP(S) subscription URL: it takes the request headers and
 * body, trusts nothing until the SNS signature checks, and hands SES notifications to
 * {@link SesNotifications}.
 *
 * <pre>{@code
 * SnsEndpoint sns = SnsEndpoint.builder()
 *     .notifications(SesNotifications.builder().mailCore(mail).build())
 *     .allowTopic("arn:aws:sns:eu-west-1:123456789012:mailcore-events")   // repeatable
 *     .build();
 * // in the host's POST handler:
 * SnsEndpointResult result = sns.handle(requestHeaders, requestBody);
 * response.setStatus(result.httpStatus());
 * }</pre>
 *
 * <p>Checks, in order, each failure answered with a {@link SnsEndpointResult.Rejected} and a
 * warning in the log: the body is SNS JSON under {@link Builder#maxBodyBytes} and agrees with
 * the {@code x-amz-sns-message-type} / {@code x-amz-sns-topic-arn} headers; the topic is one the
 * host allowed ({@link Builder#allowTopic}), so forged bounces never reach the suppression list;
 * {@code SigningCertURL} is {@code https://sns.<topic's region>.<partition domain>/...pem} (an
 * S3 bucket or any other host is refused before anything is fetched); the {@code Timestamp} is
 * within {@link Builder#maxAge} (replays of old messages are refused); then the AWS SDK's
 * {@code SnsMessageManager} fetches the certificate from that host (checking its common name and
 * validity) and verifies the signature, SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA).
 * A {@code SubscriptionConfirmation} is confirmed only after all that, and only by a GET on its
 * {@code SubscribeURL} when that URL is {@code ConfirmSubscription} for the same topic on the
 * same SNS host; an {@code UnsubscribeConfirmation} is logged and acknowledged, never acted on.
 * A notification whose {@code MessageId} was already processed within {@code maxAge} is
 * acknowledged without processing it again.
 *
 * <p>Thread-safe: one instance serves every request thread. {@link #close()} closes the HTTP
 * client it built itself, never one passed to {@link Builder#httpClient}, and never the
 * {@code SesNotifications}.
 */
public final class SnsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnsEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOPIC_ARN =
      Pattern.compile("arn:aws[a-z-]*:sns:([a-z0-9-]+):\\d{12}:[A-Za-z0-9_.-]{1,256}");
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED_IDS = 100_000;

  private final Function<List<String>, List<SesNotificationOutcome>> handler;
  private final Set<String> topics;
  private final Duration maxAge;
  private final int maxBodyBytes;
  private final Clock clock;
  private final SdkHttpClient http;
  private final boolean ownsHttp;
  private final Function<Region, SnsMessageManager> managerFactory;
  private final Map<Region, SnsMessageManager> managers = new ConcurrentHashMap<>();
  private final Map<String, Instant> processed = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SnsEndpoint(Builder b) {
    if (b.handler == null) {
      throw new ValidationException("notifications", "SnsEndpoint.builder() has no notifications: call "
          + ".notifications(SesNotifications.builder().mailCore(mail).build())");
    }
    if (b.topics.isEmpty()) {
      throw new ValidationException("allowTopic", "SnsEndpoint.builder() allows no topic, so it would refuse"
          + " every message: call .allowTopic(\"arn:aws:sns:<region>:<account>:<topic>\")");
    }
    this.handler = b.handler;
    this.topics = Set.copyOf(b.topics);
    this.maxAge = b.maxAge;
    this.maxBodyBytes = b.maxBodyBytes;
    this.clock = b.clock;
    this.ownsHttp = b.http == null;
    this.http = b.http != null ? b.http : Apache5HttpClient.builder().build();
    this.managerFactory = b.managerFactory != null ? b.managerFactory
        : region -> SnsMessageManager.builder().region(region).httpClient(http).build();
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
   * Handles one request SNS sent to the host's URL.
   *
   * @param headers the request headers (names in any case); may be empty
   * @param body the request body as received, unchanged
   * @return the result, whose {@link SnsEndpointResult#httpStatus()} the host answers with
   * @throws IllegalStateException after {@link #close()}
   */
  public SnsEndpointResult handle(Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (closed.get()) {
      throw new IllegalStateException("SnsEndpoint is closed");
    }
    if (body.length > maxBodyBytes) {
      return reject(413, "body of " + body.length + " bytes is over maxBodyBytes "
          + maxBodyBytes, null, null);
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return reject(400, "body is not JSON", null, null);
    }
    if (json == null || !json.isObject()) {
      return reject(400, "body is not a JSON object", null, null);
    }
    String type = text(json, "Type");
    String messageId = text(json, "MessageId");
    String topicArn = text(json, "TopicArn");
    String timestamp = text(json, "Timestamp");
    String certUrl = text(json, "SigningCertURL");
    if (type == null || messageId == null || topicArn == null || timestamp == null
        || certUrl == null) {
      return reject(400, "not an SNS message: Type, MessageId, TopicArn, Timestamp and"
          + " SigningCertURL are required", messageId, topicArn);
    }
    String headerType = header(headers, "x-amz-sns-message-type");
    String headerTopic = header(headers, "x-amz-sns-topic-arn");
    if ((headerType != null && !headerType.equals(type))
        || (headerTopic != null && !headerTopic.equals(topicArn))) {
      return reject(400, "x-amz-sns-message-type/x-amz-sns-topic-arn headers disagree with the"
          + " body", messageId, topicArn);
    }
    if (!topics.contains(topicArn)) {
      return reject(403, "topic " + topicArn + " is not allowed (SnsEndpoint.Builder.allowTopic)",
          messageId, topicArn);
    }
    var arn = TOPIC_ARN.matcher(topicArn);
    if (!arn.matches()) {
      return reject(400, "TopicArn " + topicArn + " is not an SNS topic ARN", messageId, topicArn);
    }
    Region region = Region.of(arn.group(1));
    String snsHost = snsHost(region);
    if (!onSnsHost(certUrl, snsHost) || !certUrl.endsWith(".pem")) {
      return reject(403, "SigningCertURL " + certUrl + " is not on " + snsHost, messageId,
          topicArn);
    }
    Instant sent;
    try {
      sent = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return reject(400, "Timestamp " + timestamp + " is not ISO-8601", messageId, topicArn);
    }
    Instant now = clock.instant();
    if (sent.isBefore(now.minus(maxAge))) {
      return reject(403, "message of " + sent + " is older than maxAge " + maxAge
          + " (a replay?)", messageId, topicArn);
    }
    if (sent.isAfter(now.plus(CLOCK_SKEW))) {
      return reject(403, "message of " + sent + " is dated in the future", messageId, topicArn);
    }

    SnsMessage verified;
    try {
      verified = manager(region).parseMessage(new String(body, StandardCharsets.UTF_8));
    } catch (SdkException e) {
      if (isFetchFailure(e)) {
        LOG.warn("SNS message {} from {}: signing certificate unavailable, SNS will retry: {}",
            messageId, topicArn, e.getMessage());
        return new SnsEndpointResult.Failed("signing certificate unavailable: " + e.getMessage());
      }
      return reject(403, "signature does not verify: " + e.getMessage(), messageId, topicArn);
    }
    if (!messageId.equals(verified.messageId()) || !topicArn.equals(verified.topicArn())) {
      return reject(403, "verified message differs from the body", messageId, topicArn);
    }
    if (verified instanceof SnsNotification) {
      return notification(verified);
    }
    if (verified instanceof SnsSubscriptionConfirmation confirmation) {
      return confirm(confirmation, snsHost);
    }
    LOG.warn("SNS {} for topic {} ({}): acknowledged, nothing done", type, topicArn, messageId);
    return new SnsEndpointResult.Acknowledged(messageId, type + " acknowledged");
  }

  private SnsEndpointResult notification(SnsMessage message) {
    String id = message.messageId();
    if (alreadyProcessed(id)) {
      LOG.info("SNS message {} from {} already processed: acknowledged again", id,
          message.topicArn());
      return new SnsEndpointResult.Acknowledged(id, "already processed");
    }
    List<SesNotificationOutcome> outcomes;
    try {
      outcomes = handler.apply(List.of(message.message()));
    } catch (RuntimeException e) {
      LOG.error("SNS message {} from {} failed, SNS will retry", id, message.topicArn(), e);
      return new SnsEndpointResult.Failed("processing failed: " + e);
    }
    if (outcomes.size() != 1) {
      throw new IllegalStateException("SesNotifications.process returned " + outcomes.size()
          + " outcomes for 1 message");
    }
    SesNotificationOutcome outcome = outcomes.get(0);
    if (outcome.acknowledge()) {
      remember(id);
    }
    if (outcome instanceof SesNotificationOutcome.Retry retry) {
      LOG.warn("SNS message {} from {} failed, SNS will retry: {}", id, message.topicArn(),
          retry.cause().getMessage());
    } else if (outcome instanceof SesNotificationOutcome.Ignored ignored) {
      LOG.info("SNS message {} from {} ignored: {}", id, message.topicArn(), ignored.reason());
    }
    return new SnsEndpointResult.Processed(id, outcome);
  }

  private SnsEndpointResult confirm(SnsSubscriptionConfirmation message, String snsHost) {
    String id = message.messageId();
    URI url = message.subscribeUrl();
    if (url == null || !onSnsHost(url.toString(), snsHost)
        || !"ConfirmSubscription".equals(query(url, "Action"))
        || !message.topicArn().equals(query(url, "TopicArn"))) {
      return reject(403, "SubscribeURL " + url + " is not ConfirmSubscription for this topic on "
          + snsHost, id, message.topicArn());
    }
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build();
    try {
      HttpExecuteResponse response =
          http.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
      Optional<? extends InputStream> stream = response.responseBody();
      if (stream.isPresent()) {
        stream.get().close();
      }
      int status = response.httpResponse().statusCode();
      if (!response.httpResponse().isSuccessful()) {
        LOG.warn("Confirming the subscription to {} answered HTTP {}; SNS will resend",
            message.topicArn(), status);
        return new SnsEndpointResult.Failed("SubscribeURL answered HTTP " + status);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Confirming the subscription to {} failed; SNS will resend: {}",
          message.topicArn(), e.toString());
      return new SnsEndpointResult.Failed("SubscribeURL failed: " + e);
    }
    LOG.info("Confirmed the SNS subscription to {}", message.topicArn());
    return new SnsEndpointResult.Acknowledged(id, "subscription to " + message.topicArn()
        + " confirmed");
  }

  private SnsMessageManager manager(Region region) {
    return managers.computeIfAbsent(region, managerFactory);
  }

  private boolean alreadyProcessed(String id) {
    synchronized (processed) {
      Instant oldest = clock.instant().minus(maxAge).minus(CLOCK_SKEW);
      Iterator<Instant> it = processed.values().iterator();
      while (it.hasNext() && (it.next().isBefore(oldest) || processed.size() > MAX_REMEMBERED_IDS)) {
        it.remove();
      }
      return processed.containsKey(id);
    }
  }

  private void remember(String id) {
    synchronized (processed) {
      processed.put(id, clock.instant());
    }
  }

  /** {@code sns.<region>.<partition DNS suffix>}: where SNS serves certificates and confirms. */
  static String snsHost(Region region) {
    return "sns." + region.id() + "." + PartitionMetadata.of(region).dnsSuffix();
  }

  private static boolean onSnsHost(String url, String snsHost) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return false;
    }
    return "https".equals(uri.getScheme()) && snsHost.equals(uri.getHost())
        && uri.getRawUserInfo() == null && (uri.getPort() == -1 || uri.getPort() == 443)
        && uri.getRawFragment() == null;
  }

  private static @Nullable String query(URI url, String name) {
    String raw = url.getRawQuery();
    if (raw == null) {
      return null;
    }
    String found = null;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        if (found != null) {
          return null; // a repeated parameter is not a URL SNS wrote
        }
        found = java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1),
            StandardCharsets.UTF_8);
      }
    }
    return found;
  }

  private static boolean isFetchFailure(Throwable e) {
    // the SDK's CertificateRetriever words: the SNS host did not answer or answered an error
    // (SNS should retry), as opposed to a certificate or signature that does not check (refuse)
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.startsWith("Request was unsuccessful")
          || m.startsWith("Unexpected error while retrieving URL"))) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static @Nullable String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)
          && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static SnsEndpointResult reject(int status, String reason, @Nullable String messageId,
      @Nullable String topicArn) {
    LOG.warn("SNS message {} (topic {}) rejected with HTTP {}: {}", messageId, topicArn, status,
        reason);
    return new SnsEndpointResult.Rejected(status, reason);
  }

  /**
   * Closes the SNS certificate machinery and the HTTP client this endpoint built; idempotent.
   * Neither a client passed to {@link Builder#httpClient} nor the {@code SesNotifications} is
   * closed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    managers.values().forEach(SnsMessageManager::close);
    if (ownsHttp) {
      http.close();
    }
  }

  /** Options for {@link SnsEndpoint}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Function<List<String>, List<SesNotificationOutcome>> handler;
    private final Set<String> topics = new LinkedHashSet<>();
    private Duration maxAge = Duration.ofHours(1);
    private int maxBodyBytes = 512 * 1024;
    private Clock clock = Clock.systemUTC();
    private @Nullable SdkHttpClient http;
    private @Nullable Function<Region, SnsMessageManager> managerFactory;

    private Builder() {}

    /**
     * Where verified SES notifications go (required; not closed by the endpoint).
     *
     * @param notifications the processor
     * @return this builder
     */
    public Builder notifications(SesNotifications notifications) {
      Objects.requireNonNull(notifications, "notifications");
      this.handler = notifications::process;
      return this;
    }

    /** Tests of the transport: any handler in place of {@link SesNotifications}. */
    Builder handler(Function<List<String>, List<SesNotificationOutcome>> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Allows messages from one SNS topic (at least one is required); repeatable. Messages from
     * any other topic are refused before their certificate is fetched.
     *
     * @param topicArn e.g. {@code arn:aws:sns:eu-west-1:123456789012:mailcore-events}
     * @return this builder
     * @throws ValidationException if it is not an SNS topic ARN
     */
    public Builder allowTopic(String topicArn) {
      Objects.requireNonNull(topicArn, "topicArn");
      if (!TOPIC_ARN.matcher(topicArn).matches()) {
        throw new ValidationException("topicArn", "allowTopic(\"" + topicArn + "\"): not an SNS topic ARN,"
            + " expected arn:aws:sns:<region>:<12-digit account>:<topic name>");
      }
      topics.add(topicArn);
      return this;
    }

    /**
     * How old a message may be (its signed {@code Timestamp}) and how long processed
     * {@code MessageId}s are remembered to acknowledge redeliveries without processing them
     * again; default 1 hour. SNS retries within its delivery policy, so this must exceed the
     * policy's total retry time.
     *
     * @param maxAge a positive duration
     * @return this builder
     * @throws ValidationException if not positive
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new ValidationException("maxAge", "maxAge(" + maxAge + "): must be positive");
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * The largest body accepted (SNS messages are at most 256 KB of payload); default 512 KB.
     *
     * @param maxBodyBytes a positive size
     * @return this builder
     * @throws ValidationException if not positive
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0) {
        throw new ValidationException("maxBodyBytes", "maxBodyBytes(" + maxBodyBytes + "): must be positive");
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * The HTTP client used to fetch signing certificates from the SNS host and to call
     * {@code SubscribeURL} (optional; yours, never closed by the endpoint). By default the
     * endpoint builds an Apache 5 SDK client and closes it in {@link SnsEndpoint#close()}.
     * Whatever the client, only {@code https://sns.<region>.<partition domain>/} URLs are
     * requested.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(SdkHttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Tests: the clock the message age is judged by. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Tests: how the SDK's message manager is built per region. */
    Builder messageManagers(Function<Region, SnsMessageManager> factory) {
      this.managerFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @return the endpoint
     * @throws ValidationException if no notifications processor or no topic was set
     */
    public SnsEndpoint build() {
      return new SnsEndpoint(this);
    }
  }
}
