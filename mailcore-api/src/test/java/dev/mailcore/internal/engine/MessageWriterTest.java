package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailThread;
import dev.mailcore.MessageId;
import dev.mailcore.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rules the engine decides for every store: thread bookkeeping when a message joins, and
 * who counts as a participant for subject threading (ADR 0003). Stores only persist the values.
 */
class MessageWriterTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:15:30Z");

  private static EmailThread thread(int count, Instant updatedAt, Optional<Instant> deletedAt) {
    return new EmailThread(new ThreadId(UUID.randomUUID()), UUID.randomUUID(), "Hello", T0,
        updatedAt, count, deletedAt);
  }

  private static MessageDraft draft(EmailAddress from, List<EmailAddress> to,
      List<EmailAddress> cc, List<EmailAddress> bcc) {
    return new MessageDraft(UUID.randomUUID(), new MessageId("m@example.com"), UUID.randomUUID(),
        Direction.INBOUND, from, to, cc, bcc, List.of(EmailAddress.of("reply@elsewhere.test")),
        "Re: Hello", T0, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        List.of(), "raw", T0);
  }

  @Test
  void joined_countsOneMore_andMovesActivityForward() {
    EmailThread t = thread(3, T0.plusSeconds(10), Optional.empty());

    EmailThread joined = MessageWriter.joined(t, T0.plusSeconds(20));

    assertThat(joined).isEqualTo(new EmailThread(t.id(), t.inboxId(), t.subject(),
        t.createdAt(), T0.plusSeconds(20), 4, Optional.empty()));
  }

  @Test
  void joined_withEarlierTime_neverMovesActivityBackwards() {
    // a writer whose clock is behind another's
    EmailThread t = thread(3, T0.plusSeconds(10), Optional.empty());

    assertThat(MessageWriter.joined(t, T0.plusSeconds(5)).updatedAt())
        .isEqualTo(T0.plusSeconds(10));
    assertThat(MessageWriter.joined(t, T0.plusSeconds(5)).messageCount()).isEqualTo(4);
  }

  @Test
  void joined_deletedThread_isRestored() {
    EmailThread t = thread(1, T0, Optional.of(T0.plusSeconds(1)));

    assertThat(MessageWriter.joined(t, T0.plusSeconds(2)).deletedAt()).isEmpty();
  }

  @Test
  void merged_sumsCounts_takesLatestActivity_keepsSurvivorIdentity() {
    EmailThread survivor = thread(3, T0.plusSeconds(10), Optional.empty());
    EmailThread later = thread(2, T0.plusSeconds(50), Optional.of(T0.plusSeconds(60)));
    EmailThread earlier = thread(4, T0.plusSeconds(5), Optional.empty());

    EmailThread merged = MessageWriter.merged(survivor, List.of(later, earlier));

    assertThat(merged).isEqualTo(new EmailThread(survivor.id(), survivor.inboxId(),
        survivor.subject(), survivor.createdAt(), T0.plusSeconds(50), 9, Optional.empty()));
    // the joining message then restores a deleted survivor
    EmailThread deleted = thread(1, T0, Optional.of(T0.plusSeconds(1)));
    assertThat(MessageWriter.joined(MessageWriter.merged(deleted, List.of(later)),
        T0.plusSeconds(70)).deletedAt()).isEmpty();
  }

  @Test
  void participants_areFromToAndCc_normalized_withoutBccReplyToOrTheInboxDomain() {
    MessageDraft d = draft(EmailAddress.of("Ann.Lee@Example.COM"),
        List.of(EmailAddress.of("support@acme.test"), EmailAddress.of("Bob@Example.net")),
        List.of(EmailAddress.of("carol@example.org"), EmailAddress.of("ann.lee@example.com")),
        List.of(EmailAddress.of("secret@example.com")));

    assertThat(MessageWriter.participants(d, "acme.test"))
        .containsExactly("ann.lee@example.com", "bob@example.net", "carol@example.org");
  }
}
