package dev.mailcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailcore.EmailThread;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.PageRequest;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.ThreadId;
import dev.mailcore.testkit.internal.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Threads the notmuch mailing-list corpora in {@code ../shared/fixtures/threads} and checks the
 * groupings {@code THREADS.md} gives (notmuch's own expected test output), whatever order the
 * messages arrive in.
 *
 * <p>Each notmuch corpus folder is received into its own inbox (they were separate notmuch
 * databases; the {@code threading} ones reuse subjects and participants such as "child message"
 * from alice@example.org). Where mailcore's rules differ from notmuch, the expectation below says
 * so and why:
 * <ul>
 *   <li>T6 (RT ghost root): "Resolved" shares only the ghost id {@code RT-Ticket-33575@...} with
 *       "AutoReply"; mailcore's rule 4 (a stored message names the same missing ancestor) puts
 *       it into the ticket's thread, as notmuch does.
 *   <li>Arrival order: notmuch re-threads the whole database; mailcore decides on arrival and
 *       merges the threads a late message links (ADR 0003), so every grouping is the same by
 *       Date, in file order, in reverse order (replies before their parents) and in seeded
 *       shuffles (T6: FYI, then Resolved, then the AutoReply naming both merges them).
 * </ul>
 * The test at the end receives all 32 files into one inbox, in every order.
 */
public abstract class NotmuchThreadingScenarios {
  private static final List<List<String>> DEFAULT_CORPUS = List.of(
      List.of("notmuch-default-foo-new-03.eml", "notmuch-default-new-04.eml",
          "notmuch-default-foo-cur-08.eml", "notmuch-default-foo-new-09.eml",
          "notmuch-default-foo-baz-12.eml", "notmuch-default-bar-new-22.eml",
          "notmuch-default-cur-41.eml"),
      List.of("notmuch-default-01.eml", "notmuch-default-02.eml",
          "notmuch-default-foo-cur-07.eml", "notmuch-default-foo-baz-11.eml",
          "notmuch-default-cur-40.eml"),
      List.of("notmuch-default-cur-31.eml", "notmuch-default-cur-34.eml",
          "notmuch-default-cur-35.eml", "notmuch-default-cur-36.eml"),
      // bar-18 and cur-51 are the same message (same Message-ID): 3 stored messages
      List.of("notmuch-default-bar-18.eml", "notmuch-default-cur-51.eml",
          "notmuch-default-cur-29.eml", "notmuch-default-cur-43.eml"));
  private static final List<Integer> DEFAULT_COUNTS = List.of(7, 5, 4, 3);

  private static final String RT = "notmuch-threading-ghost-root-";
  private static final List<List<String>> GHOST_ROOT_CORPUS = List.of(
      // T5
      List.of(RT + "real-root.eml", RT + "child.eml", RT + "fake-root.eml",
          RT + "grand-child.eml", RT + "great-grand-child.eml", RT + "grand-child2.eml"),
      // T6: "Resolved" joins only through the ghost id RT-Ticket-33575, which the AutoReply
      // also names (threading rule 4, shared missing ancestor)
      List.of(RT + "1529425589.M615261P21663.len.eml",
          RT + "1532672447.R3166642290392477575.len.eml",
          RT + "1532672447.R6968667928580738175.len.eml"));
  private static final List<Integer> GHOST_ROOT_COUNTS = List.of(6, 3);

  private static final String PP = "notmuch-threading-parent-priority-cur-";
  private static final List<List<String>> PARENT_PRIORITY_CORPUS = List.of(
      List.of(PP + "root.eml", PP + "child.eml", PP + "grand-child.eml"));
  private static final List<Integer> PARENT_PRIORITY_COUNTS = List.of(3);

  /** The three corpora in one inbox: their groups, and the size of each. */
  private static final List<List<String>> ALL_CORPORA = Stream.of(DEFAULT_CORPUS,
      GHOST_ROOT_CORPUS, PARENT_PRIORITY_CORPUS).flatMap(List::stream).toList();
  private static final List<Integer> ALL_COUNTS = Stream.of(DEFAULT_COUNTS, GHOST_ROOT_COUNTS,
      PARENT_PRIORITY_COUNTS).flatMap(List::stream).toList();

  private Path dir;

  /** Creates the suite; subclasses are created by JUnit. */
  protected NotmuchThreadingScenarios() {}

  /**
   * Builds a testkit on a fresh, empty store of the store under test.
   *
   * @param builder the testkit settings the test wants (clock, limits, window)
   * @return the testkit; the test closes it
   */
  protected abstract MailCoreTestkit newKit(MailCoreTestkit.Builder builder);

  @BeforeEach
  void fixtures() {
    Optional<Path> threads = SharedFixtures.dir("threads");
    assumeTrue(threads.isPresent(), "shared fixtures not present at "
        + SharedFixtures.whereLooked() + "/threads: skipping");
    dir = threads.get();
  }

  /** How the messages of a corpus arrive. */
  enum Arrival {
    /** By the Date header (ties by file name): parents before replies, as a list delivers. */
    CHRONOLOGICAL,
    /** By file name. */
    FILE_NAME,
    /** Reverse file name order: most replies before their parents. */
    REVERSE,
    /** Seeded shuffles. */
    SHUFFLE_1, SHUFFLE_2, SHUFFLE_3, SHUFFLE_4
  }

  private static final Pattern DATE = Pattern.compile("(?im)^Date:[ \\t]*(.+)$");
  private static final DateTimeFormatter HEADER_DATE =
      DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

  private Instant dateOf(String file) {
    try {
      Matcher m = DATE.matcher(Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1));
      assertThat(m.find()).as("Date header in %s", file).isTrue();
      // drop the day name: one fixture's weekday does not match its date
      String v = m.group(1).strip().replaceFirst("^[A-Za-z]{3},\\s*", "");
      return ZonedDateTime.parse(v, HEADER_DATE).toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> ordered(List<String> files, Arrival arrival) {
    List<String> out = new ArrayList<>(files);
    Collections.sort(out);
    switch (arrival) {
      case CHRONOLOGICAL -> out.sort(Comparator.comparing(this::dateOf));
      case FILE_NAME -> { }
      case REVERSE -> Collections.reverse(out);
      default -> Collections.shuffle(out, new Random(arrival.ordinal()));
    }
    return out;
  }

  private Map<String, ThreadId> receiveAll(MailCoreTestkit kit, Inbox inbox, List<String> files,
      Arrival arrival) throws IOException {
    return receiveAll(kit, inbox, files, arrival, 1);
  }

  /**
   * Receives the files in arrival order, one by one ({@code batchSize} 1) or in
   * {@link dev.mailcore.Mailboxes#receiveAll} batches; each message's thread once all arrived.
   */
  private Map<String, ThreadId> receiveAll(MailCoreTestkit kit, Inbox inbox, List<String> files,
      Arrival arrival, int batchSize) throws IOException {
    Map<String, UUID> stored = new LinkedHashMap<>();
    List<String> order = ordered(files, arrival);
    for (int from = 0; from < order.size(); from += batchSize) {
      List<String> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
      kit.clock().advance(Duration.ofMinutes(1));
      List<InboundMail> mails = new ArrayList<>();
      for (String f : chunk) {
        mails.add(InboundMail.of(Files.readAllBytes(dir.resolve(f)),
            inbox.localPart() + "@fixtures.test"));
      }
      List<ReceiveResult> results = batchSize == 1
          ? List.of(kit.mail().mailboxes().receive(mails.get(0)))
          : kit.mail().mailboxes().receiveAll(mails).stream().map(o -> {
            assertThat(o).isInstanceOf(ReceiveOutcome.Received.class);
            return ((ReceiveOutcome.Received) o).result();
          }).toList();
      for (int k = 0; k < chunk.size(); k++) {
        assertThat(results.get(k).deliveries()).as(chunk.get(k)).hasSize(1);
        stored.put(chunk.get(k), results.get(k).deliveries().get(0).message().id());
      }
    }
    // where each message is now: a later message may have merged the thread it started in
    Map<String, ThreadId> threadOf = new LinkedHashMap<>();
    stored.forEach((f, id) -> threadOf.put(f,
        kit.mail().messages().get(id).orElseThrow().threadId()));
    return threadOf;
  }

  private static List<String> flat(List<List<String>> groups) {
    return groups.stream().flatMap(List::stream).toList();
  }

  private static void assertGroups(MailCoreTestkit kit, Inbox inbox,
      Map<String, ThreadId> threadOf, List<List<String>> groups, List<Integer> counts) {
    List<ThreadId> groupThreads = new ArrayList<>();
    for (List<String> group : groups) {
      Set<ThreadId> ids = group.stream().map(threadOf::get).collect(Collectors.toSet());
      assertThat(ids).as("threads of %s", group).hasSize(1);
      groupThreads.add(ids.iterator().next());
    }
    assertThat(Set.copyOf(groupThreads)).as("groups are distinct threads").hasSize(groups.size());
    List<EmailThread> listed = kit.mail().threads().list(inbox.id(), PageRequest.first(100))
        .items();
    assertThat(listed).extracting(EmailThread::id).containsAll(groupThreads);
    // when the groups cover every stored message, there is no other thread
    if (counts.stream().mapToInt(Integer::intValue).sum() == threadOf.values().size()
        - duplicates(threadOf)) {
      assertThat(listed).hasSize(groups.size());
    }
    for (int i = 0; i < groups.size(); i++) {
      ThreadId id = groupThreads.get(i);
      assertThat(kit.mail().threads().get(id).orElseThrow().messageCount())
          .as("messages in thread of %s", groups.get(i)).isEqualTo(counts.get(i));
      assertThat(kit.mail().threads().messages(id, PageRequest.first(100)).items())
          .hasSize(counts.get(i));
    }
  }

  /** How many received files were duplicates of another (same Message-ID). */
  private static int duplicates(Map<String, ThreadId> threadOf) {
    return threadOf.containsKey("notmuch-default-cur-51.eml") ? 1 : 0;
  }

  /** No mailcore thread holds messages of two different expected groups. */
  private static void assertNeverMergesGroups(Map<String, ThreadId> threadOf,
      List<List<String>> groups) {
    Map<ThreadId, Integer> groupOfThread = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (String f : groups.get(g)) {
        Integer before = groupOfThread.putIfAbsent(threadOf.get(f), g);
        assertThat(before == null || before == g).as("%s shares a thread with group %s", f,
            before == null ? null : groups.get(before)).isTrue();
      }
    }
  }

  private void receiveCorpus(String inboxAddress, List<List<String>> groups, List<Integer> counts,
      Arrival arrival) throws IOException {
    try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
      Inbox inbox = kit.inbox(inboxAddress);
      Map<String, ThreadId> threadOf = receiveAll(kit, inbox, flat(groups), arrival);
      assertNeverMergesGroups(threadOf, groups);
      assertGroups(kit, inbox, threadOf, groups, counts);
    }
  }

  @ParameterizedTest
  @EnumSource(Arrival.class)
  void defaultCorpus_groupsLikeNotmuch(Arrival arrival) throws IOException {
    receiveCorpus("notmuch@fixtures.test", DEFAULT_CORPUS, DEFAULT_COUNTS, arrival);
  }

  @ParameterizedTest
  @EnumSource(Arrival.class)
  void ghostRootCorpus_groupsLikeNotmuch(Arrival arrival) throws IOException {
    receiveCorpus("ghost@fixtures.test", GHOST_ROOT_CORPUS, GHOST_ROOT_COUNTS, arrival);
  }

  @ParameterizedTest
  @EnumSource(Arrival.class)
  void parentPriorityCorpus_trustsInReplyToOverBrokenReferences(Arrival arrival)
      throws IOException {
    receiveCorpus("priority@fixtures.test", PARENT_PRIORITY_CORPUS, PARENT_PRIORITY_COUNTS,
        arrival);
  }

  @Test
  void defaultCorpus_inReverseOrder_keepsSiblingsThatShareAnUnseenParentTogether()
      throws IOException {
    try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
      Inbox inbox = kit.inbox("notmuch@fixtures.test");
      Map<String, ThreadId> threadOf = receiveAll(kit, inbox, flat(DEFAULT_CORPUS),
          Arrival.REVERSE);
      // 07 -> 11 -> 40 arrive first and form a thread; then 02 (PATCH 2/2, In-Reply-To 01,
      // not yet stored) joins it because 07 names the same missing parent 01 (rule 4); then 01
      // arrives and rule 3 puts it with the replies that name it. Every group stays whole even
      // though almost every reply arrives before its parent.
      assertGroups(kit, inbox, threadOf, DEFAULT_CORPUS, DEFAULT_COUNTS);
    }
  }

  @ParameterizedTest
  @EnumSource(Arrival.class)
  void allCorporaInOneInbox_anyOrder_groupsLikeNotmuch(Arrival arrival) throws IOException {
    // The ghost-root and parent-priority corpora reuse subjects ("child message") and
    // participants; links come before subjects, so they stay apart in every order.
    try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
      Inbox inbox = kit.inbox("all@fixtures.test");
      List<List<String>> groups = ALL_CORPORA;
      List<Integer> counts = ALL_COUNTS;
      assertThat(flat(groups)).containsExactlyInAnyOrderElementsOf(allFiles());

      Map<String, ThreadId> threadOf = receiveAll(kit, inbox, flat(groups), arrival);

      assertNeverMergesGroups(threadOf, groups);
      assertGroups(kit, inbox, threadOf, groups, counts);
    }
  }

  @ParameterizedTest
  @EnumSource(Arrival.class)
  void allCorporaInOneInbox_receivedInBatches_groupsLikeNotmuch(Arrival arrival)
      throws IOException {
    // receiveAll threads a batch in order before writing it together (ADR 0008): the whole
    // corpus in one batch, and in batches of 5, groups exactly as one by one
    List<List<String>> groups = ALL_CORPORA;
    List<Integer> counts = ALL_COUNTS;
    for (int batchSize : new int[] {flat(groups).size(), 5}) {
      try (MailCoreTestkit kit = newKit(MailCoreTestkit.builder())) {
        Inbox inbox = kit.inbox("all@fixtures.test");
        Map<String, ThreadId> threadOf = receiveAll(kit, inbox, flat(groups), arrival,
            batchSize);
        assertNeverMergesGroups(threadOf, groups);
        assertGroups(kit, inbox, threadOf, groups, counts);
      }
    }
  }

  private List<String> allFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted()
          .toList();
    }
  }
}
