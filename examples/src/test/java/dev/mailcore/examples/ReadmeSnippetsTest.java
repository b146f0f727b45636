package dev.mailcore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps every {@code ```java} block of the README compiling, and the quick start running, as a
 * reader would paste them: javac against this module's test classpath (mailcore-api, -testkit,
 * -postgres, JUnit, AssertJ), no warnings.
 *
 * <p>A block that starts with {@code import} or a class is a whole source file and is compiled
 * as it stands; one with a {@code main} method is then run, and every {@code // Prints: text}
 * line in it must appear in what it printed. Any other block is a fragment: it is compiled as
 * the body of a method whose parameters are the names fragments may use without declaring them
 * ({@link #FRAGMENT_CONTEXT}), with the imports in {@link #FRAGMENT_IMPORTS}.
 */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```$");
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)");
  private static final Pattern PRINTS = Pattern.compile("(?m)//\\s*Prints:\\s*(.+)$");

  /** What a fragment may use without declaring it: values earlier README sections create. */
  static final String FRAGMENT_CONTEXT = String.join(", ",
      "MailCore mail", "Domain acme", "Inbox support", "byte[] rawBytes",
      "List<InboundMail> batch", "DataSource dataSource", "InputStream data",
      "String recipient", "String publicKeyPem", "String bearerToken");
  static final List<String> FRAGMENT_IMPORTS = List.of("dev.mailcore.*", "dev.mailcore.spi.*",
      "dev.mailcore.smtp.*", "dev.mailcore.aws.*", "dev.mailcore.testkit.*",
      "dev.mailcore.postgres.*", "java.io.*", "java.nio.file.Path", "java.time.Duration",
      "java.util.*", "javax.sql.DataSource", "software.amazon.awssdk.regions.Region",
      "software.amazon.awssdk.services.s3.S3Client",
      "software.amazon.awssdk.services.sesv2.SesV2Client",
      "software.amazon.awssdk.services.sqs.SqsClient");

  @Test
  void everyJavaBlock_compilesAsPasted_andTheQuickStartRunsAndPrintsWhatItSays(
      @TempDir Path dir) throws Exception {
    List<String> blocks = javaBlocks(Files.readString(readme()));
    assertThat(blocks).as("java blocks in the README").hasSizeGreaterThanOrEqualTo(4);

    List<Path> sources = new ArrayList<>();
    List<String> mains = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      Matcher name = CLASS_NAME.matcher(block);
      if (isSourceFile(block) && name.find()) {
        Path file = dir.resolve("src" + i).resolve(name.group(1) + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, block);
        sources.add(file);
        if (block.contains("public static void main(String[] args)")) {
          mains.add(name.group(1) + "#" + i);
        }
      } else {
        Path file = dir.resolve("fragments").resolve("Fragment" + i + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, fragment("Fragment" + i, block));
        sources.add(file);
      }
    }

    List<String> problems = compile(sources, dir.resolve("classes"));
    assertThat(problems).as("javac on the README's java blocks").isEmpty();

    assertThat(mains).as("a runnable quick start").isNotEmpty();
    for (String main : mains) {
      String className = main.substring(0, main.indexOf('#'));
      String block = blocks.get(Integer.parseInt(main.substring(main.indexOf('#') + 1)));
      String printed = run(className, dir.resolve("classes"));
      Matcher expected = PRINTS.matcher(block);
      List<String> promised = new ArrayList<>();
      while (expected.find()) {
        promised.add(expected.group(1).trim());
      }
      assertThat(promised).as("// Prints: lines in " + className).isNotEmpty();
      assertThat(printed).as("what " + className + " printed").contains(promised);
    }
  }

  private static Path readme() {
    // Surefire runs in this module's directory; the README sits in the repository root.
    Path readme = Path.of(System.getProperty("user.dir")).toAbsolutePath().resolveSibling(
        "README.md");
    assertThat(readme).as("README next to the examples module").isRegularFile();
    return readme;
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown.replace("\r\n", "\n"));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static boolean isSourceFile(String block) {
    String first = block.strip();
    return first.startsWith("import ") || first.startsWith("package ")
        || CLASS_NAME.matcher(first).lookingAt() || first.startsWith("@");
  }

  private static String fragment(String className, String block) {
    String imports = FRAGMENT_IMPORTS.stream().map(i -> "import " + i + ";")
        .collect(Collectors.joining("\n"));
    return imports + "\n\nclass " + className + " {\n  void run(" + FRAGMENT_CONTEXT
        + ") throws Exception {\n" + block + "\n  }\n}\n";
  }

  private static List<String> compile(List<Path> sources, Path out) throws IOException {
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-Xlint:all,-processing",
          "-classpath", testClasspath(), "-d", out.toString());
      javac.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(sources)).call();
    }
    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.NOTE) {
        problems.add(d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName())
            + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return problems;
  }

  /** Surefire's own classpath is a manifest-only jar; it publishes the real one here. */
  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static String run(String className, Path classes) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ReadmeSnippetsTest.class.getClassLoader())) {
      Method main = loader.loadClass(className).getMethod("main", String[].class);
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
