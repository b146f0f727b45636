package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.spi.BlobStore.Namespace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the file system store adds to the blob store contract: its layout and key safety. */
class FileSystemBlobStoreTest {
  @TempDir
  Path dir;

  private FileSystemBlobStore store() {
    return FileSystemBlobStore.builder().root(dir.resolve("blobs")).build();
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void put_writesUnderNamespaceDirectory_andLeavesNoTemporaryFile() throws IOException {
    FileSystemBlobStore store = store();
    store.put(Namespace.RAW, "2026/03/02/abc.eml", text("raw"), 3, "message/rfc822");
    store.put(Namespace.ATTACHMENTS, "2026/03/02/abc/u.pdf", text("pdf"), -1, "application/pdf");

    assertThat(dir.resolve("blobs/raw/2026/03/02/abc.eml@")).hasContent("raw");
    assertThat(dir.resolve("blobs/attachments/2026/03/02/abc/u.pdf@")).hasContent("pdf");
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("abc.eml@", "u.pdf@");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "a\\b", "a\u0000b", "",
      "a//b", "a/", "./a", "a/./b", "a/..", "..", ".hidden", "a/.mailcore-1.tmp", "a b", "a:b",
      "caf\u00e9"})
  void put_withUnsafeKey_isRefusedAndWritesNothing(String key) throws IOException {
    FileSystemBlobStore store = store();

    assertThatThrownBy(() -> store.put(Namespace.RAW, key, text("x"), 1, "text/plain"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> store.get(Namespace.ATTACHMENTS, key))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> store.delete(Namespace.RAW, key))
        .isInstanceOf(ValidationException.class);
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void put_withKeyNamingNulCharacter_reportsItReadably() {
    assertThatThrownBy(() -> store().put(Namespace.RAW, "a\u0000b", text("x"), 1, "text/plain"))
        .hasMessageContaining("a\\u0000b");
  }

  @Test
  void build_withoutRoot_namesTheSetting() {
    assertThatThrownBy(() -> FileSystemBlobStore.builder().build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("root(Path)");
  }

  @Test
  void build_whenRootIsAFile_failsNamingThePath() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> FileSystemBlobStore.builder().root(file).build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void downloadUrl_isNotOffered() {
    assertThat(store().downloadUrl(Namespace.ATTACHMENTS, "a/b.pdf",
        new dev.mailcore.spi.BlobStore.Download(java.time.Duration.ofMinutes(5), "application/pdf",
            "attachment; filename=\"b.pdf\""))).isEmpty();
  }
}
