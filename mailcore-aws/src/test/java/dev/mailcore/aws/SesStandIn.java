package dev.mailcore.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * A stand-in for the SES v2 API on 127.0.0.1, for the real SDK client: it checks each request
 * (path, method, SigV4 authorization for service {@code ses}, JSON body, the raw MIME a send
 * carries) and answers with SES v2's documented response and error shapes (HTTP status,
 * {@code x-amzn-ErrorType} header, JSON {@code message}). Scripted like MockWebServer:
 * {@link #failNext}, {@link #failAll}, {@link #hang}; recorded: {@link #sends()}. A request it
 * does not expect is answered 400 and recorded in {@link #problems()}, which tests assert empty.
 * Implemented operations: SendEmail, CreateEmailIdentity, GetEmailIdentity,
 * PutEmailIdentityMailFromAttributes, DeleteEmailIdentity. Thread-safe.
 */
final class SesStandIn implements BeforeEachCallback, AfterEachCallback {
  static final String ACCESS_KEY = "AKIDMAILCORETEST";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IDENTITY = Pattern.compile("/v2/email/identities/([^/]+)(/mail-from)?");
  private static final Pattern AUTH = Pattern.compile("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
      + "/\\d{8}/([a-z0-9-]+)/ses/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}");

  /** One SendEmail SES accepted. */
  record Send(String messageId, JsonNode body, byte[] raw, String region) {
    List<String> destination(String field) {
      List<String> out = new ArrayList<>();
      body.path("Destination").path(field).forEach(n -> out.add(n.asText()));
      return out;
    }

    /** The bytes as recipients get them: SES puts its own Message-ID in place of ours. */
    byte[] delivered() {
      String text = new String(raw, StandardCharsets.UTF_8);
      String domain = "us-east-1".equals(region) ? "email.amazonses.com" : region + ".amazonses.com";
      return text.replaceFirst("(?im)^Message-ID:[^\\r\\n]*", "Message-ID: <" + messageId + "@"
          + domain + ">").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A scripted error answer. */
  record Failure(int status, String type, String message) {}

  /** An identity as SES holds it. */
  static final class Identity {
    final List<String> tokens;
    volatile String dkimStatus = "PENDING";
    volatile String mailFromDomain;

    Identity(String name) {
      tokens = List.of(token(name, 1), token(name, 2), token(name, 3));
    }
  }

  private final List<Send> sends = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Failure> failAll = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
  private final Map<String, Identity> identities = new ConcurrentHashMap<>();
  private HttpServer server;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    release();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A real SDK client for this stand-in; the SDK's own retries are off so each call is seen. */
  SesV2Client client(String region) {
    return SesV2Client.builder().region(Region.of(region)).endpointOverride(endpoint())
        .credentialsProvider(credentials())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "secret"));
  }

  void failNext(int status, String type, String message) {
    failures.add(new Failure(status, type, message));
  }

  void failAll(int status, String type, String message) {
    failAll.set(new Failure(status, type, message));
  }

  void recover() {
    failAll.set(null);
    failures.clear();
  }

  /** Holds every request unanswered until {@link #release()}: a provider that stopped answering. */
  void hang() {
    hang.set(new CountDownLatch(1));
  }

  void release() {
    CountDownLatch l = hang.getAndSet(null);
    if (l != null) {
      l.countDown();
    }
  }

  List<Send> sends() {
    return List.copyOf(sends);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** Every request as {@code "METHOD /path"}, in order. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  Map<String, Identity> identities() {
    return identities;
  }

  List<byte[]> deliveredTo(String recipient) {
    return sends.stream().filter(s -> s.destination("ToAddresses").contains(recipient)
        || s.destination("CcAddresses").contains(recipient)
        || s.destination("BccAddresses").contains(recipient)).map(Send::delivered).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      calls.add(method + " " + path);
      CountDownLatch l = hang.get();
      if (l != null) {
        try {
          l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Matcher a = auth == null ? null : AUTH.matcher(auth);
      if (a == null || !a.matches()) {
        problem(ex, "unsigned or badly signed request: " + auth);
        return;
      }
      Failure f = failures.poll();
      if (f == null) {
        f = failAll.get();
      }
      if (f != null) {
        error(ex, f.status(), f.type(), f.message());
        return;
      }
      JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      Matcher id = IDENTITY.matcher(path);
      if (method.equals("POST") && path.equals("/v2/email/outbound-emails")) {
        sendEmail(ex, json, a.group(1));
      } else if (method.equals("POST") && path.equals("/v2/email/identities")) {
        createIdentity(ex, json);
      } else if (id.matches()) {
        String name = URLDecoder.decode(id.group(1), StandardCharsets.UTF_8);
        identity(ex, method, name, id.group(2) != null, json);
      } else {
        problem(ex, "unexpected " + method + " " + path);
      }
    }
  }

  private void sendEmail(HttpExchange ex, JsonNode json, String region) throws IOException {
    String from = json.path("FromEmailAddress").asText("");
    String data = json.path("Content").path("Raw").path("Data").asText("");
    if (from.isEmpty() || data.isEmpty() || json.path("Content").has("Simple")) {
      problem(ex, "SendEmail without FromEmailAddress or Raw content: " + json);
      return;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      problem(ex, "Raw.Data is not base64");
      return;
    }
    int recipients = 0;
    for (String f : List.of("ToAddresses", "CcAddresses", "BccAddresses")) {
      recipients += json.path("Destination").path(f).size();
    }
    if (recipients == 0 || recipients > 50) {
      error(ex, 400, "BadRequestException", "Destination must name 1 to 50 recipients");
      return;
    }
    String messageId = "010201" + UUID.randomUUID().toString().replace("-", "") + "-000000";
    sends.add(new Send(messageId, json, raw, region));
    ObjectNode out = JSON.createObjectNode().put("MessageId", messageId);
    answer(ex, 200, out);
  }

  private void createIdentity(HttpExchange ex, JsonNode json) throws IOException {
    String name = json.path("EmailIdentity").asText("");
    if (name.isEmpty() || json.has("DkimSigningAttributes")) {
      problem(ex, "CreateEmailIdentity must name the identity and use Easy DKIM: " + json);
      return;
    }
    Identity fresh = new Identity(name);
    if (identities.putIfAbsent(name, fresh) != null) {
      error(ex, 400, "AlreadyExistsException", "Email identity " + name + " already exist.");
      return;
    }
    ObjectNode out = JSON.createObjectNode().put("IdentityType", "DOMAIN")
        .put("VerifiedForSendingStatus", false);
    out.set("DkimAttributes", dkim(fresh));
    answer(ex, 200, out);
  }

  private void identity(HttpExchange ex, String method, String name, boolean mailFrom,
      JsonNode json) throws IOException {
    Identity i = identities.get(name);
    if (i == null) {
      error(ex, 404, "NotFoundException", "Email identity " + name + " does not exist.");
      return;
    }
    if (mailFrom && method.equals("PUT")) {
      String domain = json.path("MailFromDomain").asText(null);
      if (domain != null && !domain.endsWith("." + name)) {
        error(ex, 400, "BadRequestException", "MAIL FROM domain " + domain
            + " is not a subdomain of " + name);
        return;
      }
      i.mailFromDomain = domain;
      answer(ex, 200, JSON.createObjectNode());
    } else if (!mailFrom && method.equals("GET")) {
      boolean ok = i.dkimStatus.equals("SUCCESS");
      ObjectNode out = JSON.createObjectNode().put("IdentityType", "DOMAIN")
          .put("FeedbackForwardingStatus", true).put("VerifiedForSendingStatus", ok)
          .put("VerificationStatus", ok ? "SUCCESS" : "PENDING");
      out.set("DkimAttributes", dkim(i));
      if (i.mailFromDomain != null) {
        out.putObject("MailFromAttributes").put("MailFromDomain", i.mailFromDomain)
            .put("MailFromDomainStatus", "PENDING")
            .put("BehaviorOnMxFailure", "USE_DEFAULT_VALUE");
      }
      answer(ex, 200, out);
    } else if (!mailFrom && method.equals("DELETE")) {
      identities.remove(name);
      answer(ex, 200, JSON.createObjectNode());
    } else {
      problem(ex, "unexpected " + method + " on identity " + name);
    }
  }

  private static ObjectNode dkim(Identity i) {
    ObjectNode d = JSON.createObjectNode().put("SigningEnabled", true).put("Status", i.dkimStatus)
        .put("SigningAttributesOrigin", "AWS_SES");
    ArrayNode tokens = d.putArray("Tokens");
    i.tokens.forEach(tokens::add);
    return d;
  }

  private void problem(HttpExchange ex, String what) throws IOException {
    problems.add(what);
    error(ex, 400, "BadRequestException", "stand-in: " + what);
  }

  /** SES v2's error shape: the type in x-amzn-ErrorType, the text in the JSON body. */
  private static void error(HttpExchange ex, int status, String type, String message)
      throws IOException {
    ex.getResponseHeaders().add("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/");
    ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    answer(ex, status, JSON.createObjectNode().put("message", message));
  }

  private static void answer(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (!ex.getResponseHeaders().containsKey("x-amzn-RequestId")) {
      ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String token(String domain, int n) {
    return UUID.nameUUIDFromBytes((domain + "#" + n).getBytes(StandardCharsets.UTF_8)).toString()
        .replace("-", "");
  }
}
