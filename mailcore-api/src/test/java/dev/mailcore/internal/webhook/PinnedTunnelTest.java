package dev.mailcore.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.HostResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CONNECT tunnel over real loopback sockets: what it refuses, how it relays, and that it
 * closes idle tunnels and stops its threads. Names live under {@code .test} and are answered by
 * a test resolver only.
 */
class PinnedTunnelTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration LONG = Duration.ofSeconds(60);

  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void malformedHead_isAnswered400() throws Exception {
    PinnedTunnel tunnel = tunnel(true, LONG, 8);
    assertThat(ask(tunnel, "CONNECT\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(ask(tunnel, "CONNECT hook.test HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(ask(tunnel, "CONNECT hook.test:99999 HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void headLongerThanTheLimit_isAnswered431() throws Exception {
    PinnedTunnel tunnel = tunnel(true, LONG, 8);
    String head = "CONNECT hook.test:443 HTTP/1.1\r\nx-pad: " + "a".repeat(PinnedTunnel.MAX_HEAD)
        + "\r\n\r\n";
    assertThat(ask(tunnel, head)).startsWith("HTTP/1.1 431 ");
  }

  @Test
  void otherMethods_areAnswered405() throws Exception {
    PinnedTunnel tunnel = tunnel(true, LONG, 8);
    assertThat(ask(tunnel, "GET http://hook.test/ HTTP/1.1\r\nhost: hook.test\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ");
  }

  @Test
  void hostTheGuardRefuses_isAnswered403_withTheGuardsReason() throws Exception {
    PinnedTunnel strict = tunnel(false, LONG, 8);
    assertThat(ask(strict, "CONNECT hook.test:443 HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 403 ").contains("a loopback address");
    assertThat(ask(strict, "CONNECT private.test:443 HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 403 ").contains("10.0.0.7").contains("a private address");
    assertThat(ask(strict, "CONNECT unknown.test:443 HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 403 ").contains("does not resolve");
  }

  @Test
  void connectFailure_isAnswered502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = s.getLocalPort();
    }
    PinnedTunnel tunnel = tunnel(true, LONG, 8);
    assertThat(ask(tunnel, "CONNECT hook.test:" + closedPort + " HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 502 ");
  }

  @Test
  void relaysLargeBodiesBothWays_acrossAHalfClose() throws Exception {
    byte[] request = pattern(8 << 20, 7);
    byte[] response = pattern(6 << 20, 13);
    ServerSocket upstream = server();
    // reads the whole request (to the client's half-close), then answers and closes
    CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
      try (Socket s = upstream.accept()) {
        byte[] got = s.getInputStream().readAllBytes();
        s.getOutputStream().write(response);
        return got;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    PinnedTunnel tunnel = tunnel(true, LONG, 8);
    try (Socket client = established(tunnel, upstream.getLocalPort())) {
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try {
          client.getOutputStream().write(request);
          client.shutdownOutput();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] answer = client.getInputStream().readAllBytes();
      sent.get(30, TimeUnit.SECONDS);
      assertThat(sha(received.get(30, TimeUnit.SECONDS))).isEqualTo(sha(request));
      assertThat(sha(answer)).isEqualTo(sha(response));
    }
  }

  @Test
  void tunnelIdleLongerThanTheLimit_isClosed() throws Exception {
    ServerSocket upstream = server();
    CompletableFuture<Integer> upstreamRead = CompletableFuture.supplyAsync(() -> {
      try (Socket s = upstream.accept()) {
        return s.getInputStream().read();
      } catch (IOException e) {
        return -2;
      }
    });
    PinnedTunnel tunnel = tunnel(true, Duration.ofMillis(200), 8);
    try (Socket client = established(tunnel, upstream.getLocalPort())) {
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(upstreamRead.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
  }

  @Test
  void beyondTheLimitOfOpenTunnels_theLongestIdleIsClosed() throws Exception {
    ServerSocket upstream = echoing();
    PinnedTunnel tunnel = tunnel(true, LONG, 2);
    try (Socket first = established(tunnel, upstream.getLocalPort());
        Socket second = established(tunnel, upstream.getLocalPort());
        Socket third = established(tunnel, upstream.getLocalPort())) {
      assertThat(List.of(second, third)).noneMatch(Socket::isClosed);
      assertThat(first.getInputStream().read()).isEqualTo(-1);
      assertThat(tunnel.open()).isEqualTo(2);
    }
  }

  @Test
  void close_closesEveryTunnelAndStopsEveryThread() throws Exception {
    ServerSocket upstream = echoing();
    PinnedTunnel tunnel = new PinnedTunnel(new SsrfGuard(true, resolver()),
        Duration.ofSeconds(5), LONG, 8);
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket c = established(tunnel, upstream.getLocalPort());
      open.add(c);
      clients.add(c);
      c.getOutputStream().write(i);
      assertThat(c.getInputStream().read()).isEqualTo(i); // both relay threads run
    }
    assertThat(tunnelThreads()).hasSizeGreaterThanOrEqualTo(7); // acceptor + 2 per tunnel

    tunnel.close();

    assertThat(tunnelThreads()).isEmpty();
    for (Socket c : clients) {
      assertThat(c.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(tunnel.open()).isZero();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static List<String> tunnelThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("mailcore-webhook-tunnel-")).toList();
  }

  private static HostResolver resolver() {
    Map<String, byte[]> names = Map.of("hook.test", LOOPBACK.getAddress(),
        "private.test", new byte[] {10, 0, 0, 7});
    return host -> {
      byte[] a = names.get(host);
      if (a == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByAddress(host, a));
    };
  }

  private PinnedTunnel tunnel(boolean allowLoopback, Duration idle, int max) throws IOException {
    PinnedTunnel t = new PinnedTunnel(new SsrfGuard(allowLoopback, resolver()),
        Duration.ofSeconds(5), idle, max);
    open.add(t);
    return t;
  }

  private ServerSocket server() throws IOException {
    ServerSocket s = new ServerSocket(0, 16, LOOPBACK);
    open.add(s);
    return s;
  }

  /** An upstream that echoes what each connection sends and keeps it open. */
  private ServerSocket echoing() throws IOException {
    ServerSocket s = server();
    Thread t = new Thread(() -> {
      while (true) {
        try {
          Socket c = s.accept();
          open.add(c);
          Thread echo = new Thread(() -> {
            try {
              c.getInputStream().transferTo(c.getOutputStream());
            } catch (IOException closed) {
              // the test ended it
            }
          }, "test-echo");
          echo.setDaemon(true);
          echo.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "test-echo-upstream");
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** Sends a head and returns the whole answer; the tunnel closes after refusing. */
  private static String ask(PinnedTunnel tunnel, String head) throws IOException {
    try (Socket s = new Socket(LOOPBACK, tunnel.address().getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A client socket through the tunnel to {@code hook.test:port}, after the 200. */
  private static Socket established(PinnedTunnel tunnel, int port) throws IOException {
    Socket s = new Socket(LOOPBACK, tunnel.address().getPort());
    s.setSoTimeout(30_000);
    s.getOutputStream().write(("CONNECT hook.test:" + port + " HTTP/1.1\r\nhost: hook.test:"
        + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("answer so far: %s", head).isNotNegative();
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 200 Connection Established\r\n");
    return s;
  }

  private static byte[] pattern(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * seed + (i >>> 11));
    }
    return b;
  }

  private static String sha(byte[] b) throws Exception {
    return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
