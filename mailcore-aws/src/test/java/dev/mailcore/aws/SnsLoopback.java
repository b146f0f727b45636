package dev.mailcore.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * Stands in for the SNS host on loopback: serves signing certificates and answers
 * {@code ConfirmSubscription}, records every request; {@link #httpClient()} is an SDK HTTP client
 * that sends {@code https://sns.<region>.amazonaws.com/...} to it and refuses every other URL, so
 * nothing leaves the machine. {@link #signer} makes SNS messages signed by a test key whose
 * self-signed certificate (CN and SAN {@code sns.amazonaws.com}, made by the JDK's keytool) this
 * server serves.
 */
final class SnsLoopback implements AutoCloseable {
  static final String REGION = "us-west-2";
  static final String SNS_HOST = "sns." + REGION + ".amazonaws.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** SNS writes timestamps with exactly three fraction digits. */
  private static final java.time.format.DateTimeFormatter SNS_TIME = java.time.format
      .DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<URI> requests = new CopyOnWriteArrayList<>();
  volatile int confirmStatus = 200;

  SnsLoopback() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestURI());
      byte[] body;
      int status;
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null && query.contains("Action=ConfirmSubscription")) {
        status = confirmStatus;
        body = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
      } else {
        body = files.get(exchange.getRequestURI().getPath());
        status = body == null ? 404 : 200;
        if (body == null) {
          body = new byte[0];
        }
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  /** Serves {@code bytes} at {@code https://sns.us-west-2.amazonaws.com<path>}. */
  void serve(String path, byte[] bytes) {
    files.put(path, bytes);
  }

  /** An SDK client that reaches this server for the SNS host and refuses everything else. */
  SdkHttpClient httpClient() {
    SdkHttpClient real = Apache5HttpClient.builder().build();
    int port = server.getAddress().getPort();
    return new SdkHttpClient() {
      @Override
      public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        URI uri = request.httpRequest().getUri();
        if (!"https".equals(uri.getScheme()) || !uri.getHost().endsWith(".amazonaws.com")
            || !uri.getHost().startsWith("sns.")) {
          throw new IllegalStateException("test client refuses " + uri);
        }
        requestedHosts.add(uri.getHost());
        URI local = URI.create("http://127.0.0.1:" + port + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        return real.prepareRequest(HttpExecuteRequest.builder()
            .request(SdkHttpRequest.builder().method(request.httpRequest().method()).uri(local)
                .build())
            .contentStreamProvider(request.contentStreamProvider().orElse(null)).build());
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  final List<String> requestedHosts = new CopyOnWriteArrayList<>();

  @Override
  public void close() {
    server.stop(0);
  }

  /** A key and certificate made with keytool, and messages signed with them. */
  static final class Signer {
    final PrivateKey key;
    final X509Certificate cert;

    Signer(PrivateKey key, X509Certificate cert) {
      this.key = key;
      this.cert = cert;
    }

    /** The certificate in the PEM layout SNS serves. */
    byte[] pem() throws Exception {
      String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(cert.getEncoded());
      return ("-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    ObjectNode notification(String topicArn, String message, Instant timestamp, String certUrl,
        int version) throws Exception {
      ObjectNode n = JSON.createObjectNode();
      n.put("Type", "Notification");
      n.put("MessageId", UUID.randomUUID().toString());
      n.put("TopicArn", topicArn);
      n.put("Message", message);
      n.put("Timestamp", SNS_TIME.format(timestamp));
      n.put("SignatureVersion", Integer.toString(version));
      n.put("SigningCertURL", certUrl);
      n.put("UnsubscribeURL", "https://" + SNS_HOST + "/?Action=Unsubscribe&SubscriptionArn="
          + topicArn + ":1");
      return sign(n);
    }

    ObjectNode confirmation(String topicArn, String subscribeUrl, Instant timestamp,
        String certUrl) throws Exception {
      ObjectNode n = JSON.createObjectNode();
      n.put("Type", "SubscriptionConfirmation");
      n.put("MessageId", UUID.randomUUID().toString());
      n.put("Token", "token123");
      n.put("TopicArn", topicArn);
      n.put("Message", "You have chosen to subscribe to the topic " + topicArn);
      n.put("SubscribeURL", subscribeUrl);
      n.put("Timestamp", SNS_TIME.format(timestamp));
      n.put("SignatureVersion", "2");
      n.put("SigningCertURL", certUrl);
      return sign(n);
    }

    /** (Re)computes the signature over the SNS string to sign for the node's type. */
    ObjectNode sign(ObjectNode n) throws Exception {
      List<String> fields = n.get("Type").asText().equals("Notification")
          ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
          : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn",
              "Type");
      StringBuilder toSign = new StringBuilder();
      for (String f : fields) {
        if (n.hasNonNull(f)) {
          toSign.append(f).append('\n').append(n.get(f).asText()).append('\n');
        }
      }
      Signature s = Signature.getInstance(
          "1".equals(n.get("SignatureVersion").asText()) ? "SHA1withRSA" : "SHA256withRSA");
      s.initSign(key);
      s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
      n.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
      return n;
    }
  }

  /** Makes a fresh RSA key and self-signed certificate for {@code cn} with the JDK's keytool. */
  static Signer signer(Path dir, String cn) throws Exception {
    Path store = dir.resolve(UUID.randomUUID() + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "sns", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=" + cn, "-ext", "SAN=dns:" + cn, "-validity", "30",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    return new Signer((PrivateKey) ks.getKey("sns", "changeit".toCharArray()),
        (X509Certificate) ks.getCertificate("sns"));
  }
}
