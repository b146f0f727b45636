package dev.mailcore.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.Domain;
import dev.mailcore.EmailAttachment;
import dev.mailcore.EmailMessage;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.ReceiveResult;
import dev.mailcore.postgres.PostgresBlobStore;
import dev.mailcore.postgres.PostgresMailStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The simplest production set-up: everything in one PostgreSQL database. Messages, threads and
 * the rest in {@link PostgresMailStore}, raw mail and attachments in {@link PostgresBlobStore},
 * both on the host's one connection pool and in one schema, both migrated by Flyway at start.
 * Nothing is lost on restart, and there is no other service to run.
 *
 * <p>Reads the database from {@code MAILCORE_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code MAILCORE_JDBC_USER} (default
 * {@code postgres}) and {@code MAILCORE_JDBC_PASSWORD}; uses the schema {@code mailcore}.
 * Receives a message with an attachment and reads both back from the database. Sending needs
 * a transport as well ({@code .transport(...)}, for example SMTP); this demo only receives.
 * Running it again finds the same message (receive is idempotent per Message-ID).
 */
public final class PostgresOnly {
  private PostgresOnly() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws IOException if reading a stored blob fails
   */
  public static void main(String[] args) throws IOException {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(env("MAILCORE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    pool.setUsername(env("MAILCORE_JDBC_USER", "postgres"));
    pool.setPassword(System.getenv("MAILCORE_JDBC_PASSWORD"));
    pool.setMaximumPoolSize(10);

    // The pool is the host's: mailcore never closes it, so it is closed last, here.
    try (HikariDataSource dataSource = new HikariDataSource(pool);
        PostgresMailStore store = PostgresMailStore.builder().dataSource(dataSource)
            .schema("mailcore").schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
        PostgresBlobStore blobs = PostgresBlobStore.builder().dataSource(dataSource)
            .schema("mailcore").build(); // the store's migration created the blob tables too
        MailCore mail = MailCore.builder().store(store).blobStore(blobs).build()) {
      Domain domain = mail.domains().byName("mail.acme.test")
          .orElseGet(() -> mail.domains().create("org_acme", "mail.acme.test"));
      Inbox support = mail.mailboxes().byAddress("support@mail.acme.test")
          .orElseGet(() -> mail.mailboxes().create(domain.id(),
              InboxSpec.of("support", "Acme Support")));
      System.out.println("Inbox " + support.id() + ": support@" + domain.name());

      ReceiveResult r = mail.mailboxes().receive(InboundMail.of(invoiceMail()));
      EmailMessage m = r.deliveries().get(0).message();
      System.out.println((r.deliveries().get(0).duplicate() ? "Already stored: " : "Stored: ")
          + m.subject() + " (raw blob " + r.rawStorageKey() + ")");

      for (EmailAttachment a : m.attachments()) {
        try (InputStream in = mail.messages().attachment(m.id(), a.id())) {
          System.out.println("  attachment " + a.filename() + " (" + a.contentType() + "): "
              + in.readAllBytes().length + " bytes read back from PostgreSQL");
        }
      }
      try (InputStream raw = mail.messages().raw(m.id())) {
        System.out.println("  raw message: " + raw.readAllBytes().length + " bytes");
      }
    }
  }

  private static byte[] invoiceMail() {
    byte[] pdf = "%PDF-1.7 a small invoice".getBytes(StandardCharsets.US_ASCII);
    return ("Message-ID: <invoice-1042@customer.example>\r\n"
        + "From: Ann Lee <ann@customer.example>\r\n"
        + "To: support@mail.acme.test\r\n"
        + "Subject: Invoice for order #1042\r\n"
        + "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"part\"\r\n\r\n"
        + "--part\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        + "The invoice is attached.\r\n"
        + "--part\r\nContent-Type: application/pdf\r\n"
        + "Content-Disposition: attachment; filename=\"invoice-1042.pdf\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n"
        + Base64.getMimeEncoder().encodeToString(pdf) + "\r\n--part--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
