package dev.mailcore.testkit.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * A real, authoritative DNS server on a loopback UDP port, for the JNDI resolver's tests: queries
 * and answers are DNS wire format, parsed and written by dnsjava. It serves the records a test
 * adds ({@link #mx}, {@link #txt}, {@link #cname}), answers NXDOMAIN for names it has nothing for,
 * and NOERROR with no answer for a known name asked for a type it does not have. With
 * {@link #silent()} it reads queries and never answers, like a dead or firewalled server.
 * Thread-safe; {@link #close()} stops it.
 */
final class LoopbackDnsServer implements AutoCloseable {
  private static final long TTL = 60;

  private final DatagramSocket socket;
  private final Set<Record> records = ConcurrentHashMap.newKeySet();
  private final AtomicInteger queries = new AtomicInteger();
  private final boolean answers;
  private final Thread loop;

  private LoopbackDnsServer(boolean answers) throws SocketException {
    this.answers = answers;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.loop = new Thread(this::serve, "loopback-dns-" + socket.getLocalPort());
    loop.setDaemon(true);
    loop.start();
  }

  /** A server that answers from its records. */
  static LoopbackDnsServer start() throws SocketException {
    return new LoopbackDnsServer(true);
  }

  /** A server that receives queries and never answers. */
  static LoopbackDnsServer silent() throws SocketException {
    return new LoopbackDnsServer(false);
  }

  /** {@code 127.0.0.1:port}, for {@code DnsResolver.jndi().servers(...)}. */
  String address() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /** How many queries arrived. */
  int queries() {
    return queries.get();
  }

  LoopbackDnsServer mx(String name, int priority, String host) {
    records.add(new MXRecord(name(name), DClass.IN, TTL, priority, name(host)));
    return this;
  }

  /** A TXT record made of one or more character-strings (a long SPF is split in several). */
  LoopbackDnsServer txt(String name, String... strings) {
    records.add(new TXTRecord(name(name), DClass.IN, TTL, List.of(strings)));
    return this;
  }

  LoopbackDnsServer cname(String name, String target) {
    records.add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
    return this;
  }

  /** Removes every record. */
  void clear() {
    records.clear();
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(in);
        queries.incrementAndGet();
        if (!answers) {
          continue;
        }
        byte[] reply = answer(new Message(java.util.Arrays.copyOf(in.getData(), in.getLength())));
        socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // a malformed query: ignore it, as a real server would
      }
    }
  }

  private byte[] answer(Message query) {
    Record question = query.getQuestion();
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    reply.addRecord(question, Section.QUESTION);
    boolean nameKnown = false;
    for (Record r : records) {
      if (r.getName().equals(question.getName())) {
        nameKnown = true;
        if (r.getType() == question.getType()) {
          reply.addRecord(r, Section.ANSWER);
        }
      }
    }
    if (!nameKnown) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    return reply.toWire(512);
  }

  @Override
  public void close() {
    socket.close();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
