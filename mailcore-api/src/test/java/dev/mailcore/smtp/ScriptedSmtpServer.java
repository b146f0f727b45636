package dev.mailcore.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A minimal SMTP server on a loopback socket whose replies a test chooses, for the server
 * behaviours GreenMail does not produce (4xx replies, a refused recipient, queue ids). It
 * speaks real SMTP over TCP; only the replies are scripted. Serves one connection at a time.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final Thread thread;
  private volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 Ok";
  private volatile String dataEndReply = "250 2.0.0 Ok";
  /** Every command line received, in order. */
  final List<String> commands = new CopyOnWriteArrayList<>();
  /** The message data of every accepted DATA, without the terminating dot. */
  final List<String> messages = new CopyOnWriteArrayList<>();

  ScriptedSmtpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "scripted-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  ScriptedSmtpServer rcptReply(Function<String, String> reply) {
    this.rcptReply = reply;
    return this;
  }

  ScriptedSmtpServer dataEndReply(String reply) {
    this.dataEndReply = reply;
    return this;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        converse(s);
      } catch (IOException e) {
        // the client hung up mid-conversation; serve the next connection
      }
    }
  }

  private void converse(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    OutputStream out = s.getOutputStream();
    reply(out, "220 scripted.test ESMTP");
    String line;
    while ((line = in.readLine()) != null) {
      commands.add(line);
      String upper = line.toUpperCase(Locale.ROOT);
      if (upper.startsWith("EHLO")) {
        reply(out, "250-scripted.test\r\n250 8BITMIME");
      } else if (upper.startsWith("HELO") || upper.startsWith("MAIL FROM")
          || upper.startsWith("RSET") || upper.startsWith("NOOP")) {
        reply(out, "250 Ok");
      } else if (upper.startsWith("RCPT TO")) {
        reply(out, rcptReply.apply(line.substring(line.indexOf(':') + 1).strip()));
      } else if (upper.equals("DATA")) {
        reply(out, "354 End data with <CR><LF>.<CR><LF>");
        StringBuilder data = new StringBuilder();
        String d;
        while ((d = in.readLine()) != null && !d.equals(".")) {
          data.append(d).append("\r\n");
        }
        messages.add(data.toString());
        reply(out, dataEndReply);
      } else if (upper.startsWith("QUIT")) {
        reply(out, "221 Bye");
        return;
      } else {
        reply(out, "502 command not implemented");
      }
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
