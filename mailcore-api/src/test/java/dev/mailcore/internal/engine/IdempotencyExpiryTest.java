package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a recorded send idempotency key expires: the engine's rule, not the store's. */
class IdempotencyExpiryTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:15:30.123456Z");

  private static IdempotencyRecord recordedAt(Instant at) {
    return new IdempotencyRecord(UUID.randomUUID(), "k", UUID.randomUUID(), at);
  }

  @Test
  void live_withinTheWindow_includingItsStart() {
    assertThat(SenderImpl.live(recordedAt(NOW), NOW)).isTrue();
    assertThat(SenderImpl.live(recordedAt(NOW.minus(SenderImpl.IDEMPOTENCY_WINDOW)), NOW))
        .isTrue();
  }

  @Test
  void live_olderThanTheWindow_hasExpired() {
    assertThat(SenderImpl.live(
        recordedAt(NOW.minus(SenderImpl.IDEMPOTENCY_WINDOW).minusNanos(1000)), NOW)).isFalse();
  }
}
