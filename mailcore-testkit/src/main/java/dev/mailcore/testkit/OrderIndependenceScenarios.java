package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Threading as a property of the messages, not of their arrival order (ADR 0003): generated
 * conversations with missing and late parents, truncated References and In-Reply-To-only
 * replies, received in date order, in reverse order, in seeded shuffles and concurrently, always
 * group exactly as the connected components of their header links (JWZ's grouping, ghosts
 * included, no subjects).
 */
public abstract class OrderIndependenceScenarios {

  /** Creates the suite; subclasses are created by JUnit. */
  protected OrderIndependenceScenarios() {}

  /**
   * Builds a testkit on a fresh, empty store of the store under test.
   *
   * @param builder the testkit settings the test wants
   * @return the testkit; the test closes it
   */
  protected abstract MailCoreTestkit newKit(MailCoreTestkit.Builder builder);

  /** One generated message: its id, its links, and whether it is ever delivered. */
  record Generated(String id, String parent, List<String> references, boolean delivered,
      int conversation) {}

  /**
   * Conversations of random tree shapes. About one message in six is never delivered (roots
   * included); a third of replies carry only In-Reply-To, a third a References chain cut to
   * the root and the three newest ids (as RFC 5322 clients trim it).
   */
  static List<Generated> conversations(long seed, int conversations, int maxSize) {
    Random r = new Random(seed);
    List<Generated> out = new ArrayList<>();
    for (int c = 0; c < conversations; c++) {
      int size = 1 + r.nextInt(maxSize);
      List<Generated> conv = new ArrayList<>();
      Map<String, List<String>> chain = new HashMap<>();
      for (int i = 0; i < size; i++) {
        String id = "<c" + c + "m" + i + "." + seed + "@gen.example>";
        if (i == 0) {
          conv.add(new Generated(id, null, List.of(), r.nextInt(6) != 0, c));
          chain.put(id, List.of(id));
          continue;
        }
        Generated parent = conv.get(r.nextInt(conv.size()));
        List<String> ancestors = chain.get(parent.id());
        List<String> refs = switch (r.nextInt(3)) {
          case 0 -> List.of();
          case 1 -> ancestors.size() <= 4 ? ancestors : trimmed(ancestors);
          default -> ancestors;
        };
        conv.add(new Generated(id, parent.id(), refs, r.nextInt(6) != 0, c));
        List<String> mine = new ArrayList<>(ancestors);
        mine.add(id);
        chain.put(id, mine);
      }
      out.addAll(conv);
    }
    return out;
  }

  private static List<String> trimmed(List<String> ancestors) {
    List<String> t = new ArrayList<>();
    t.add(ancestors.get(0));
    t.addAll(ancestors.subList(ancestors.size() - 3, ancestors.size()));
    return t;
  }

  /** The expected grouping: connected components over message ids and the ids they name. */
  static Map<String, String> components(List<Generated> delivered) {
    Map<String, String> parent = new HashMap<>();
    for (Generated g : delivered) {
      union(parent, g.id(), g.id());
      if (g.parent() != null) {
        union(parent, g.id(), g.parent());
      }
      g.references().forEach(ref -> union(parent, g.id(), ref));
    }
    Map<String, String> out = new LinkedHashMap<>();
    delivered.forEach(g -> out.put(g.id(), find(parent, g.id())));
    return out;
  }

  private static String find(Map<String, String> parent, String x) {
    parent.putIfAbsent(x, x);
    String p = parent.get(x);
    if (p.equals(x)) {
      return x;
    }
    String root = find(parent, p);
    parent.put(x, root);
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) {
      parent.put(ra, rb);
    }
  }

  static TestEmail email(Generated g, String to) {
    TestEmail e = TestEmail.builder().messageId(g.id()).to(to)
        .from("p" + g.id().hashCode() % 7 + "@people.example")
        .subject(g.parent() == null ? "Topic " + g.conversation() : "Re: Topic " + g.conversation());
    if (g.parent() != null) {
      e.inReplyTo(g.parent());
    }
    if (!g.references().isEmpty()) {
      e.references(String.join(" ", g.references()));
    }
    return e;
  }

  /** Delivers in the given order; returns each message's thread once all have arrived. */
  private static Map<String, ThreadId> deliver(MailCoreTestkit kit, Inbox inbox,
      List<Generated> order, String to) {
    Map<String, UUID> stored = new LinkedHashMap<>();
    for (Generated g : order) {
      kit.clock().advance(Duration.ofSeconds(30));
      ReceiveResult r = kit.receive(email(g, to).date(kit.clock().instant()).build());
      stored.put(g.id(), r.deliveries().get(0).message().id());
    }
    return threadsNow(kit, stored);
  }

  private static Map<String, ThreadId> threadsNow(MailCoreTestkit kit, Map<String, UUID> stored) {
    Map<String, ThreadId> out = new LinkedHashMap<>();
    stored.forEach((id, uuid) -> out.put(id,
        kit.mail().messages().get(uuid).orElseThrow().threadId()));
    return out;
  }

  /** The mailcore grouping equals the expected one, counts and listing included. */
  private static void assertGrouping(MailCoreTestkit kit, Inbox inbox,
      Map<String, ThreadId> actual, Map<String, String> expected) {
    Map<String, Set<String>> want = group(expected);
    Map<ThreadId, Set<String>> got = new HashMap<>();
    actual.forEach((id, t) -> got.computeIfAbsent(t, k -> new HashSet<>()).add(id));
    assertThat(Set.copyOf(got.values())).isEqualTo(Set.copyOf(want.values()));
    List<EmailThread> listed = kit.mail().threads().list(inbox.id(), PageRequest.first(100))
        .items();
    assertThat(listed).extracting(EmailThread::id).containsExactlyInAnyOrderElementsOf(
        got.keySet());
    for (EmailThread t : listed) {
      assertThat(t.messageCount()).as("count of %s", t.id()).isEqualTo(got.get(t.id()).size());
    }
  }

  private static <K> Map<K, Set<String>> group(Map<String, K> of) {
    return of.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
        Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
  }

  private static List<Generated> delivered(List<Generated> all) {
    return all.stream().filter(Generated::delivered).toList();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void generatedConversations_dateOrder_reverse_andShuffles_groupAlike(long seed) {
    List<Generated> messages = delivered(conversations(seed, 6, 9));
    Map<String, String> expected = components(messages);
    List<List<Generated>> orders = new ArrayList<>();
    orders.add(messages);
    List<Generated> reverse = new ArrayList<>(messages);
    Collections.reverse(reverse);
    orders.add(reverse);
    for (int s = 0; s < 3; s++) {
      List<Generated> shuffled = new ArrayList<>(messages);
      Collections.shuffle(shuffled, new Random(seed * 31 + s));
      orders.add(shuffled);
    }
    for (List<Generated> order : orders) {
      try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
        Inbox inbox = kit.inbox("gen@acme.test");
        assertGrouping(kit, inbox, deliver(kit, inbox, order, "gen@acme.test"), expected);
      }
    }
  }

  @Test
  void lateParentLinkingManyReplies_mergesThemAll_oldestSurvives() {
    try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
      Inbox inbox = kit.inbox("late@acme.test");
      // five replies, each naming only its own missing parent, then the parents, then the root
      List<Generated> order = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        order.add(new Generated("<r" + i + "@x>", "<p" + i + "@x>", List.of(), true, 0));
      }
      for (int i = 0; i < 5; i++) {
        order.add(new Generated("<p" + i + "@x>", "<root@x>", List.of("<root@x>"), true, 0));
      }
      order.add(new Generated("<root@x>", null, List.of(), true, 0));
      Map<String, ThreadId> threads = deliver(kit, inbox, order, "late@acme.test");
      assertThat(Set.copyOf(threads.values())).hasSize(1);
      EmailThread t = kit.mail().threads().get(threads.get("<root@x>")).orElseThrow();
      assertThat(t.messageCount()).isEqualTo(11);
      // the first reply's thread is the oldest: it survives
      assertThat(t.id()).isEqualTo(threads.get("<r0@x>"));
    }
  }

  @Test
  void concurrentDelivery_ofOneConversationInRandomOrder_endsInOneThread() throws Exception {
    List<Generated> all = new ArrayList<>();
    // one conversation, every message delivered, replies naming only their parent
    all.add(new Generated("<k0@x>", null, List.of(), true, 0));
    Random r = new Random(7);
    for (int i = 1; i < 40; i++) {
      String parent = "<k" + r.nextInt(i) + "@x>";
      all.add(new Generated("<k" + i + "@x>", parent, List.of(), true, 0));
    }
    for (int round = 0; round < 3; round++) {
      try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
        Inbox inbox = kit.inbox("burst@acme.test");
        List<Generated> order = new ArrayList<>(all);
        Collections.shuffle(order, new Random(round));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Map<String, UUID> stored = new java.util.concurrent.ConcurrentHashMap<>();
        try {
          List<Future<?>> done = new ArrayList<>();
          for (Generated g : order) {
            done.add(pool.submit(() -> {
              ReceiveResult res = kit.receive(email(g, "burst@acme.test").build());
              stored.put(g.id(), res.deliveries().get(0).message().id());
            }));
          }
          for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        Map<String, ThreadId> threads = threadsNow(kit, stored);
        assertGrouping(kit, inbox, threads, components(all));
        assertThat(Set.copyOf(threads.values())).hasSize(1);
      }
    }
  }
}
