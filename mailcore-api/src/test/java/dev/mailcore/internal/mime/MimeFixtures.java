package dev.mailcore.internal.mime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the third-party fixture corpus ({@code ../shared/fixtures/mime} relative to the project
 * root). The project root is the nearest ancestor of {@code user.dir} whose {@code pom.xml} is
 * the mailcore parent; the fixtures live next to it, outside the repository.
 */
final class MimeFixtures {
  private MimeFixtures() {}

  /** The fixture directory, or empty when this checkout has no shared fixtures next to it. */
  static Optional<Path> mimeDir() {
    return dir("mime");
  }

  /** The fixture folder {@code name}, or empty when this checkout has no such folder next to it. */
  static Optional<Path> dir(String name) {
    Path root = projectRoot();
    if (root == null) {
      return Optional.empty();
    }
    Path dir = root.resolveSibling("shared").resolve("fixtures").resolve(name);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** Explains where the fixtures were looked for, for skip messages. */
  static String whereLooked() {
    return whereLooked("mime");
  }

  /** Explains where the fixture folder {@code name} was looked for, for skip messages. */
  static String whereLooked(String name) {
    Path root = projectRoot();
    return root == null
        ? "no ancestor of " + System.getProperty("user.dir") + " has the mailcore-parent pom.xml"
        : root.resolveSibling("shared").resolve("fixtures").resolve(name).toString();
  }

  private static Path projectRoot() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && isParentPom(pom)) {
        return dir;
      }
      dir = dir.getParent();
    }
    return null;
  }

  private static boolean isParentPom(Path pom) {
    try {
      return Files.readString(pom).contains("<artifactId>mailcore-parent</artifactId>")
          && Files.readString(pom).contains("<packaging>pom</packaging>");
    } catch (IOException e) {
      return false;
    }
  }
}
