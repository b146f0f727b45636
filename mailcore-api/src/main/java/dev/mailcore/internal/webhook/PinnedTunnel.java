package dev.mailcore.internal.webhook;

import dev.mailcore.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP CONNECT proxy on 127.0.0.1 that only the dispatcher's client uses, so https attempts
 * to a host name connect to the address the SSRF guard checked (ADR 0015). For each connection
 * it reads the {@code CONNECT host:port} head (at most {@link #MAX_HEAD} bytes, within the
 * connect timeout), resolves and checks the host with the guard, connects to the first checked
 * address, answers 200 and relays bytes both ways; check and connect happen here, in one place.
 * TLS runs end to end inside the JDK client, so SNI and certificate checks are the JDK's own.
 * A host the guard refuses (or that does not resolve) gets 403, a failed connect 502.
 *
 * <p>Threads: one acceptor, which also closes tunnels idle (no byte either way, including a
 * write that does not complete) for longer than the idle limit, and two relay threads per
 * tunnel; all daemons named {@code mailcore-webhook-tunnel-*}. At most {@code maxTunnels} are
 * open: a new connection beyond that closes the longest idle one (the JDK pools idle
 * connections, and only those go idle for long). {@link #close()} closes every socket and waits
 * for the threads. Thread-safe.
 */
final class PinnedTunnel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PinnedTunnel.class);
  /** The largest CONNECT request head read. */
  static final int MAX_HEAD = 8192;
  private static final int BUFFER = 16 * 1024;
  private static final int MAX_REFUSALS = 1024;
  private static final byte[] ESTABLISHED =
      "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final SsrfGuard guard;
  private final int connectMillis;
  private final long idleNanos;
  private final int maxTunnels;
  private final ServerSocket server;
  private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
  /** Started threads not yet seen ended; guarded by itself. */
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger names = new AtomicInteger();
  /** The last refusal per {@code host:port}, until a connect there succeeds. */
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Binds and starts the tunnel.
   *
   * @param guard checks every host before it is connected to
   * @param connectTimeout for reading the CONNECT head and for connecting to the endpoint
   * @param idle how long a tunnel may carry no byte before it is closed
   * @param maxTunnels tunnels open at once
   * @throws IOException if no loopback port can be bound
   */
  PinnedTunnel(SsrfGuard guard, Duration connectTimeout, Duration idle, int maxTunnels)
      throws IOException {
    this.guard = guard;
    this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.idleNanos = idle.toNanos();
    this.maxTunnels = maxTunnels;
    this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    // the acceptor wakes this often to close idle tunnels
    server.setSoTimeout((int) Math.max(10, Math.min(1000, idle.toMillis() / 4)));
    start(this::accept, "accept");
  }

  /** @return the loopback address the tunnel listens on */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** @return tunnels currently open (connected to an endpoint or reading their head) */
  int open() {
    return tunnels.size();
  }

  /**
   * @return a selector that sends https URIs with a host name through this tunnel and
   *     everything else (IP literals, plain http) directly
   */
  ProxySelector proxySelector() {
    List<Proxy> tunnel = List.of(new Proxy(Proxy.Type.HTTP, address()));
    List<Proxy> direct = List.of(Proxy.NO_PROXY);
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return tunneled(uri) ? tunnel : direct;
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // the attempt fails with the exception; nothing to remember
      }
    };
  }

  /**
   * Whether attempts to {@code uri} go through the tunnel.
   *
   * @param uri an endpoint URL
   * @return true for https to a host name
   */
  static boolean tunneled(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
        && !SsrfGuard.isLiteral(uri.getHost());
  }

  /**
   * Why the last tunnel to {@code host:port} was refused, if no later one succeeded.
   *
   * @param host the host name as in the URL
   * @param port the port
   * @return the reason, or null
   */
  String refusal(String host, int port) {
    return refusals.get(host.toLowerCase(Locale.ROOT) + ":" + port);
  }

  private void remember(Head head, String why) {
    if (refusals.size() >= MAX_REFUSALS) {
      refusals.clear(); // a bound, not a cache: the reason is a courtesy for the error text
    }
    refusals.put(head.host() + ":" + head.port(), why);
  }

  /** Closes the listening socket and every tunnel, and waits for their threads. */
  @Override
  public void close() {
    List<Thread> started;
    synchronized (threads) { // no thread starts after this
      closed = true;
      started = List.copyOf(threads);
    }
    quietly(server);
    tunnels.forEach(Tunnel::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      for (Thread t : started) {
        TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> alive = started.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    if (!alive.isEmpty()) {
      LOG.warn("webhook tunnel threads {} did not stop within 5 s of close", alive);
    }
  }

  // ---- accepting and reaping ----------------------------------------------------------------

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (SocketTimeoutException tick) {
        reap();
        continue;
      } catch (IOException e) {
        if (!closed) {
          LOG.error("webhook tunnel stopped accepting; https deliveries to host names fail"
              + " until MailCore is rebuilt", e);
        }
        return;
      }
      reap();
      if (tunnels.size() >= maxTunnels) {
        tunnels.stream().min(Comparator.comparingLong(Tunnel::lastActive))
            .ifPresent(Tunnel::close);
      }
      Tunnel t = new Tunnel(client);
      tunnels.add(t);
      boolean started;
      try {
        started = start(t::open, "" + names.incrementAndGet());
      } catch (OutOfMemoryError e) { // no thread to be had: this attempt fails
        started = false;
      }
      if (!started) {
        t.close();
      }
    }
  }

  private void reap() {
    synchronized (threads) {
      threads.removeIf(t -> !t.isAlive());
    }
    long now = System.nanoTime();
    for (Tunnel t : tunnels) {
      if (now - t.lastActive() > idleNanos) {
        t.close();
      }
    }
  }

  /**
   * Starts a daemon thread unless closed, and keeps it in {@link #threads} until it has ended
   * (reap drops ended ones), so close() can wait for every thread it did not prevent.
   *
   * @return false if closed (nothing started)
   */
  private boolean start(Runnable body, String suffix) {
    Thread t = new Thread(body, "mailcore-webhook-tunnel-" + suffix);
    t.setDaemon(true);
    synchronized (threads) {
      if (closed) {
        return false;
      }
      t.start();
      threads.add(t);
      return true;
    }
  }

  private static void quietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // closing; nothing to do about it
    }
  }

  // ---- one tunnel ---------------------------------------------------------------------------

  /** The CONNECT target and any bytes the client sent after the head. */
  private record Head(String host, int port, byte[] rest) {}

  /** A request the tunnel refuses, with the status it answers. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String why) {
      super(why, null, false, false);
      this.status = status;
    }
  }

  private final class Tunnel {
    private final Socket client;
    private volatile Socket upstream;
    private volatile long lastActive = System.nanoTime();
    private final AtomicInteger directions = new AtomicInteger(2);
    private volatile boolean done;

    Tunnel(Socket client) {
      this.client = client;
    }

    long lastActive() {
      return lastActive;
    }

    void touch() {
      lastActive = System.nanoTime();
    }

    void open() {
      try {
        client.setSoTimeout(connectMillis);
        Head head = readHead(client.getInputStream());
        Socket up;
        try {
          up = connect(head);
          refusals.remove(head.host() + ":" + head.port());
        } catch (Refused r) {
          remember(head, r.getMessage());
          throw r;
        }
        client.setSoTimeout(0);
        OutputStream toClient = client.getOutputStream();
        toClient.write(ESTABLISHED);
        toClient.flush();
        if (head.rest().length > 0) {
          up.getOutputStream().write(head.rest());
        }
        touch();
        if (!start(() -> relay(up, client), names.incrementAndGet() + "-in")) {
          close(); // the tunnel is closing
          return;
        }
        relay(client, up);
      } catch (Refused r) {
        answer(r.status, r.getMessage());
        close();
      } catch (IOException | RuntimeException e) { // the client sees the connection end
        close();
      }
    }

    private Socket connect(Head head) throws Refused {
      List<InetAddress> checked;
      try {
        checked = guard.resolvePublic(new URI("https", null, head.host(), head.port(), "/",
            null, null));
      } catch (ValidationException e) {
        throw new Refused(403, e.getMessage());
      } catch (URISyntaxException e) {
        throw new Refused(400, "not a host: " + head.host());
      }
      Socket up = new Socket();
      upstream = up;
      if (done) { // closed meanwhile: close() may have missed the new socket
        quietly(up);
        throw new Refused(502, "closed");
      }
      InetSocketAddress to = new InetSocketAddress(checked.get(0), head.port());
      try {
        up.setTcpNoDelay(true);
        up.connect(to, connectMillis);
        return up;
      } catch (IOException e) {
        throw new Refused(502, "connecting to " + to + ": " + e.getMessage());
      }
    }

    /** Copies {@code from} to {@code to}; at the end of {@code from}, half-closes {@code to}. */
    private void relay(Socket from, Socket to) {
      byte[] buf = new byte[BUFFER];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        for (int n; (n = in.read(buf)) >= 0; ) {
          touch();
          out.write(buf, 0, n);
          touch();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        close();
        return;
      }
      if (directions.decrementAndGet() == 0) {
        close();
      }
    }

    private void answer(int status, String why) {
      String reason = switch (status) {
        case 400 -> "Bad Request";
        case 403 -> "Forbidden";
        case 405 -> "Method Not Allowed";
        case 431 -> "Request Header Fields Too Large";
        default -> "Bad Gateway";
      };
      byte[] body = (why == null ? "" : why.replaceAll("[\\r\\n]", " ") + "\n")
          .getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 " + status + " " + reason + "\r\ncontent-type: text/plain;"
          + " charset=utf-8\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n";
      try {
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (IOException ignored) {
        // the client is gone; it fails either way
      }
    }

    void close() {
      done = true;
      tunnels.remove(this);
      quietly(client);
      quietly(upstream);
    }
  }

  /**
   * Reads a {@code CONNECT host:port HTTP/1.x} head.
   *
   * @throws Refused 400 if malformed, 405 if another method, 431 if longer than
   *     {@link #MAX_HEAD}
   */
  private static Head readHead(InputStream in) throws IOException, Refused {
    byte[] buf = new byte[MAX_HEAD];
    int len = 0;
    int end = -1;
    while (end < 0) {
      if (len == buf.length) {
        throw new Refused(431, "CONNECT head longer than " + MAX_HEAD + " bytes");
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        throw new Refused(400, "connection ended inside the CONNECT head");
      }
      int from = Math.max(0, len - 3);
      len += n;
      for (int i = from; i + 3 < len; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
          end = i + 4;
          break;
        }
      }
    }
    String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
    String line = head.substring(0, head.indexOf("\r\n"));
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new Refused(400, "not an HTTP/1 request line: " + line);
    }
    if (!parts[0].equals("CONNECT")) {
      throw new Refused(405, "only CONNECT is served, got " + parts[0]);
    }
    String authority = parts[1];
    int colon = authority.lastIndexOf(':');
    if (colon <= 0 || colon < authority.lastIndexOf(']')) {
      throw new Refused(400, "CONNECT target must be host:port, got " + authority);
    }
    int port;
    try {
      port = Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new Refused(400, "bad port in CONNECT target " + authority);
    }
    String host = authority.substring(0, colon).toLowerCase(Locale.ROOT);
    byte[] rest = new byte[len - end];
    System.arraycopy(buf, end, rest, 0, rest.length);
    return new Head(host, port, rest);
  }
}
