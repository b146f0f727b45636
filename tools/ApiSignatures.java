import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The public API check of every published module (ADR 0010): dumps the module's exported
 * surface (its {@code module-info} exports and, for each public or protected class of an
 * exported package, its public and protected members as {@code javap -protected} prints them)
 * and compares it with the checked-in {@code api/<artifactId>.api}. A difference fails the build
 * and is printed; an intended change is recorded by regenerating the file:
 *
 * <pre>
 * mvn -B -o verify -DskipTests -Dapi.update
 * </pre>
 *
 * <p>Run by the {@code api-check} execution of the parent pom (exec-maven-plugin, phase
 * {@code verify}) as a single-file program on the build JDK, so it needs no dependency, no
 * plugin of its own and not the module's dependencies: it reads class files, it does not load
 * them. Usage: {@code java ApiSignatures.java <classesDir> <apiFile> <update:true|false>}.
 */
public final class ApiSignatures {
  private ApiSignatures() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: ApiSignatures <classesDir> <apiFile> <update>");
    }
    Path classes = Path.of(args[0]);
    Path apiFile = Path.of(args[1]);
    boolean update = args[2].isEmpty() || Boolean.parseBoolean(args[2]);
    List<String> actual = dump(classes);
    if (update) {
      Files.createDirectories(apiFile.toAbsolutePath().getParent());
      Files.write(apiFile, actual, StandardCharsets.UTF_8);
      System.out.println("[api] wrote " + apiFile + " (" + actual.size() + " lines)");
      return;
    }
    if (!Files.exists(apiFile)) {
      fail(apiFile, "no signature file " + apiFile + " yet", List.of());
    }
    List<String> expected = Files.readAllLines(apiFile, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      List<String> diff = new ArrayList<>();
      Set<String> was = new HashSet<>(expected);
      Set<String> now = new HashSet<>(actual);
      expected.stream().filter(l -> !now.contains(l)).forEach(l -> diff.add("- " + l));
      actual.stream().filter(l -> !was.contains(l)).forEach(l -> diff.add("+ " + l));
      fail(apiFile, "the exported API differs from " + apiFile, diff);
    }
    System.out.println("[api] " + apiFile + " matches (" + actual.size() + " lines)");
  }

  private static void fail(Path apiFile, String what, List<String> diff) {
    StringBuilder b = new StringBuilder("[api] ").append(what).append(':').append('\n');
    diff.forEach(l -> b.append("  ").append(l).append('\n'));
    b.append("[api] if the change is intended, regenerate the file and commit it:\n")
        .append("[api]   mvn -B -o verify -DskipTests -Dapi.update\n")
        .append("[api] (in one module: mvn -B -o -pl <module> -am verify -DskipTests -Dapi.update)");
    System.err.println(b);
    System.exit(1);
  }

  /** The module's exports, then each accessible class of an exported package, sorted. */
  static List<String> dump(Path classes) throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    List<String> out = new ArrayList<>();
    out.add("module " + module.name());
    Set<String> exported = new LinkedHashSet<>();
    module.exports().stream().map(e -> e.toString()).sorted()
        .forEach(e -> out.add("  exports " + e));
    module.exports().forEach(e -> exported.add(e.source()));

    // binary name -> javap lines, for every class file of an exported package
    Map<String, List<String>> byClass = new TreeMap<>();
    for (String pkg : exported) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))
            .filter(p -> !p.getFileName().toString().equals("package-info.class"))::iterator) {
          String simple = f.getFileName().toString().replace(".class", "");
          byClass.put(pkg + "." + simple, javap(f));
        }
      }
    }
    for (Map.Entry<String, List<String>> e : byClass.entrySet()) {
      if (accessible(e.getKey(), byClass)) {
        out.add("");
        out.addAll(e.getValue());
      }
    }
    return out;
  }

  /** Public or protected, and so is every class it is nested in. */
  private static boolean accessible(String binaryName, Map<String, List<String>> byClass) {
    List<String> lines = byClass.get(binaryName);
    if (lines == null || lines.isEmpty()) {
      return false;
    }
    String header = lines.get(0);
    if (!header.startsWith("public ") && !header.startsWith("protected ")) {
      return false;
    }
    int dollar = binaryName.lastIndexOf('$');
    return dollar < 0 || accessible(binaryName.substring(0, dollar), byClass);
  }

  private static List<String> javap(Path classFile) {
    ToolProvider javap = ToolProvider.findFirst("javap")
        .orElseThrow(() -> new IllegalStateException("javap not found: run on a JDK"));
    StringWriter text = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = javap.run(new PrintWriter(text), new PrintWriter(err), "-protected",
        classFile.toString());
    if (rc != 0) {
      throw new IllegalStateException("javap failed on " + classFile + ": " + err);
    }
    List<String> lines = new ArrayList<>();
    for (String l : text.toString().split("\\R")) {
      if (!l.isBlank() && !l.startsWith("Compiled from ")) {
        lines.add(l.stripTrailing());
      }
    }
    return lines;
  }
}
