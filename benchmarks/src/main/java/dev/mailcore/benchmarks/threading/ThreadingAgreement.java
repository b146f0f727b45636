package dev.mailcore.benchmarks.threading;

import dev.mailcore.MailCore;
import dev.mailcore.ReceiveResult;
import dev.mailcore.testkit.MailCoreTestkit;
import dev.mailcore.testkit.TestEmail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How closely mailcore's threads agree with a JWZ-style grouping (connected components of
 * Message-ID, In-Reply-To and References, ghosts included, no subjects) in date order, reverse
 * order and seeded shuffles (issue 12). Pairwise precision, recall and F1 over pairs of messages
 * put in one thread; the reference side reads the headers with its own small parser.
 *
 * <p>Corpora: every {@code .eml} under {@code -Dfixtures} (default
 * {@code ../shared/fixtures/threads}, skipped with a note when absent), all into one inbox; and
 * generated conversations ({@code -Dconversations=200}, up to 12 messages each, about one in
 * six never delivered, a third of replies with In-Reply-To only, a third with References
 * trimmed to root + 3 newest, recurring subjects such as "[PATCH v2] fix"). In-memory store
 * (the stores pass the same contract suites). Uses only public API, so the same file runs
 * against an older build for a before/after figure:
 * {@code java -cp <api+testkit classes and deps> ThreadingAgreement.java before}.
 * Results to {@code -Dresults} (default {@code benchmarks/results/threading-f1.txt}), appended.
 */
public final class ThreadingAgreement {
  private static final Pattern ID = Pattern.compile("<[^<>\\s]+>");
  private static final int SHUFFLES = 10;

  private ThreadingAgreement() {}

  /** One message: its raw bytes, its ids, its date. */
  record Mail(String messageId, List<String> links, Instant date, byte[] raw) {}

  /**
   * Runs the comparison.
   *
   * @param args {@code [label]} written into the results
   * @throws IOException if the fixtures or the results file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    String label = args.length > 0 ? args[0] : "current";
    Path fixtures = Paths.get(System.getProperty("fixtures", "../shared/fixtures/threads"));
    Path results = Paths.get(System.getProperty("results", "benchmarks/results/threading-f1.txt"));
    int conversations = Integer.getInteger("conversations", 200);
    List<String> out = new ArrayList<>();
    out.add("## " + label + " (" + Instant.now() + ")");
    if (Files.isDirectory(fixtures)) {
      out.addAll(measure("notmuch fixtures", fixtureMails(fixtures)));
    } else {
      out.add("fixtures: " + fixtures + " not present, skipped");
    }
    out.addAll(measure("generated", generated(conversations, 42)));
    out.add("");
    out.forEach(System.out::println);
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.write(results, out, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  private static List<String> measure(String corpus, List<Mail> mails) {
    Map<String, String> expected = components(mails);
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s: %d messages, %d JWZ groups", corpus,
        expected.size(), expected.values().stream().distinct().count()));
    List<Mail> byDate = new ArrayList<>(mails);
    byDate.sort((a, b) -> a.date().compareTo(b.date()));
    lines.add(line("date order", score(expected, run(byDate))));
    List<Mail> reverse = new ArrayList<>(byDate);
    Collections.reverse(reverse);
    lines.add(line("reverse", score(expected, run(reverse))));
    double p = 0;
    double r = 0;
    double f = 0;
    double minF = 1;
    for (int s = 0; s < SHUFFLES; s++) {
      List<Mail> shuffled = new ArrayList<>(byDate);
      Collections.shuffle(shuffled, new Random(s));
      double[] x = score(expected, run(shuffled));
      p += x[0];
      r += x[1];
      f += x[2];
      minF = Math.min(minF, x[2]);
    }
    lines.add(line("shuffled (mean of " + SHUFFLES + ")",
        new double[] {p / SHUFFLES, r / SHUFFLES, f / SHUFFLES}) + String.format(Locale.ROOT,
        " (worst F1 %.3f)", minF));
    return lines;
  }

  private static String line(String what, double[] x) {
    return String.format(Locale.ROOT, "  %-22s precision %.3f recall %.3f F1 %.3f", what,
        x[0], x[1], x[2]);
  }

  /** Receives in order into one inbox; each Message-ID's thread after the last arrival. */
  private static Map<String, String> run(List<Mail> order) {
    try (MailCoreTestkit kit = MailCoreTestkit.inMemory()) {
      kit.inbox("list@fixtures.test");
      MailCore mail = kit.mail();
      Map<String, UUID> stored = new LinkedHashMap<>();
      for (Mail m : order) {
        kit.clock().advance(Duration.ofMinutes(1));
        ReceiveResult res = mail.mailboxes().receive(
            dev.mailcore.InboundMail.of(m.raw(), "list@fixtures.test"));
        stored.putIfAbsent(m.messageId(), res.deliveries().get(0).message().id());
      }
      Map<String, String> thread = new HashMap<>();
      stored.forEach((id, uuid) -> thread.put(id,
          mail.messages().get(uuid).orElseThrow().threadId().toString()));
      return thread;
    }
  }

  /** Pairwise precision, recall, F1 of {@code actual} against {@code expected}. */
  static double[] score(Map<String, String> expected, Map<String, String> actual) {
    List<String> ids = new ArrayList<>(expected.keySet());
    long both = 0;
    long inExpected = 0;
    long inActual = 0;
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        boolean e = expected.get(ids.get(i)).equals(expected.get(ids.get(j)));
        boolean a = actual.get(ids.get(i)).equals(actual.get(ids.get(j)));
        both += e && a ? 1 : 0;
        inExpected += e ? 1 : 0;
        inActual += a ? 1 : 0;
      }
    }
    double p = inActual == 0 ? 1 : (double) both / inActual;
    double r = inExpected == 0 ? 1 : (double) both / inExpected;
    return new double[] {p, r, p + r == 0 ? 0 : 2 * p * r / (p + r)};
  }

  /** JWZ's grouping without subjects: connected components of ids and the ids they name. */
  static Map<String, String> components(List<Mail> mails) {
    Map<String, String> parent = new HashMap<>();
    for (Mail m : mails) {
      find(parent, m.messageId());
      for (String l : m.links()) {
        String a = find(parent, m.messageId());
        String b = find(parent, l);
        if (!a.equals(b)) {
          parent.put(a, b);
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    mails.forEach(m -> out.put(m.messageId(), find(parent, m.messageId())));
    return out;
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (!parent.getOrDefault(root, root).equals(root)) {
      root = parent.get(root);
    }
    parent.putIfAbsent(x, x);
    String cur = x;
    while (!cur.equals(root)) {
      String next = parent.get(cur);
      parent.put(cur, root);
      cur = next;
    }
    return root;
  }

  private static List<Mail> fixtureMails(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
    }
    List<Mail> out = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      Map<String, String> h = headers(new String(raw, StandardCharsets.ISO_8859_1));
      String id = ids(h.getOrDefault("message-id", "")).stream().findFirst().orElse(f.toString());
      if (seen.putIfAbsent(id, true) != null) {
        continue; // the same Message-ID twice is one message
      }
      List<String> links = new ArrayList<>(ids(h.getOrDefault("in-reply-to", "")));
      links.addAll(ids(h.getOrDefault("references", "")));
      links.remove(id);
      out.add(new Mail(id, links, date(h.getOrDefault("date", "")), raw));
    }
    return out;
  }

  private static Instant date(String v) {
    try {
      String s = v.strip().replaceFirst("^[A-Za-z]{3},\\s*", "").replaceFirst("\\s*\\(.*$", "");
      return java.time.ZonedDateTime.parse(s, java.time.format.DateTimeFormatter.ofPattern(
          "d MMM yyyy HH:mm:ss Z", Locale.ENGLISH)).toInstant();
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private static List<String> ids(String v) {
    List<String> out = new ArrayList<>();
    Matcher m = ID.matcher(v.replaceAll("\\([^)]*\\)", " "));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Unfolded header fields, lower-case names, first occurrence wins. */
  private static Map<String, String> headers(String text) {
    Map<String, String> h = new HashMap<>();
    String head = text.split("\\r?\\n\\r?\\n", 2)[0].replaceAll("\\r?\\n[ \\t]+", " ");
    for (String line : head.split("\\r?\\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        h.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return h;
  }

  /**
   * Generated list traffic: conversations with missing and late parents, and subjects that
   * recur across conversations (patch series versions, backports, "Re: help").
   */
  static List<Mail> generated(int conversations, long seed) {
    Random r = new Random(seed);
    String[] subjects = {"[PATCH v2 1/2] fix leak", "help", "Build failure", "[PATCH] docs",
        "Meeting notes", "Question about API"};
    List<Mail> out = new ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int c = 0; c < conversations; c++) {
      String subject = subjects[r.nextInt(subjects.length)];
      int size = 1 + r.nextInt(12);
      List<String> idsOf = new ArrayList<>();
      Map<String, List<String>> chain = new HashMap<>();
      for (int i = 0; i < size; i++) {
        t = t.plusSeconds(60 + r.nextInt(3600));
        String id = "<g" + c + "." + i + "@gen.example>";
        String parentId = i == 0 ? null : idsOf.get(r.nextInt(idsOf.size()));
        List<String> ancestors = parentId == null ? List.of() : chain.get(parentId);
        List<String> refs = switch (parentId == null ? 0 : r.nextInt(3)) {
          case 0 -> List.of();
          case 1 -> ancestors.size() <= 4 ? ancestors : trim(ancestors);
          default -> ancestors;
        };
        List<String> mine = new ArrayList<>(ancestors);
        mine.add(id);
        chain.put(id, mine);
        idsOf.add(id);
        if (r.nextInt(6) == 0) {
          continue; // never delivered
        }
        String person = "user" + r.nextInt(20) + "@people.example";
        TestEmail e = TestEmail.builder().messageId(id).from(person).to("list@fixtures.test")
            .subject(parentId == null ? subject : "Re: " + subject).date(t);
        List<String> links = new ArrayList<>(refs);
        if (parentId != null) {
          e.inReplyTo(parentId);
          links.add(parentId);
        }
        if (!refs.isEmpty()) {
          e.references(String.join(" ", refs));
        }
        out.add(new Mail(id, links, t, e.bytes()));
      }
    }
    return out;
  }

  private static List<String> trim(List<String> ancestors) {
    List<String> t = new ArrayList<>();
    t.add(ancestors.get(0));
    t.addAll(ancestors.subList(ancestors.size() - 3, ancestors.size()));
    return t;
  }
}
