package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class OutboundAttachmentTest {

  @Test
  void of_copiesContentAndEachStreamStartsAtTheBeginning() throws Exception {
    byte[] data = {1, 2, 3};
    OutboundAttachment a = OutboundAttachment.of("x.bin", "Application/Octet-Stream", data);
    data[0] = 9;

    try (InputStream first = a.content().get(); InputStream second = a.content().get()) {
      assertThat(first.readAllBytes()).containsExactly(1, 2, 3);
      assertThat(second.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(a.contentType()).isEqualTo("application/octet-stream");
    assertThat(a.sizeBytes()).isEqualTo(3);
    assertThat(a.inline()).isFalse();
  }

  @Test
  void inline_stripsAngleBracketsFromContentId() {
    assertThat(OutboundAttachment.inline("l.png", "image/png", new byte[0], "<logo@x>")
        .contentId()).contains("logo@x");
  }

  @Test
  void filename_whenContainsLineBreak_fails() {
    assertThatThrownBy(() -> OutboundAttachment.of("a\r\nb.txt", "text/plain", new byte[0]))
        .isInstanceOf(ValidationException.class).hasMessageContaining("control characters");
  }

  @Test
  void filename_whenBlank_fails() {
    assertThatThrownBy(() -> OutboundAttachment.of(" ", "text/plain", new byte[0]))
        .isInstanceOf(ValidationException.class).hasMessageContaining("attachment.filename");
  }

  @Test
  void contentType_whenParametersOrGarbage_fails() {
    assertThatThrownBy(() -> OutboundAttachment.of("a", "text/plain; charset=utf-8", new byte[0]))
        .isInstanceOf(ValidationException.class).hasMessageContaining("without parameters");
    assertThatThrownBy(() -> OutboundAttachment.of("a", "pdf", new byte[0]))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> OutboundAttachment.of("a", "multipart/mixed", new byte[0]))
        .isInstanceOf(ValidationException.class).hasMessageContaining("multipart");
  }

  @Test
  void ofStream_whenSizeNegative_fails() {
    assertThatThrownBy(() -> OutboundAttachment.ofStream("a", "text/plain",
        InputStream::nullInputStream, -1))
        .isInstanceOf(ValidationException.class).hasMessageContaining("got -1");
  }

  @Test
  void contentId_whenHasSpaces_fails() {
    assertThatThrownBy(() -> OutboundAttachment.inline("a", "image/png", new byte[0], "a b"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("contentId");
  }
}
