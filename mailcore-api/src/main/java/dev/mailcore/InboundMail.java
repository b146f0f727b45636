package dev.mailcore;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One received message to hand to {@link Mailboxes#receive(InboundMail)}: the raw RFC 5322
 * bytes and the envelope recipients (SMTP {@code RCPT TO}, or the SES receipt's recipients).
 *
 * <p>When no envelope recipients are given, mailcore routes on the message's To and Cc headers.
 * The raw content may be a byte array, a file, or a stream; a stream is read once and spooled
 * (to memory when small, to a temporary file when large), so a 40 MB message never sits on the
 * heap. Immutable (the stream is consumed by the first {@code receive}); thread-safe to pass
 * between threads.
 *
 * <pre>{@code
 * mail.mailboxes().receive(InboundMail.of(rawBytes, "support@acme.com"));
 * mail.mailboxes().receive(InboundMail.builder().raw(socketStream).recipient("sales@acme.com").build());
 * }</pre>
 */
public final class InboundMail {
  private final byte[] bytes;
  private final Path file;
  private final InputStream stream;
  private final List<EmailAddress> recipients;
  private final Optional<Instant> receivedAt;
  private final ReceiptVerdicts verdicts;

  private InboundMail(Builder b) {
    this.bytes = b.bytes;
    this.file = b.file;
    this.stream = b.stream;
    this.recipients = List.copyOf(b.recipients);
    this.receivedAt = Optional.ofNullable(b.receivedAt);
    this.verdicts = b.verdicts;
  }

  /**
   * A message held in memory, with its envelope recipients.
   *
   * @param raw the raw message (not copied; don't modify it afterwards)
   * @param recipients envelope recipient addresses; none means route on To/Cc
   * @return the inbound mail
   * @throws ValidationException if a recipient is not a valid address
   */
  public static InboundMail of(byte[] raw, String... recipients) {
    Builder b = builder().raw(raw);
    for (String r : recipients) {
      b.recipient(r);
    }
    return b.build();
  }

  /**
   * A builder for the other options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The envelope recipients; empty means route on the To and Cc headers.
   *
   * @return an unmodifiable list
   */
  public List<EmailAddress> recipients() {
    return recipients;
  }

  /**
   * When the message was received, if the caller knows (for example the SES receipt time);
   * otherwise mailcore uses its clock.
   *
   * @return the receipt time
   */
  public Optional<Instant> receivedAt() {
    return receivedAt;
  }

  /**
   * The receiving service's spam, virus, SPF, DKIM and DMARC verdicts, stored with the message
   * ({@link EmailMessage#verdicts()}); {@link ReceiptVerdicts#NONE} when none were given.
   *
   * @return the verdicts
   */
  public ReceiptVerdicts verdicts() {
    return verdicts;
  }

  /**
   * The in-memory content, if built from bytes. For mailcore's engine.
   *
   * @return the bytes
   */
  public Optional<byte[]> bytes() {
    return Optional.ofNullable(bytes);
  }

  /**
   * The file content, if built from a path. For mailcore's engine.
   *
   * @return the path
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * The stream content, if built from a stream. For mailcore's engine.
   *
   * @return the stream
   */
  public Optional<InputStream> stream() {
    return Optional.ofNullable(stream);
  }

  /** Builds an {@link InboundMail}. Not thread-safe. */
  public static final class Builder {
    private byte[] bytes;
    private Path file;
    private InputStream stream;
    private final List<EmailAddress> recipients = new ArrayList<>();
    private Instant receivedAt;
    private ReceiptVerdicts verdicts = ReceiptVerdicts.NONE;

    private Builder() {}

    /**
     * The raw message bytes (replaces any other raw source).
     *
     * @param raw the bytes, not copied
     * @return this builder
     */
    public Builder raw(byte[] raw) {
      clearRaw();
      this.bytes = Objects.requireNonNull(raw, "raw");
      return this;
    }

    /**
     * The raw message in a file (replaces any other raw source); read when received.
     *
     * @param path a readable file
     * @return this builder
     */
    public Builder raw(Path path) {
      clearRaw();
      this.file = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * The raw message as a stream (replaces any other raw source); read to its end by
     * {@code receive}, which does not close it.
     *
     * @param in the stream
     * @return this builder
     */
    public Builder raw(InputStream in) {
      clearRaw();
      this.stream = Objects.requireNonNull(in, "in");
      return this;
    }

    /**
     * Adds an envelope recipient.
     *
     * @param address the address
     * @return this builder
     * @throws ValidationException if it is not a valid address
     */
    public Builder recipient(String address) {
      recipients.add(EmailAddress.of(Objects.requireNonNull(address, "address")));
      return this;
    }

    /**
     * Adds envelope recipients.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder recipients(List<EmailAddress> addresses) {
      for (EmailAddress a : addresses) {
        recipients.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    /**
     * The receipt time, when known.
     *
     * @param at the time
     * @return this builder
     */
    public Builder receivedAt(Instant at) {
      this.receivedAt = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * The receiving service's verdicts (an SES receipt's, an SMTP server's own checks), stored
     * with the message in every inbox it reaches. A redelivery that finds the message already
     * stored changes nothing, verdicts included.
     *
     * @param verdicts the verdicts (default {@link ReceiptVerdicts#NONE})
     * @return this builder
     */
    public Builder verdicts(ReceiptVerdicts verdicts) {
      this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
      return this;
    }

    /**
     * Builds the inbound mail.
     *
     * @return the inbound mail
     * @throws ValidationException if no raw content was given or the file is unreadable
     */
    public InboundMail build() {
      if (bytes == null && file == null && stream == null) {
        throw new ValidationException("raw", "no raw message given; call raw(byte[]), raw(Path) or raw(InputStream)");
      }
      if (file != null && !Files.isReadable(file)) {
        throw new ValidationException("raw", "file is not readable: " + file);
      }
      return new InboundMail(this);
    }

    private void clearRaw() {
      bytes = null;
      file = null;
      stream = null;
    }
  }
}
