package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.mailcore.Domain;
import dev.mailcore.HostResolver;
import dev.mailcore.InboundMail;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
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
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSRF guard's address is the one connected to (ADR 0015), over real HTTP and HTTPS on
 * loopback. Endpoint names live under {@code .test} (RFC 6761), which the system resolver never
 * answers: a delivery that arrives went to the address the test resolver handed to the guard.
 * This module's surefire runs this class twice: without
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host} (https by name through the tunnel, plain
 * http by name refused) and with it (plain http by name pinned too); see its pom.
 */
class WebhookConnectionPinningTest {
  private static final String ORG = "org_pin";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** Whether this JVM runs with the flag (the pom's second execution). */
  private static final boolean HOST_HEADER = System.getProperty(
      "jdk.httpclient.allowRestrictedHeaders", "").contains("host");

  private final List<AutoCloseable> open = new ArrayList<>();
  private MailCore mail;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void httpEndpointByName_isPinnedWithTheFlag_andRefusedAtRegistrationWithout() {
    WebhookReceiver receiver = WebhookReceiver.start();
    open.add(receiver);
    int port = port(receiver);
    start(fixed(Map.of("hooks.pinned.test", LOOPBACK)), null);
    String url = "http://hooks.pinned.test:" + port + "/webhooks";

    if (!HOST_HEADER) {
      assertThatThrownBy(() -> register(url)).isInstanceOf(ValidationException.class)
          .hasMessageContaining("url").hasMessageContaining(url)
          .hasMessageContaining("use https").hasMessageContaining("IP literal")
          .hasMessageContaining("-Djdk.httpclient.allowRestrictedHeaders=host");
      return;
    }
    WebhookRegistration r = register(url);
    receiver.secrets(r.secret());

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(w.verified()).isTrue();
    assertThat(w.header("host")).contains("hooks.pinned.test:" + port);
  }

  @Test
  void localhostOverPlainHttp_isDeliveredWhenLoopbackIsAllowed() {
    WebhookReceiver receiver = WebhookReceiver.start();
    open.add(receiver);
    int port = port(receiver);
    start(HostResolver.system(), null);
    WebhookRegistration r = register("http://localhost:" + port + "/webhooks");
    receiver.secrets(r.secret());

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    ReceivedWebhook w = receiver.takeDelivery(Duration.ofSeconds(5));
    assertThat(w.verified()).isTrue();
    assertThat(w.header("host")).contains("localhost:" + port);
  }

  @Test
  void nameThatRebindsToAPrivateAddressAfterRegistration_isRefusedAtSendTime() throws Exception {
    KeyStore keys = selfSigned("rebind.pinned.test");
    Https server = https(keys, null);
    AtomicInteger lookups = new AtomicInteger();
    start(host -> List.of(lookups.getAndIncrement() == 0 ? LOOPBACK
        : InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})), trusting(keys));
    WebhookRegistration r = register("https://rebind.pinned.test:" + server.port() + "/hook");

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(server.requests).isEmpty();
    assertThat(deliveries(r)).singleElement().satisfies(d ->
        assertThat(d.lastError()).get().asString().contains("10.0.0.7")
            .contains("a private address"));
  }

  @Test
  void nameThatRebindsBetweenTheDispatchersCheckAndTheConnect_isRefusedByTheTunnel()
      throws Exception {
    KeyStore keys = selfSigned("rebind.pinned.test");
    Https server = https(keys, null);
    AtomicInteger lookups = new AtomicInteger();
    // registration and the dispatcher's check see loopback; the tunnel's own lookup, the one
    // it connects with, sees a private address
    start(host -> List.of(lookups.getAndIncrement() < 2 ? LOOPBACK
        : InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})), trusting(keys));
    WebhookRegistration r = register("https://rebind.pinned.test:" + server.port() + "/hook");

    receive();
    mail.webhooks().dispatcher().dispatchDue();

    assertThat(lookups).hasValue(3);
    assertThat(server.requests).isEmpty();
    assertThat(deliveries(r)).singleElement().satisfies(d -> {
      assertThat(d.status().name()).isEqualTo("PENDING");
      assertThat(d.lastError()).get().asString().contains("403")
          .contains("10.0.0.7").contains("a private address");
    });
  }

  @Test
  void hangingHttpsEndpoint_doesNotDelayAnotherEndpointsDelivery() throws Exception {
    KeyStore keys = selfSigned("hang.pinned.test", "fast.pinned.test");
    CountDownLatch release = new CountDownLatch(1);
    Https hanging = https(keys, release);
    Https fast = https(keys, null);
    start(fixed(Map.of("hang.pinned.test", LOOPBACK, "fast.pinned.test", LOOPBACK)),
        trusting(keys));
    register("https://hang.pinned.test:" + hanging.port() + "/hook");
    register("https://fast.pinned.test:" + fast.port() + "/hook");
    try {
      receive();
      mail.webhooks().dispatcher().start();

      Seen quick = fast.arrived.poll(20, TimeUnit.SECONDS);
      assertThat(quick).as("the fast endpoint's delivery").isNotNull();
      assertThat(quick.sni()).containsExactly("fast.pinned.test");
      assertThat(hanging.arrived.poll(20, TimeUnit.SECONDS)).as("the hanging one's request")
          .isNotNull();
      assertThat(hanging.requests).as("still unanswered").isEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void httpsEndpointByName_isPostedToTheCheckedAddress_withSniHostAndCertificateOfThatName()
      throws Exception {
    KeyStore keys = selfSigned("secure.pinned.test");
    Https server = https(keys, null);
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
  void closingMailCore_stopsTheTunnelsThreads() throws Exception {
    Set<Thread> before = tunnelThreads();
    KeyStore keys = selfSigned("secure.pinned.test");
    Https server = https(keys, null);
    start(fixed(Map.of("secure.pinned.test", LOOPBACK)), trusting(keys));
    register("https://secure.pinned.test:" + server.port() + "/hook");
    receive();
    mail.webhooks().dispatcher().dispatchDue();
    assertThat(server.requests).hasSize(1);
    assertThat(tunnelThreads()).as("the tunnel and the pooled connection's relay")
        .hasSizeGreaterThan(before.size());

    mail.close();

    assertThat(tunnelThreads()).isSubsetOf(before);
  }

  private static Set<Thread> tunnelThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("mailcore-webhook-tunnel-"))
        .collect(Collectors.toSet());
  }

  @Test
  void httpsEndpointWhoseCertificateNamesAnotherHost_isNotPosted() throws Exception {
    KeyStore keys = selfSigned("other.pinned.test");
    Https server = https(keys, null);
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

  /** A key pair and self-signed certificate for exactly {@code names} (keytool). */
  private KeyStore selfSigned(String... names) throws Exception {
    String name = names[0];
    Path file = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias",
        "hook", "-dname", "CN=" + name, "-ext",
        "SAN=dns:" + String.join(",dns:", names), "-validity", "2",
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

  /**
   * An HTTPS server on loopback that records each request's Host header and SNI once it has
   * answered it; {@code arrived} gets each request as it comes in.
   */
  private static final class Https implements AutoCloseable {
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final BlockingQueue<Seen> arrived = new LinkedBlockingQueue<>();
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

  /** @param hold if not null, requests are answered only once it is counted down */
  private Https https(KeyStore keys, CountDownLatch hold) throws Exception {
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
      Seen seen = new Seen(ex.getRequestHeaders().getFirst("Host"), sni);
      h.arrived.add(seen);
      if (hold != null) {
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      h.requests.add(seen);
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    ExecutorService handlers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-https-handler");
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(handlers);
    s.start();
    open.add(handlers::shutdownNow);
    open.add(h);
    return h;
  }
}
