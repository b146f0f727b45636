package dev.mailcore.internal.threading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.EmailThread;
import dev.mailcore.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rule 5's tie-break among the subject candidates a store returns (ADR 0003). */
class ThreadResolverTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:15:30Z");

  private static EmailThread thread(String id, Instant updatedAt) {
    return new EmailThread(new ThreadId(UUID.fromString(id)), UUID.randomUUID(), "Status", T0,
        updatedAt, 1, Optional.empty());
  }

  @Test
  void rule5_severalCandidates_mostRecentlyActiveWins() {
    EmailThread older = thread("00000000-0000-0000-0000-000000000009", T0.plusSeconds(10));
    EmailThread newer = thread("00000000-0000-0000-0000-000000000001", T0.plusSeconds(20));

    assertThat(List.of(older, newer).stream().max(ThreadResolver.MOST_RECENTLY_ACTIVE))
        .contains(newer);
  }

  @Test
  void rule5_sameActivity_higherIdAsUnsignedNumberWins() {
    // 8... is above 7... as an unsigned number (and as PostgreSQL orders uuid), though
    // UUID.compareTo puts it first
    EmailThread low = thread("7fffffff-ffff-ffff-ffff-ffffffffffff", T0);
    EmailThread high = thread("80000000-0000-0000-0000-000000000000", T0);

    assertThat(List.of(high, low).stream().max(ThreadResolver.MOST_RECENTLY_ACTIVE))
        .contains(high);
    assertThat(List.of(low, high).stream().max(ThreadResolver.MOST_RECENTLY_ACTIVE))
        .contains(high);
  }
}
