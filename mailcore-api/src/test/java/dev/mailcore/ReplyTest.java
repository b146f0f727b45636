package dev.mailcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplyTest {

  @Test
  void text_buildsMinimalReply() {
    Reply r = Reply.text("Thanks!");

    assertThat(r.text()).contains("Thanks!");
    assertThat(r.replyAll()).isFalse();
    assertThat(r.skipSuppressed()).isFalse();
  }

  @Test
  void build_whenNoBody_fails() {
    assertThatThrownBy(() -> Reply.builder().replyAll(true).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("body");
  }

  @Test
  void header_whenInjectionAttempt_fails() {
    assertThatThrownBy(() -> Reply.builder().header("X-A", "v\r\nBcc: x@y.test"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("header injection");
    assertThatThrownBy(() -> Reply.builder().header("In-Reply-To", "<x@y>"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void toBuilder_roundTrips() {
    Reply r = Reply.builder().text("t").html("<p>t</p>").replyAll(true).idempotencyKey("k")
        .skipSuppressed(true).header("X-A", "b")
        .attach(OutboundAttachment.of("a.txt", "text/plain", new byte[] {1, 2})).build();

    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(r.attachmentBytes()).isEqualTo(2);
  }
}
