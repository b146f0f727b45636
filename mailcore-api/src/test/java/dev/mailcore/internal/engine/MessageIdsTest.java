package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.MessageId;
import dev.mailcore.internal.mime.MessageIds;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void all_readsBracketedIdsInOrderAndDropsDuplicatesAndGarbage() {
    assertThat(MessageIds.all("<a@x> (comment) <b@x>\r\n\t<a@x> junk <c d@x> <c@x>"))
        .containsExactly(MessageId.of("a@x"), MessageId.of("b@x"), MessageId.of("c@x"));
  }

  @Test
  void all_acceptsIdsWithoutBracketsWhenNoneAreBracketed() {
    assertThat(MessageIds.all("a@x, b@x  nonsense"))
        .containsExactly(MessageId.of("a@x"), MessageId.of("b@x"));
  }

  @Test
  void first_whenEmptyOrNull_isEmpty() {
    assertThat(MessageIds.first("")).isEmpty();
    assertThat(MessageIds.first(null)).isEmpty();
    assertThat(MessageIds.first("<>")).isEmpty();
  }
}
