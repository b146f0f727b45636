package dev.mailcore.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Locates the third-party test fixtures that live next to a mailcore checkout, at
 * {@code <project root>/../shared/fixtures}, outside the repository (they are never copied into
 * it). The project root is the nearest ancestor of {@code user.dir} whose {@code pom.xml} is the
 * mailcore parent pom (its own artifactId is {@code mailcore-parent}).
 *
 * <p>Not API: for mailcore's own adapter and testkit tests, which skip with
 * {@link #whereLooked()} in the message when the fixtures are absent (a user's fresh clone).
 * May change at any time. Thread-safe.
 */
public final class SharedFixtures {
  private static final Pattern PARENT_BLOCK = Pattern.compile("(?s)<parent>.*?</parent>");

  private SharedFixtures() {}

  /**
   * The fixtures directory, if present.
   *
   * @return {@code <root>/../shared/fixtures}, or empty when there is no project root or no such
   *     directory
   */
  public static Optional<Path> root() {
    return candidate().filter(Files::isDirectory);
  }

  /**
   * A subdirectory of the fixtures, if present.
   *
   * @param name for example {@code threads}
   * @return the directory, or empty
   */
  public static Optional<Path> dir(String name) {
    return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
  }

  /**
   * Where the fixtures were looked for, for skip messages.
   *
   * @return a path, or an explanation when no project root was found
   */
  public static String whereLooked() {
    return candidate().map(Path::toString).orElse("nowhere: no ancestor of "
        + System.getProperty("user.dir") + " holds the mailcore-parent pom.xml");
  }

  private static Optional<Path> candidate() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && isParentPom(pom)) {
        return Optional.of(dir.resolveSibling("shared").resolve("fixtures").normalize());
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  private static boolean isParentPom(Path pom) {
    try {
      String own = PARENT_BLOCK.matcher(Files.readString(pom)).replaceFirst("");
      return own.contains("<artifactId>mailcore-parent</artifactId>");
    } catch (IOException e) {
      return false;
    }
  }
}
