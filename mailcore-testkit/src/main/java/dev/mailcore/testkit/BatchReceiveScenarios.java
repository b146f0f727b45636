package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailMessage;
import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.ThreadPlacement;
import dev.mailcore.testkit.OrderIndependenceScenarios.Generated;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code receiveAll} batch threads, dedupes and routes exactly as the same messages received
 * one by one (ADR 0008: the batch is threaded in order and written together). Generated
 * conversations arrive shuffled, so replies often share a batch with their parent or arrive
 * before it; the mix adds a subject-only reply, a message that merges two conversations, a
 * message for two inboxes, a duplicate inside a batch and one redelivered in a later batch.
 *
 * <p>Subclassed inside {@link MailCoreBehaviorContract}; not for direct use.
 */
public abstract class BatchReceiveScenarios {

  /** Creates the scenarios; subclasses are created by JUnit. */
  protected BatchReceiveScenarios() {}

  /**
   * Builds a testkit on a fresh, empty store of the store under test.
   *
   * @param builder the testkit settings the test wants
   * @return the testkit; the test closes it
   */
  protected abstract MailCoreTestkit newKit(MailCoreTestkit.Builder builder);

  private static final String A = "a@acme.test";
  private static final String B = "b@acme.test";

  /** The raw messages in the order they reach mailcore, and two that the merger links. */
  private record Arrivals(List<byte[]> raw, String linked1, String linked2) {}

  private static Arrivals arrivals() {
    List<Generated> all = OrderIndependenceScenarios.conversations(23, 14, 8);
    List<byte[]> out = new ArrayList<>();
    String subjectPeer = null;
    Map<Integer, String> firstDelivered = new TreeMap<>();
    for (Generated g : all) {
      if (!g.delivered()) {
        continue; // a missing ancestor: its replies still link through it
      }
      firstDelivered.putIfAbsent(g.conversation(), g.id());
      TestEmail e = OrderIndependenceScenarios.email(g, A);
      if (g.conversation() % 5 == 3) {
        e.cc(B); // routed to both inboxes: two rows in one batch
      }
      if (g.conversation() == 0 && g.parent() == null) {
        subjectPeer = "p" + g.id().hashCode() % 7 + "@people.example";
      }
      out.add(e.build().getBytes(StandardCharsets.UTF_8));
    }
    Random r = new Random(5);
    Collections.shuffle(out, r);
    // a reply with neither In-Reply-To nor References, late (after its thread began) and with
    // others before it in its batch: joins by subject and participant
    if (subjectPeer != null) {
      out.add(out.size() - 2, TestEmail.builder().messageId("<subject-only@gen.example>")
          .from(subjectPeer).to(A).subject("Re: Topic 0").build()
          .getBytes(StandardCharsets.UTF_8));
    }
    // names a message of two conversations: merges their threads
    out.add(out.size() / 2, TestEmail.builder().messageId("<merger@gen.example>")
        .from("m@people.example").to(A).subject("Re: both")
        .references(firstDelivered.get(1) + " " + firstDelivered.get(2)).build()
        .getBytes(StandardCharsets.UTF_8));
    // a duplicate right after the original, and one much later
    out.add(4, out.get(3));
    out.add(out.get(10));
    return new Arrivals(out, strip(firstDelivered.get(1)), strip(firstDelivered.get(2)));
  }

  private static String strip(String bracketed) {
    return bracketed.substring(1, bracketed.length() - 1);
  }

  /** What a store holds after the arrivals, in terms that do not depend on generated ids. */
  private record Outcome(Map<String, String> threadOf, Map<String, String> ruleOf,
      Map<String, Integer> threadSizes, List<Boolean> duplicates) {}

  private static Outcome outcome(MailCoreTestkit kit, List<ReceiveResult> results) {
    Map<String, String> threadOf = new TreeMap<>();
    Map<String, String> ruleOf = new TreeMap<>();
    Map<String, Integer> sizes = new TreeMap<>();
    for (String address : List.of(A, B)) {
      Inbox inbox = kit.inbox(address);
      for (EmailThread t : kit.mail().threads().list(inbox.id(), PageRequest.first(100))
          .items()) {
        List<EmailMessage> messages = kit.mail().threads().messages(t.id(), PageRequest.first(100))
            .items();
        // a thread is named by its smallest Message-ID, the same in every run
        String label = address + " " + messages.stream().map(m -> m.messageId().value())
            .min(String::compareTo).orElseThrow();
        sizes.put(label, t.messageCount());
        assertThat(messages).as("messages of %s", label).hasSize(t.messageCount());
        for (EmailMessage m : messages) {
          String key = address + " " + m.messageId().value();
          threadOf.put(key, label);
          ruleOf.put(key, kit.mail().threads().explain(m.id()).map(ThreadPlacement::rule)
              .map(Enum::name).orElse("none"));
        }
      }
    }
    List<Boolean> duplicates = new ArrayList<>();
    results.forEach(r -> r.deliveries().forEach(d -> duplicates.add(d.duplicate())));
    return new Outcome(threadOf, ruleOf, sizes, duplicates);
  }

  private MailCoreTestkit kitWithInboxes() {
    MailCoreTestkit kit = newKit(MailCoreTestkit.builder());
    kit.inbox(A);
    kit.inbox(B);
    return kit;
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 7, 100})
  void generatedArrivals_inBatches_threadDedupeAndRouteAsOneByOne(int batchSize) {
    Arrivals given = arrivals();
    List<byte[]> arrivals = given.raw();
    Outcome oneByOne;
    try (MailCoreTestkit kit = kitWithInboxes()) {
      List<ReceiveResult> results = new ArrayList<>();
      for (byte[] raw : arrivals) {
        results.add(kit.mail().mailboxes().receive(InboundMail.of(raw)));
      }
      oneByOne = outcome(kit, results);
    }
    Outcome batched;
    try (MailCoreTestkit kit = kitWithInboxes()) {
      List<ReceiveResult> results = new ArrayList<>();
      for (int from = 0; from < arrivals.size(); from += batchSize) {
        List<InboundMail> batch = arrivals.subList(from, Math.min(arrivals.size(),
            from + batchSize)).stream().map(raw -> InboundMail.of(raw)).toList();
        for (ReceiveOutcome o : kit.mail().mailboxes().receiveAll(batch)) {
          assertThat(o).isInstanceOf(ReceiveOutcome.Received.class);
          results.add(((ReceiveOutcome.Received) o).result());
        }
      }
      batched = outcome(kit, results);
    }

    // the mix did what it is for, so the comparison covers it
    assertThat(oneByOne.ruleOf()).containsEntry(A + " subject-only@gen.example", "SUBJECT");
    assertThat(oneByOne.ruleOf().values()).contains("IN_REPLY_TO", "NEW_THREAD",
        "NAMED_BY_STORED", "SHARED_MISSING_ANCESTOR");
    assertThat(oneByOne.threadOf().get(A + " " + given.linked1())).isNotNull()
        .isEqualTo(oneByOne.threadOf().get(A + " " + given.linked2()));
    assertThat(oneByOne.duplicates().stream().filter(d -> d).count()).isGreaterThanOrEqualTo(2);
    assertThat(oneByOne.threadOf().keySet()).anyMatch(k -> k.startsWith(B));

    assertThat(batched.threadOf()).isEqualTo(oneByOne.threadOf());
    assertThat(batched.threadSizes()).isEqualTo(oneByOne.threadSizes());
    assertThat(batched.ruleOf()).isEqualTo(oneByOne.ruleOf());
    assertThat(batched.duplicates()).isEqualTo(oneByOne.duplicates());
  }
}
