package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.Inbox;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveResult;
import dev.mailcore.ThreadId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Threading of conversations as real clients write them: Outlook (Thread-Index, {@code RE:},
 * German {@code AW:}), Gmail (growing References chains), Apple Mail, a mailing list with a
 * subject tag and List-Id, and the ways headers get broken on the way. Every message is written
 * here with the headers those clients send.
 */
public abstract class ClientThreadingScenarios {
  private static final String SUPPORT = "support@acme.test";

  private MailCoreTestkit kit;
  private Inbox support;

  /** Creates the suite; subclasses are created by JUnit. */
  protected ClientThreadingScenarios() {}

  /**
   * Builds a testkit on a fresh, empty store of the store under test.
   *
   * @param builder the testkit settings the test wants (clock, limits, window)
   * @return the testkit; the test closes it
   */
  protected abstract MailCoreTestkit newKit(MailCoreTestkit.Builder builder);

  @BeforeEach
  void start() {
    kit = newKit(MailCoreTestkit.builder());
    support = kit.inbox(SUPPORT);
  }

  @AfterEach
  void stop() {
    try {
      replayInOtherOrders();
    } finally {
      kit.close();
    }
  }

  /** What each test received through {@link #receive}, in order. */
  private final List<String> texts = new ArrayList<>();
  private final List<EmailMessage> stored = new ArrayList<>();

  /** Receives a message written with LF line ends (turned into CRLF), envelope support@. */
  private EmailMessage receive(String text) {
    kit.clock().advance(Duration.ofMinutes(7));
    ReceiveResult r = kit.receive(text.replace("\n", "\r\n"), SUPPORT);
    assertThat(r.deliveries()).hasSize(1);
    assertThat(r.deliveries().get(0).duplicate()).isFalse();
    texts.add(text);
    stored.add(r.deliveries().get(0).message());
    return r.deliveries().get(0).message();
  }

  /**
   * After every scenario (ADR 0003, order independence): the same messages received in reverse
   * order and in seeded shuffles group their header-linked messages (those with In-Reply-To or
   * References, and those such headers name) exactly as the scenario's own order did. Messages
   * placed by subject may differ: a header-less reply that arrives before its thread starts one.
   */
  private void replayInOtherOrders() {
    if (stored.size() < 2) {
      return;
    }
    Set<String> linked = new HashSet<>();
    for (EmailMessage m : stored) {
      List<String> links = new ArrayList<>();
      m.inReplyTo().ifPresent(x -> links.add(x.value()));
      m.references().forEach(x -> links.add(x.value()));
      if (!links.isEmpty()) {
        linked.add(m.messageId().value());
        linked.addAll(links);
      }
    }
    Map<String, ThreadId> original = groupingNow(kit, stored);
    List<List<Integer>> orders = new ArrayList<>();
    List<Integer> reverse = new ArrayList<>();
    for (int i = stored.size() - 1; i >= 0; i--) {
      reverse.add(i);
    }
    orders.add(reverse);
    for (int seed = 1; seed <= 3; seed++) {
      List<Integer> shuffled = new ArrayList<>(reverse);
      Collections.shuffle(shuffled, new Random(seed));
      orders.add(shuffled);
    }
    for (List<Integer> order : orders) {
      try (MailCoreTestkit other = newKit(MailCoreTestkit.builder())) {
        other.inbox(SUPPORT);
        List<EmailMessage> again = new ArrayList<>();
        for (int i : order) {
          other.clock().advance(Duration.ofMinutes(7));
          again.add(other.receive(texts.get(i).replace("\n", "\r\n"), SUPPORT).deliveries()
              .get(0).message());
        }
        Map<String, ThreadId> replayed = groupingNow(other, again);
        for (String x : original.keySet()) {
          for (String y : original.keySet()) {
            if (linked.contains(x) && linked.contains(y)) {
              assertThat(replayed.get(x).equals(replayed.get(y)))
                  .as("%s and %s together, arrival order %s", x, y, order)
                  .isEqualTo(original.get(x).equals(original.get(y)));
            }
          }
        }
      }
    }
  }

  /** Message-ID to the thread its message is in now (later merges included). */
  private static Map<String, ThreadId> groupingNow(MailCoreTestkit k, List<EmailMessage> ms) {
    Map<String, ThreadId> out = new HashMap<>();
    for (EmailMessage m : ms) {
      out.put(m.messageId().value(), k.mail().messages().get(m.id()).orElseThrow().threadId());
    }
    return out;
  }

  private List<EmailThread> threads() {
    return kit.mail().threads().list(support.id(), PageRequest.first(100)).items();
  }

  private List<EmailMessage> messages(ThreadId id) {
    return kit.mail().threads().messages(id, PageRequest.first(100)).items();
  }

  @Test
  void outlookConversation_reAndGermanAw_staysOneThread() {
    EmailMessage original = receive("""
        Received: from mail-wm1-f54.google.com (mail-wm1-f54.google.com [209.85.128.54])
        \tby inbound-smtp.eu-west-1.amazonaws.com with SMTP id 4k2p9s
        \tfor support@acme.test; Mon, 05 Jan 2026 08:58:12 +0000 (UTC)
        MIME-Version: 1.0
        From: Jonas Weber <jonas.weber@kunde.example>
        Date: Mon, 5 Jan 2026 09:58:03 +0100
        Message-ID: <CAF7x2s0Yq+2hQ9rW=Kx8dE1wq@mail.gmail.com>
        Subject: Invoice INV-2026-0042 is wrong
        To: support@acme.test
        Content-Type: text/plain; charset="UTF-8"

        Hello, the VAT on INV-2026-0042 is 19%, it should be 7%.
        """);
    EmailMessage outlookReply = receive("""
        From: "Weber, Jonas" <jonas.weber@kunde.example>
        To: "support@acme.test" <support@acme.test>
        CC: "Buchhaltung" <buchhaltung@kunde.example>
        Subject: RE: Invoice INV-2026-0042 is wrong
        Thread-Topic: Invoice INV-2026-0042 is wrong
        Thread-Index: AQHcXk1gZ3B2l0G8S0a9zJ6Gv7q2MLT6W5mA
        Date: Mon, 5 Jan 2026 10:15:44 +0000
        Message-ID: <AM9PR07MB7219C2B0E1D3F3A4B5C6D7E8F9A0B1C2D3E4@AM9PR07MB7219.eurprd07.prod.outlook.com>
        References: <CAF7x2s0Yq+2hQ9rW=Kx8dE1wq@mail.gmail.com>
        In-Reply-To: <CAF7x2s0Yq+2hQ9rW=Kx8dE1wq@mail.gmail.com>
        Accept-Language: de-DE, en-US
        Content-Language: de-DE
        X-MS-Has-Attach:
        X-MS-TNEF-Correlator:
        Content-Type: text/plain; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable
        MIME-Version: 1.0

        Adding our accounting team. Gr=FC=DFe, Jonas
        """);
    // German Outlook: "AW:" and a reply that, as Exchange sometimes does for replies written
    // from a shared mailbox, carries only Thread-Index, no In-Reply-To or References.
    EmailMessage germanReply = receive("""
        From: Buchhaltung <buchhaltung@kunde.example>
        To: "support@acme.test" <support@acme.test>
        CC: "Weber, Jonas" <jonas.weber@kunde.example>
        Subject: AW: RE: Invoice INV-2026-0042 is wrong
        Thread-Topic: Invoice INV-2026-0042 is wrong
        Thread-Index: AQHcXk1gZ3B2l0G8S0a9zJ6Gv7q2MLT6W5mAgAAB3xA=
        Date: Mon, 5 Jan 2026 11:02:10 +0000
        Message-ID: <DB8PR03MB5865A1B2C3D4E5F6A7B8C9D0E1F2A3B4@DB8PR03MB5865.eurprd03.prod.outlook.com>
        Content-Type: text/plain; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable
        MIME-Version: 1.0

        Bitte korrigieren. Mit freundlichen Gr=FC=DFen
        """);

    assertThat(outlookReply.threadId()).isEqualTo(original.threadId());
    assertThat(germanReply.threadId()).isEqualTo(original.threadId());
    assertThat(germanReply.subject()).isEqualTo("AW: RE: Invoice INV-2026-0042 is wrong");
    assertThat(outlookReply.cc()).extracting(a -> a.address())
        .containsExactly("buchhaltung@kunde.example");
    assertThat(threads()).singleElement().satisfies(t -> {
      assertThat(t.subject()).isEqualTo("Invoice INV-2026-0042 is wrong");
      assertThat(t.messageCount()).isEqualTo(3);
    });
  }

  @Test
  void gmailReferencesChain_fourMessages_oneThreadInDateOrder() {
    EmailMessage a = receive("""
        MIME-Version: 1.0
        Date: Tue, 6 Jan 2026 14:02:11 +0000
        Message-ID: <CAJd8=xQ1root@mail.gmail.com>
        Subject: Webhook retries after deploy
        From: Priya Nair <priya@shop.example>
        To: support@acme.test
        Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

        --000000000000a1b2c3d4e5f60718
        Content-Type: text/plain; charset="UTF-8"

        Since yesterday's deploy every webhook is retried three times.

        --000000000000a1b2c3d4e5f60718
        Content-Type: text/html; charset="UTF-8"

        <div dir="ltr">Since yesterday&#39;s deploy every webhook is retried three times.</div>

        --000000000000a1b2c3d4e5f60718--
        """);
    EmailMessage b = receive("""
        MIME-Version: 1.0
        References: <CAJd8=xQ1root@mail.gmail.com>
        In-Reply-To: <CAJd8=xQ1root@mail.gmail.com>
        From: Tom Berg <tom@shop.example>
        Date: Tue, 6 Jan 2026 15:40:00 +0000
        Message-ID: <CAK9s2second@mail.gmail.com>
        Subject: Re: Webhook retries after deploy
        To: Priya Nair <priya@shop.example>
        Cc: support@acme.test
        Content-Type: text/plain; charset="UTF-8"

        Same here, our endpoint answers 200 within 80 ms.
        """);
    EmailMessage c = receive("""
        MIME-Version: 1.0
        References: <CAJd8=xQ1root@mail.gmail.com>
         <CAK9s2second@mail.gmail.com>
        In-Reply-To: <CAK9s2second@mail.gmail.com>
        From: Priya Nair <priya@shop.example>
        Date: Tue, 6 Jan 2026 16:05:30 +0000
        Message-ID: <CAJd8=xQ3third@mail.gmail.com>
        Subject: Re: Webhook retries after deploy
        To: Tom Berg <tom@shop.example>
        Cc: support@acme.test
        Content-Type: text/plain; charset="UTF-8"

        Logs attached in the next mail.
        """);
    EmailMessage d = receive("""
        MIME-Version: 1.0
        References: <CAJd8=xQ1root@mail.gmail.com> <CAK9s2second@mail.gmail.com>
        \t<CAJd8=xQ3third@mail.gmail.com>
        In-Reply-To: <CAJd8=xQ3third@mail.gmail.com>
        From: Priya Nair <priya@shop.example>
        Date: Tue, 6 Jan 2026 16:07:02 +0000
        Message-ID: <CAJd8=xQ4fourth@mail.gmail.com>
        Subject: Re: Webhook retries after deploy
        To: Tom Berg <tom@shop.example>, support@acme.test
        Content-Type: text/plain; charset="UTF-8"

        Here they are.
        """);

    assertThat(List.of(b, c, d)).extracting(EmailMessage::threadId)
        .containsOnly(a.threadId());
    assertThat(d.references()).extracting(m -> m.value()).containsExactly(
        "CAJd8=xQ1root@mail.gmail.com", "CAK9s2second@mail.gmail.com",
        "CAJd8=xQ3third@mail.gmail.com");
    assertThat(a.bodyHtml()).hasValueSatisfying(h -> assertThat(h).contains("dir=\"ltr\""));
    assertThat(messages(a.threadId())).extracting(EmailMessage::id)
        .containsExactly(a.id(), b.id(), c.id(), d.id());
    assertThat(threads()).singleElement()
        .satisfies(t -> assertThat(t.messageCount()).isEqualTo(4));
  }

  @Test
  void appleMailReply_withQuotedPrintableHtml_joinsThread() {
    EmailMessage first = receive("""
        From: Claire Martin <claire@studio.example>
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable
        Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.300.61.1.2\\))
        Subject: Export to PDF crops the last page
        Message-Id: <5B8E1C7A-3F0D-4E2B-9A61-0C2D7F4E8B19@studio.example>
        Date: Wed, 7 Jan 2026 18:21:09 +0100
        To: support@acme.test
        X-Mailer: Apple Mail (2.3774.300.61.1.2)

        Hi, since the last update the export crops the last page =E2=80=94 see =
        attached.
        """);
    EmailMessage reply = receive("""
        From: Claire Martin <claire@studio.example>
        Content-Type: multipart/alternative;
        \tboundary="Apple-Mail=_9F4C2E61-7B3A-4F0D-8E21-5D6C7B8A9F01"
        Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.300.61.1.2\\))
        Subject: Re: Export to PDF crops the last page
        Date: Thu, 8 Jan 2026 08:02:44 +0100
        References: <5B8E1C7A-3F0D-4E2B-9A61-0C2D7F4E8B19@studio.example>
        To: support@acme.test
        In-Reply-To: <5B8E1C7A-3F0D-4E2B-9A61-0C2D7F4E8B19@studio.example>
        Message-Id: <E2A7D9C4-6B1F-4C3E-8D20-7F9A1B2C3D4E@studio.example>
        X-Mailer: Apple Mail (2.3774.300.61.1.2)


        --Apple-Mail=_9F4C2E61-7B3A-4F0D-8E21-5D6C7B8A9F01
        Content-Transfer-Encoding: quoted-printable
        Content-Type: text/plain;
        \tcharset=utf-8

        Forgot to say: it only happens with A5.

        --Apple-Mail=_9F4C2E61-7B3A-4F0D-8E21-5D6C7B8A9F01
        Content-Transfer-Encoding: quoted-printable
        Content-Type: text/html;
        \tcharset=utf-8

        <html><head><meta http-equiv=3D"content-type" content=3D"text/html; =
        charset=3Dutf-8"></head><body>Forgot to say: it only happens with =
        A5.</body></html>
        --Apple-Mail=_9F4C2E61-7B3A-4F0D-8E21-5D6C7B8A9F01--
        """);

    assertThat(reply.threadId()).isEqualTo(first.threadId());
    assertThat(first.bodyText()).hasValueSatisfying(t -> assertThat(t).contains("page \u2014 see"));
    assertThat(reply.bodyHtml()).hasValueSatisfying(
        h -> assertThat(h).contains("only happens with A5.</body>"));
    assertThat(threads()).hasSize(1);
  }

  @Test
  void mailingList_tagAndListId_repliesAndDigestReplyJoin_otherListTopicDoesNot() {
    Inbox list = kit.inbox("dev-list@acme.test");
    String listHeaders = """
        List-Id: Acme developers <acme-dev.lists.acme-oss.example>
        List-Unsubscribe: <mailto:acme-dev-leave@lists.acme-oss.example>
        List-Post: <mailto:acme-dev@lists.acme-oss.example>
        Precedence: list
        Sender: acme-dev <acme-dev-bounces@lists.acme-oss.example>
        Reply-To: acme-dev@lists.acme-oss.example
        """;
    EmailMessage post = receiveInto(list, """
        From: Ann Lee via acme-dev <acme-dev@lists.acme-oss.example>
        To: acme-dev@lists.acme-oss.example
        Subject: [acme-dev] Release 2.0 planning
        Date: Fri, 9 Jan 2026 10:00:00 +0000
        Message-ID: <release-2.0@ann.example>
        """ + listHeaders + """

        Let's cut 2.0 on the 20th.
        """);
    EmailMessage reply = receiveInto(list, """
        From: Bob Stone <bob@stone.example>
        To: acme-dev@lists.acme-oss.example
        Subject: Re: [acme-dev] Release 2.0 planning
        Date: Fri, 9 Jan 2026 11:30:00 +0000
        Message-ID: <87zg9x1k2q.fsf@stone.example>
        In-Reply-To: <release-2.0@ann.example>
        References: <release-2.0@ann.example>
        """ + listHeaders + """

        +1, but the migration guide must land first.
        """);
    // A digest subscriber answers from the digest: no In-Reply-To/References, and the client
    // put the tag after Re:. The list address is the shared participant.
    EmailMessage digestReply = receiveInto(list, """
        From: Carol Diaz <carol@diaz.example>
        To: acme-dev@lists.acme-oss.example
        Subject: Re: [acme-dev] Release 2.0 planning
        Date: Sat, 10 Jan 2026 07:45:00 +0000
        Message-ID: <digest-reply-1@diaz.example>
        """ + listHeaders + """

        > Let's cut 2.0 on the 20th.
        Works for me.
        """);
    EmailMessage otherTopic = receiveInto(list, """
        From: Dan Ito via acme-dev <acme-dev@lists.acme-oss.example>
        To: acme-dev@lists.acme-oss.example
        Subject: [acme-dev] CI is red on main
        Date: Sat, 10 Jan 2026 09:00:00 +0000
        Message-ID: <ci-red@ito.example>
        """ + listHeaders + """

        Since this morning.
        """);

    assertThat(reply.threadId()).isEqualTo(post.threadId());
    assertThat(digestReply.threadId()).isEqualTo(post.threadId());
    assertThat(otherTopic.threadId()).isNotEqualTo(post.threadId());
    List<EmailThread> threads = kit.mail().threads().list(list.id(), PageRequest.first()).items();
    assertThat(threads).extracting(EmailThread::subject)
        .containsExactly("CI is red on main", "Release 2.0 planning");
    assertThat(threads.get(1).messageCount()).isEqualTo(3);
  }

  private EmailMessage receiveInto(Inbox inbox, String text) {
    kit.clock().advance(Duration.ofMinutes(7));
    ReceiveResult r = kit.receive(text.replace("\n", "\r\n"), inbox.localPart() + "@acme.test");
    assertThat(r.deliveries()).hasSize(1);
    return r.deliveries().get(0).message();
  }

  @Test
  void brokenReferences_garbageMissingBracketsAndTruncation_stillThread() {
    EmailMessage root = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: Password reset mail never arrives
        Date: Mon, 12 Jan 2026 09:00:00 +0000
        Message-ID: <root-1@example.com>

        Tried three times.
        """);
    EmailMessage second = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: still nothing
        Date: Mon, 12 Jan 2026 10:00:00 +0000
        Message-ID: <second-1@example.com>
        In-Reply-To: <root-1@example.com>

        Still nothing.
        """);
    // garbage around one valid id, and a broken In-Reply-To
    EmailMessage garbage = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: any update
        Date: Mon, 12 Jan 2026 11:00:00 +0000
        Message-ID: <garbage-1@example.com>
        In-Reply-To: this is not a message id
        References: <> <<broken <second-1@example.com> (sent from my phone) ,,, <

        Any update?
        """);
    // ids without angle brackets, separated by commas (some webmailers)
    EmailMessage noBrackets = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: hello?
        Date: Mon, 12 Jan 2026 12:00:00 +0000
        Message-ID: <nobrackets-1@example.com>
        References: root-1@example.com, garbage-1@example.com

        Hello?
        """);
    // References cut in the middle of the last id by a relay's line limit, no In-Reply-To:
    // the intact ids still name the thread
    EmailMessage truncated = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: final try
        Date: Mon, 12 Jan 2026 13:00:00 +0000
        Message-ID: <truncated-1@example.com>
        References: <root-1@example.com> <second-1@example.com> <nobrackets-1@exa

        Final try.
        """);
    // middle of the chain dropped (RFC 5322 allows it), newest entry unknown
    EmailMessage trimmed = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: last one
        Date: Mon, 12 Jan 2026 14:00:00 +0000
        Message-ID: <trimmed-1@example.com>
        References: <root-1@example.com> <lost-in-transit@example.com>

        Last one.
        """);

    assertThat(List.of(second, garbage, noBrackets, truncated, trimmed))
        .extracting(EmailMessage::threadId).containsOnly(root.threadId());
    assertThat(garbage.inReplyTo()).isEmpty();
    assertThat(garbage.references()).extracting(m -> m.value()).contains("second-1@example.com");
    assertThat(threads()).singleElement()
        .satisfies(t -> assertThat(t.messageCount()).isEqualTo(6));
  }

  @Test
  void onlyInReplyTo_includingRfc822CommentForm_joinsParent() {
    EmailMessage root = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: Two-factor codes expire too fast
        Date: Tue, 13 Jan 2026 09:00:00 +0000
        Message-ID: <2fa-root@example.com>

        They expire before the SMS arrives.
        """);
    EmailMessage plain = receive("""
        From: Bob Stone <bob@stone.example>
        To: support@acme.test
        Subject: Re: Two-factor codes expire too fast
        Date: Tue, 13 Jan 2026 10:00:00 +0000
        Message-ID: <2fa-bob@stone.example>
        In-Reply-To: <2fa-root@example.com>

        Same for us.
        """);
    EmailMessage oldStyle = receive("""
        From: Carol Diaz <carol@diaz.example>
        To: support@acme.test
        Subject: Two-factor codes
        Date: Tue, 13 Jan 2026 11:00:00 +0000
        Message-ID: <2fa-carol@diaz.example>
        In-Reply-To: <2fa-bob@stone.example> (Bob Stone's message of "Tue, 13 Jan 2026
         10:00:00 +0000")

        And here.
        """);
    EmailMessage quotedForm = receive("""
        From: Dan Ito <dan@ito.example>
        To: support@acme.test
        Subject: codes
        Date: Tue, 13 Jan 2026 12:00:00 +0000
        Message-ID: <2fa-dan@ito.example>
        In-Reply-To: "Your message of Tue, 13 Jan 2026 11:00:00 +0000"
         <2fa-carol@diaz.example>

        Also here.
        """);

    assertThat(List.of(plain, oldStyle, quotedForm)).extracting(EmailMessage::threadId)
        .containsOnly(root.threadId());
    assertThat(oldStyle.inReplyTo()).hasValueSatisfying(
        m -> assertThat(m.value()).isEqualTo("2fa-bob@stone.example"));
  }

  @Test
  void clientDroppingBothHeaders_keepsRe_joinsOnlyWithSharedParticipant() {
    EmailMessage root = receive("""
        From: Ann Lee <ann@example.com>
        To: support@acme.test
        Subject: Cannot upload avatars
        Date: Wed, 14 Jan 2026 09:00:00 +0000
        Message-ID: <avatar-root@example.com>

        Upload spins forever.
        """);
    EmailMessage sameSender = receive("""
        From: "Ann Lee" <ANN@example.com>
        To: support@acme.test
        Subject: Re: Cannot upload avatars
        Date: Wed, 14 Jan 2026 15:00:00 +0000
        Message-ID: <avatar-ann-2@example.com>

        Any news? (sent from a client that drops In-Reply-To)
        """);
    EmailMessage stranger = receive("""
        From: Eve Black <eve@black.example>
        To: support@acme.test
        Subject: Re: Cannot upload avatars
        Date: Wed, 14 Jan 2026 16:00:00 +0000
        Message-ID: <avatar-eve@black.example>

        Me too, but I am a different customer.
        """);

    assertThat(sameSender.threadId()).isEqualTo(root.threadId());
    assertThat(stranger.threadId()).isNotEqualTo(root.threadId());
    assertThat(threads()).hasSize(2);
  }

  @Test
  void encodedSubjects_areDecodedBeforeSubjectMatching() {
    EmailMessage root = receive("""
        From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@beispiel.example>
        To: support@acme.test
        Subject: =?UTF-8?Q?Bestellung_Nr._42_=E2=80=93_Lieferung_fehlt?=
        Date: Thu, 15 Jan 2026 09:00:00 +0100
        Message-ID: <bestellung-42@beispiel.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8

        Die Lieferung fehlt.
        """);
    EmailMessage reply = receive("""
        From: =?iso-8859-1?Q?J=FCrgen_M=FCller?= <juergen@beispiel.example>
        To: support@acme.test
        Subject: =?iso-8859-1?Q?AW:_Bestellung_Nr._42_?= =?UTF-8?Q?=E2=80=93_Lieferung_fehlt?=
        Date: Fri, 16 Jan 2026 09:00:00 +0100
        Message-ID: <bestellung-42-aw@beispiel.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8

        Immer noch nichts.
        """);

    assertThat(root.subject()).isEqualTo("Bestellung Nr. 42 \u2013 Lieferung fehlt");
    assertThat(reply.threadId()).isEqualTo(root.threadId());
    assertThat(root.from().name()).contains("J\u00fcrgen M\u00fcller");
  }
}
