package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.MessageId;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageKeysTest {
  private final Instant at = Instant.parse("2026-03-07T23:59:59Z");
  private final MessageId id = MessageId.of("<CAF=abc+def/ghi@mail.gmail.com>");

  @Test
  void raw_followsTheSeedLayoutWithHashedMessageId() {
    String key = StorageKeys.raw(id, at);

    assertThat(key).isEqualTo("2026/03/07/" + StorageKeys.sha256Hex("CAF=abc+def/ghi@mail.gmail.com") + ".eml");
    assertThat(key).matches("[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9a-f]{64}\\.eml");
  }

  @Test
  void attachment_keepsASafeExtensionAndDropsAnUnsafeOne() {
    UUID a = UUID.fromString("01890000-0000-7000-8000-000000000001");

    assertThat(StorageKeys.attachment(id, at, a, "Report Q1.PDF"))
        .isEqualTo("2026/03/07/" + StorageKeys.sha256Hex(id.value()) + "/" + a + ".pdf");
    assertThat(StorageKeys.attachment(id, at, a, "evil.$(rm -rf)"))
        .endsWith("/" + a);
    assertThat(StorageKeys.attachment(id, at, a, "noextension"))
        .endsWith("/" + a);
  }
}
