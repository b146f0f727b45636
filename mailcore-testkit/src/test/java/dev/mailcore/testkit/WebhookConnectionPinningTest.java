package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.mailcore.Domain;
import dev.mailcore.HostResolver;
import dev.mailcore.InboundMail;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.WebhookDelivery;
import dev.mailcore.WebhookDeliveryFilter;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookRegistration;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSRF guard's address is the one connected to (ADR 0015), over real HTTP and HTTPS on
 * loopback. Endpoint names live under {@code .test} (RFC 6761), which the system resolver never
 * answers: a delivery that arrives went to the address the test resolver handed to the guard.
 * This module's tests run with {@code -Djdk.httpclient.allowRestrictedHeaders=host} (see its
 * pom), the JVM setting that makes mailcore pin connections.
 */
class WebhookConnectionPinningTest {
  private static final String ORG = "org_pin";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<AutoCloseable> open = new ArrayList<>();
  private MailCore mail;

  @TempDir
  Path dir;

  @BeforeAll
  static void pinningIsOn() {
    // without the flag java.net.http would look the .test names up in the system DNS
    assertThat(System.getProperty("jdk.httpclient.allowRestrictedHeaders", ""))
        .as("mailcore-testkit's surefire configuration sets"
            + " jdk.httpclient.allowRestrictedHeaders=host").contains("host");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void httpEndpointByName_isPostedToTheCheckedAddress_withItsOwnHostHeader() {
    WebhookReceiver receiver = WebhookReceiver.start();
    open.add(receiver);
    int port = port(receiver);
    start(fixed(Map.of("hooks.pinned.test", LOOPBACK)), null);
    WebhookRegistration r = register("http://hooks.pinned.test:" + port + "/webhooks");
    receiver.secrets(r.secret());

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(w.verified()).isTrue();
    assertThat(w.header("host")).contains("hooks.pinned.test:" + port);
  }

  @Test
  void nameThatRebindsToAPrivateAddressAfterRegistration_isRefusedAtSendTime() {
    WebhookReceiver receiver = WebhookReceiver.start();
    open.add(receiver);
    AtomicInteger lookups = new AtomicInteger();
    start(host -> List.of(lookups.getAndIncrement() == 0 ? LOOPBACK
        : InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})), null);
    WebhookRegistration r = register("http://rebind.pinned.test:" + port(receiver) + "/webhooks");

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(receiver.requestCount()).isZero();
    assertThat(deliveries(r)).singleElement().satisfies(d ->
        assertThat(d.lastError()).get().asString().contains("10.0.0.7")
            .contains("a private address"));
  }

  @Test
  void httpsEndpointByName_isPostedToTheCheckedAddress_withSniHostAndCertificateOfThatName()
      throws Exception {
    KeyStore keys = selfSigned("secure.pinned.test");
    Https server = https(keys);
    start(fixed(Map.of("secure.pinned.test", LOOPBACK)), trusting(keys));
    WebhookRegistration r = register("https://secure.pinned.test:" + server.port() + "/hook");

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(server.requests).singleElement().satisfies(req -> {
      assertThat(req.host()).isEqualTo("secure.pinned.test:" + server.port());
      assertThat(req.sni()).containsExactly("secure.pinned.test");
    });
    assertThat(deliveries(r)).extracting(d -> d.status().name()).containsExactly("DELIVERED");
  }

  @Test
  void httpsEndpointWhoseCertificateNamesAnotherHost_isNotPosted() throws Exception {
    KeyStore keys = selfSigned("other.pinned.test");
    Https server = https(keys);
    start(fixed(Map.of("secure.pinned.test", LOOPBACK)), trusting(keys));
    WebhookRegistration r = register("https://secure.pinned.test:" + server.port() + "/hook");

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(server.requests).isEmpty();
    assertThat(deliveries(r)).singleElement().satisfies(d -> {
      assertThat(d.status().name()).isEqualTo("PENDING");
      assertThat(d.lastError()).get().asString().containsIgnoringCase("SSL");
    });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void start(HostResolver resolver, SSLContext tls) {
    WebhookSettings.Builder s = WebhookSettings.builder().allowLoopback(true).jitter(0)
        .resolver(resolver).connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(20));
    if (tls != null) {
      s.sslContext(tls);
    }
    InMemoryMailStore store = new InMemoryMailStore();
    mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore())
        .webhooks(s.build()).build();
    open.add(store);
    open.add(mail);
    Domain d = mail.domains().create(ORG, "pin.test");
    mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  private WebhookRegistration register(String url) {
    return mail.webhooks().register(ORG, WebhookSpec.of(url, WebhookEventType.MESSAGE_RECEIVED));
  }

  private void receive() {
    mail.mailboxes().receive(InboundMail.of(TestEmail.builder().to("support@pin.test")
        .subject("Pinned").build().getBytes(StandardCharsets.UTF_8)));
  }

  private List<WebhookDelivery> deliveries(WebhookRegistration r) {
    return mail.webhooks().deliveries(r.endpoint().id(), WebhookDeliveryFilter.all(),
        PageRequest.first()).items();
  }

  private static int port(WebhookReceiver receiver) {
    String url = receiver.url();
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.indexOf('/', 8)));
  }

  /** Answers the given names only, like a DNS server that knows nothing else. */
  private static HostResolver fixed(Map<String, InetAddress> names) {
    return host -> {
      InetAddress a = names.get(host);
      if (a == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByAddress(host, a.getAddress()));
    };
  }

  /** A key pair and self-signed certificate whose only name is {@code name} (keytool). */
  private KeyStore selfSigned(String name) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias",
        "hook", "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool: %s", out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, "changeit".toCharArray());
    }
    return ks;
  }

  private static SSLContext trusting(KeyStore keys) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }

  private record Seen(String host, List<String> sni) {}

  /** An HTTPS server on loopback that records each request's Host header and SNI. */
  private static final class Https implements AutoCloseable {
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final HttpsServer server;

    Https(HttpsServer server) {
      this.server = server;
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private Https https(KeyStore keys) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 16);
    s.setHttpsConfigurator(new HttpsConfigurator(c));
    Https h = new Https(s);
    s.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      List<String> sni = new ArrayList<>();
      if (((HttpsExchange) ex).getSSLSession() instanceof ExtendedSSLSession x) {
        for (SNIServerName n : x.getRequestedServerNames()) {
          if (n instanceof SNIHostName hn) {
            sni.add(hn.getAsciiName());
          }
        }
      }
      h.requests.add(new Seen(ex.getRequestHeaders().getFirst("Host"), sni));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    s.start();
    open.add(h);
    return h;
  }
}
