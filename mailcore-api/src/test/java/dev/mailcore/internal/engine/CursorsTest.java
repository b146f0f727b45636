package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.Keyset;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {
  private final Keyset k1 = new Keyset(Instant.parse("2026-01-01T00:00:00.123456Z"), UUID.randomUUID());
  private final Keyset k2 = new Keyset(Instant.parse("2026-01-02T00:00:00Z"), UUID.randomUUID());

  @Test
  void keysetPage_whenMoreRowsThanLimit_returnsCursorOfLastItemThatRoundTrips() {
    Page<Keyset> page = Cursors.keysetPage("threads", List.of(k1, k2), 1, k -> k);

    assertThat(page.items()).containsExactly(k1);
    assertThat(page.nextCursor()).isPresent();
    assertThat(Cursors.keyset("threads", PageRequest.after(page.nextCursor().get())))
        .contains(k1);
  }

  @Test
  void keysetPage_whenRowsFitTheLimit_hasNoCursor() {
    assertThat(Cursors.keysetPage("threads", List.of(k1, k2), 2, k -> k).nextCursor()).isEmpty();
  }

  @Test
  void keyset_whenCursorFromAnotherListing_isRejectedWithTheCursorInTheMessage() {
    String cursor = Cursors.keysetPage("domains", List.of(k1, k2), 1, k -> k).nextCursor().get();

    assertThatThrownBy(() -> Cursors.keyset("threads", PageRequest.after(cursor)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(cursor)
        .hasMessageContaining("nextCursor");
  }

  @Test
  void keyset_whenCursorIsGarbage_isRejected() {
    assertThatThrownBy(() -> Cursors.keyset("threads", PageRequest.after("%%%not-base64")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Cursors.keyset("threads", PageRequest.after("dGhyZWFkczp4eXo")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void textPage_roundTripsTheLastKey() {
    Page<String> page = Cursors.textPage("suppressions", List.of("a@x.test", "b@x.test"), 1, s -> s);

    assertThat(Cursors.text("suppressions", PageRequest.after(page.nextCursor().get())))
        .contains("a@x.test");
  }
}
