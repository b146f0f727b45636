package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Domain;
import dev.mailcore.InboundMail;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.MalformedMessageException;
import dev.mailcore.ReceiveResult;
import dev.mailcore.testkit.InMemoryBlobStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whatever the parser accepts, PostgreSQL stores. Realistic messages are mutated (control bytes
 * and NUL, 8-bit bytes, encoded-word NUL, MIME specials, long runs, cut and duplicated slices)
 * with a fixed seed and received on a real database: each must be either stored or refused as
 * {@link MalformedMessageException}, never fail in the store. Three such messages failed before
 * (NUL in a body or a Content-ID, a Date in year 300000, a 20 KB subject in an index).
 */
class MutatedMailStorabilityTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  // -Dmailcore.mutations=N for a longer hunt; 400 keeps the suite quick
  private static final int MESSAGES = Integer.getInteger("mailcore.mutations", 400);
  private static final String SUPPORT = "support@mutate.test";

  private PostgresMailStore store;
  private MailCore mail;

  @BeforeEach
  void open() {
    store = DB.emptyStore();
    mail = MailCore.builder().store(store).blobStore(new InMemoryBlobStore()).build();
    Domain d = mail.domains().create("org-mutate", "mutate.test");
    mail.mailboxes().create(d.id(), InboxSpec.of("support", "Support"));
  }

  @AfterEach
  void close() {
    mail.close();
    store.close();
  }

  @Test
  void everyMutatedMessage_isStoredOrRefusedAsMalformed_neverFailsInTheStore() {
    SplittableRandom rnd = new SplittableRandom(Long.getLong("mailcore.mutations.seed", 20261123));
    List<byte[]> seeds = seeds();
    int stored = 0;
    int malformed = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      byte[] raw = mutate(seeds.get(i % seeds.size()), rnd, 1 + rnd.nextInt(5));
      try {
        ReceiveResult r = mail.mailboxes().receive(InboundMail.of(raw, SUPPORT));
        stored += r.deliveries().size();
      } catch (MalformedMessageException e) {
        malformed++;
      } catch (RuntimeException e) {
        failures.add("message " + i + ": " + e);
      }
    }
    assertThat(failures).as("store failures").isEmpty();
    // the mutations must leave most messages parseable, or the test would prove little
    assertThat(stored).as("stored (malformed: %d)", malformed).isGreaterThan(MESSAGES / 2);
  }

  private static List<byte[]> seeds() {
    String common = "From: \"Ann =?utf-8?Q?M=C3=BCller?=\" <ann@example.org>\r\n"
        + "To: Support <" + SUPPORT + ">\r\nCc: bob@example.org\r\n"
        + "Subject: =?utf-8?B?T3JkZXIgw7w=?= status\r\n"
        + "Date: Mon, 5 Jan 2026 09:00:00 +0100\r\n"
        + "In-Reply-To: <parent@example.org>\r\n"
        + "References: <root@example.org> <parent@example.org>\r\n"
        + "MIME-Version: 1.0\r\n";
    String alternative = common + "Message-ID: <alt@example.org>\r\n"
        + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
        + "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe, where is it?\r\n"
        + "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Where is it?</p>\r\n"
        + "--alt--\r\n";
    String mixed = common + "Message-ID: <mixed@example.org>\r\n"
        + "Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n"
        + "--mix\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        + "--mix\r\nContent-Type: application/pdf; name=\"=?utf-8?Q?Rechnung_M=C3=A4rz.pdf?=\"\r\n"
        + "Content-Disposition: attachment; filename*=utf-8''Rechnung%20M%C3%A4rz.pdf\r\n"
        + "Content-ID: <inv@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "JVBERi0xLjQKJcfsj6IK\r\n--mix--\r\n";
    String plain = "From: c@example.org\r\nTo: " + SUPPORT + "\r\nSubject: Re: plain\r\n"
        + "Message-ID: <plain@example.org>\r\n\r\nJust text.\r\n";
    return List.of(alternative.getBytes(StandardCharsets.UTF_8),
        mixed.getBytes(StandardCharsets.UTF_8), plain.getBytes(StandardCharsets.UTF_8));
  }

  private static final byte[] SPECIALS = {0x00, 0x01, 0x08, 0x0b, 0x1b, 0x7f, (byte) 0x80,
      (byte) 0xc3, (byte) 0xff, '\r', '\n', '=', '?', '<', '>', '"', ';', ':', '\\', '%', '*'};

  /** Applies {@code count} random mutations; positions favour the header block. */
  private static byte[] mutate(byte[] seed, SplittableRandom rnd, int count) {
    byte[] b = seed;
    for (int k = 0; k < count; k++) {
      int headerEnd = Math.max(1, indexOf(b, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      int at = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : rnd.nextInt(headerEnd);
      switch (rnd.nextInt(6)) {
        case 0 -> b = insert(b, at, new byte[] {SPECIALS[rnd.nextInt(SPECIALS.length)]});
        case 1 -> {
          b = b.clone();
          b[at] = SPECIALS[rnd.nextInt(SPECIALS.length)];
        }
        case 2 -> b = insert(b, at, "=?utf-8?Q?x=00y?=".getBytes(StandardCharsets.US_ASCII));
        case 3 -> {
          StringBuilder run = new StringBuilder();
          int n = 1_000 + rnd.nextInt(8_000);
          for (int i = 0; i < n; i++) {
            run.append((char) ('a' + rnd.nextInt(26)));
          }
          b = insert(b, at, run.toString().getBytes(StandardCharsets.US_ASCII));
        }
        case 4 -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(40));
          byte[] cut = new byte[b.length - len];
          System.arraycopy(b, 0, cut, 0, at);
          System.arraycopy(b, at + len, cut, at, b.length - at - len);
          b = cut.length == 0 ? b : cut;
        }
        default -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(80));
          byte[] slice = new byte[len];
          System.arraycopy(b, at, slice, 0, len);
          b = insert(b, rnd.nextInt(b.length), slice);
        }
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
    out.write(b, 0, at);
    out.write(what, 0, what.length);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
