package dev.mailcore.smtp;

import dev.mailcore.DeliveryException;
import dev.mailcore.spi.MailTransport;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MailTransport} that sends through an SMTP server (a relay such as Postfix, the SES
 * SMTP interface, or a test server) with jakarta.mail.
 *
 * <pre>{@code
 * MailTransport smtp = SmtpTransport.builder()
 *     .host("email-smtp.eu-west-1.amazonaws.com")
 *     .port(587)
 *     .credentials(smtpUser, smtpPassword)
 *     .build();                       // STARTTLS required by default
 * }</pre>
 *
 * <p>The message bytes leave exactly as mailcore built them: no header is added, rewritten or
 * re-encoded (in particular the Message-ID is kept). The envelope sender (MAIL FROM) and
 * recipients (RCPT TO, including Bcc) come from the {@link TransportRequest}. If the server
 * refuses any recipient nothing is sent (no partial sends).
 *
 * <p>{@link #send} returns the server's queue id when its reply to the message data names one
 * (Postfix {@code queued as X}, Exim {@code id=X}, sendmail and the SES SMTP interface
 * {@code 250 Ok X}); otherwise the message's Message-ID (without angle brackets).
 *
 * <p>Failures become {@link DeliveryException}s: a 4xx reply, a refused or timed-out
 * connection, or an unknown host are retryable; a 5xx reply (its text is in the message),
 * failed authentication and a TLS failure are not. A timeout after the data was written may
 * mean the server accepted the message, so a retry can deliver it twice.
 *
 * <p>Thread-safe: each {@code send} opens its own connection, says EHLO, sends one message and
 * quits. That costs a handshake per message, which is fine for transactional volumes; put a
 * local relay in front for bulk. The transport holds no connection between sends, so
 * {@link #close()} has nothing to release.
 */
public final class SmtpTransport implements MailTransport {

  private static final Logger LOG = LoggerFactory.getLogger(SmtpTransport.class);

  /** Whether the connection is upgraded to TLS with STARTTLS before authenticating. */
  public enum StartTls {
    /** Never use STARTTLS: plain text, for a relay on localhost or tests only. */
    DISABLED,
    /** Use STARTTLS when the server offers it, else continue in plain text. */
    OPTIONAL,
    /** Use STARTTLS and fail when the server does not offer it (the default). */
    REQUIRED
  }

  private static final List<Pattern> QUEUE_ID = List.of(
      Pattern.compile("queued as ([\\w.@-]+)", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\bid=([\\w.@-]+)", Pattern.CASE_INSENSITIVE),
      Pattern.compile("^250[ -](?:\\d\\.\\d\\.\\d+ )?([\\w.@-]{6,}) message accepted",
          Pattern.CASE_INSENSITIVE),
      Pattern.compile("^250[ -](?:\\d\\.\\d\\.\\d+ )?ok ([\\w.@-]{6,})\\s*$",
          Pattern.CASE_INSENSITIVE));

  private final String host;
  private final int port;
  private final Optional<String> username;
  private final Optional<String> password;
  private final StartTls startTls;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Optional<String> localHost;
  private final Session session;

  private SmtpTransport(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.username = Optional.ofNullable(b.username);
    this.password = Optional.ofNullable(b.password);
    this.startTls = b.startTls;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.localHost = Optional.ofNullable(b.localHost);

    Properties p = new Properties();
    p.setProperty("mail.smtp.host", host);
    p.setProperty("mail.smtp.port", Integer.toString(port));
    p.setProperty("mail.smtp.connectiontimeout", millis(connectTimeout));
    p.setProperty("mail.smtp.timeout", millis(readTimeout));
    p.setProperty("mail.smtp.writetimeout", millis(writeTimeout));
    p.setProperty("mail.smtp.auth", Boolean.toString(username.isPresent()));
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(startTls != StartTls.DISABLED));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(startTls == StartTls.REQUIRED));
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    // Refuse the whole message if any recipient is refused: never half-sent.
    p.setProperty("mail.smtp.sendpartial", "false");
    // Keep the bytes as built; 8BITMIME conversion would re-encode parts.
    p.setProperty("mail.smtp.allow8bitmime", "false");
    localHost.ifPresent(h -> p.setProperty("mail.smtp.localhost", h));
    this.session = Session.getInstance(p);

    if (username.isPresent() && startTls != StartTls.REQUIRED) {
      LOG.warn("{} - credentials are configured with STARTTLS {}: the password may cross the"
          + " network in plain text; use StartTls.REQUIRED unless the server is local", this,
          startTls);
    }
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
   * Sends the message over a new SMTP connection.
   *
   * @param request the raw message and envelope
   * @return the server's queue id if its reply names one, else the Message-ID value; no
   *     delivered Message-ID, since the message leaves with its own
   * @throws DeliveryException if the server refused the message or could not be reached;
   *     {@link DeliveryException#retryable()} is true for 4xx replies and connection problems
   */
  @Override
  public TransportResult send(TransportRequest request) {
    Objects.requireNonNull(request, "request");
    org.eclipse.angus.mail.smtp.SMTPTransport transport = null;
    try {
      RawMessage message = new RawMessage(session, request.rawMime());
      message.setEnvelopeFrom(request.envelopeSender());
      Address[] recipients = recipients(request.recipients());

      transport = (org.eclipse.angus.mail.smtp.SMTPTransport) session.getTransport("smtp");
      transport.connect(host, port, username.orElse(null), password.orElse(null));
      transport.sendMessage(message, recipients);
      String reply = transport.getLastServerResponse();
      return TransportResult.of(queueId(reply).orElse(request.messageId().value()));
    } catch (MessagingException e) {
      throw translate(e, request, transport);
    } finally {
      closeQuietly(transport);
    }
  }

  /**
   * The queue id in a server's reply to the message data, if it names one.
   *
   * @param reply the reply line, for example {@code 250 2.0.0 Ok: queued as 4Ld0Yq1Z}
   * @return the id
   */
  static Optional<String> queueId(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    String line = reply.strip();
    for (Pattern p : QUEUE_ID) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private DeliveryException translate(MessagingException e, TransportRequest request,
      org.eclipse.angus.mail.smtp.SMTPTransport transport) {
    String where = "SMTP server " + host + ":" + port;
    String what = "sending " + request.messageId();
    if (e instanceof AuthenticationFailedException) {
      return new DeliveryException(what + " failed: " + where + " refused the credentials of"
          + " user '" + username.orElse("") + "' (" + oneLine(e.getMessage())
          + "); check the SMTP username and password", true, false, e);
    }
    List<String> replies = new ArrayList<>();
    int worst = 0;
    for (Exception x = e; x != null; x = next(x)) {
      int code = returnCode(x);
      if (code > 0) {
        replies.add(oneLine(x.getMessage()));
        worst = Math.max(worst, code);
      }
    }
    if (worst == 0 && transport != null && transport.getLastReturnCode() >= 400) {
      worst = transport.getLastReturnCode();
      replies.add(oneLine(transport.getLastServerResponse()));
    }
    if (worst >= 400) {
      boolean transientReply = worst < 500;
      String invalid = e instanceof SendFailedException
          ? invalidAddresses((SendFailedException) e) : "";
      return new DeliveryException(what + " failed: " + where + " replied " + replies + invalid
          + (transientReply ? "; a temporary failure, try again later"
              : "; a permanent failure, sending again will not help"),
          true, transientReply, e);
    }
    Throwable io = ioCause(e);
    if (io instanceof SSLException) {
      return new DeliveryException(what + " failed: TLS with " + where + " failed ("
          + oneLine(io.getMessage()) + "); check the server's certificate and STARTTLS setting",
          true, false, e);
    }
    if (io instanceof SocketTimeoutException) {
      return new DeliveryException(what + " failed: " + where + " did not answer in time ("
          + oneLine(io.getMessage()) + "; connect timeout " + connectTimeout + ", read timeout "
          + readTimeout + "); try again later", true, true, e);
    }
    if (io instanceof ConnectException || io instanceof UnknownHostException
        || io instanceof NoRouteToHostException) {
      return new DeliveryException(what + " failed: cannot connect to " + where + " ("
          + oneLine(io.toString()) + "); check host and port, or try again later", true, true,
          e);
    }
    if (io != null) {
      return new DeliveryException(what + " failed: connection to " + where + " broke ("
          + oneLine(io.toString()) + "); try again later", true, true, e);
    }
    return new DeliveryException(what + " failed: " + where + ": " + oneLine(e.getMessage()),
        true, false, e);
  }

  private static int returnCode(Exception x) {
    if (x instanceof SMTPAddressFailedException) {
      return ((SMTPAddressFailedException) x).getReturnCode();
    }
    if (x instanceof SMTPSendFailedException) {
      return ((SMTPSendFailedException) x).getReturnCode();
    }
    if (x instanceof SMTPSenderFailedException) {
      return ((SMTPSenderFailedException) x).getReturnCode();
    }
    return 0;
  }

  private static Exception next(Exception x) {
    return x instanceof MessagingException ? ((MessagingException) x).getNextException() : null;
  }

  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
      if (t instanceof MessagingException) {
        Exception nextEx = ((MessagingException) t).getNextException();
        if (nextEx != null && nextEx != t.getCause()) {
          Throwable nested = ioCause(nextEx);
          if (nested != null) {
            return nested;
          }
        }
      }
    }
    return null;
  }

  private static String invalidAddresses(SendFailedException e) {
    Address[] invalid = e.getInvalidAddresses();
    if (invalid == null || invalid.length == 0) {
      return "";
    }
    List<String> list = new ArrayList<>();
    for (Address a : invalid) {
      list.add(a.toString());
    }
    return " for recipients " + list;
  }

  private static Address[] recipients(List<String> addresses) throws AddressException {
    Address[] out = new Address[addresses.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new InternetAddress(addresses.get(i), false);
    }
    return out;
  }

  private static void closeQuietly(org.eclipse.angus.mail.smtp.SMTPTransport transport) {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (MessagingException e) {
      LOG.debug("closing the SMTP connection failed after the send; ignored", e);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
  }

  private static String millis(Duration d) {
    return Long.toString(d.toMillis());
  }

  /**
   * Describes the server and settings, never the password.
   *
   * @return for example {@code SmtpTransport[smtp.example.com:587, user=app, startTls=REQUIRED]}
   */
  @Override
  public String toString() {
    return "SmtpTransport[" + host + ":" + port + ", user=" + username.orElse("(none)")
        + ", startTls=" + startTls + "]";
  }

  /**
   * A parsed view of the raw bytes that jakarta.mail writes back unchanged: no Message-ID,
   * MIME-Version or Content-Transfer-Encoding rewriting on the way out.
   */
  private static final class RawMessage extends SMTPMessage {
    RawMessage(Session session, byte[] raw) throws MessagingException {
      super(session, new SharedByteArrayInputStream(raw));
    }

    @Override
    protected void updateHeaders() {
      // the bytes are final as mailcore built them
    }

    @Override
    protected void updateMessageID() {
      // keep mailcore's Message-ID
    }
  }

  /**
   * Configures an {@link SmtpTransport}. Each setter checks its value at once and names the bad
   * one. Not thread-safe.
   */
  public static final class Builder {
    private String host;
    private int port = 587;
    private String username;
    private String password;
    private StartTls startTls = StartTls.REQUIRED;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private String localHost;

    private Builder() {}

    /**
     * Sets the server's host name or address (required).
     *
     * @param host for example {@code smtp.example.com}
     * @return this builder
     * @throws IllegalArgumentException if blank or containing whitespace
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.strip().chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("host must be a host name or address without"
            + " spaces, got '" + host + "'");
      }
      this.host = host.strip();
      return this;
    }

    /**
     * Sets the port (default 587, the submission port).
     *
     * @param port 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the credentials for SMTP AUTH (default: no authentication).
     *
     * @param username the user name
     * @param password the password; never logged or shown by {@code toString()}
     * @return this builder
     * @throws IllegalArgumentException if the user name is blank
     */
    public Builder credentials(String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isBlank()) {
        throw new IllegalArgumentException("username must not be blank");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Sets the STARTTLS policy (default {@link StartTls#REQUIRED}).
     *
     * @param startTls the policy
     * @return this builder
     */
    public Builder startTls(StartTls startTls) {
      this.startTls = Objects.requireNonNull(startTls, "startTls");
      return this;
    }

    /**
     * Sets how long to wait for the TCP connection (default 10 s).
     *
     * @param timeout more than zero, at most {@code Integer.MAX_VALUE} ms
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = checkTimeout("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets how long to wait for each server reply (default 30 s).
     *
     * @param timeout more than zero, at most {@code Integer.MAX_VALUE} ms
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = checkTimeout("readTimeout", timeout);
      return this;
    }

    /**
     * Sets how long one write to the server may block (default 30 s).
     *
     * @param timeout more than zero, at most {@code Integer.MAX_VALUE} ms
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = checkTimeout("writeTimeout", timeout);
      return this;
    }

    /**
     * Sets the name this side gives in EHLO (default: the local host name Java finds).
     *
     * @param name a host name, for example {@code mailer.example.com}
     * @return this builder
     * @throws IllegalArgumentException if blank or containing whitespace
     */
    public Builder localHost(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.strip().chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("localHost must be a host name without spaces, got '"
            + name + "'");
      }
      this.localHost = name.strip();
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return the transport
     * @throws IllegalStateException if no host was set
     */
    public SmtpTransport build() {
      if (host == null) {
        throw new IllegalStateException("host is required: call host(...) on the builder");
      }
      return new SmtpTransport(this);
    }

    private static Duration checkTimeout(String name, Duration timeout) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, got " + timeout);
      }
      if (timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE
            + " ms, got " + timeout);
      }
      return timeout;
    }
  }
}
