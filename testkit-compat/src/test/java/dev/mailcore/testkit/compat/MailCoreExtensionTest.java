package dev.mailcore.testkit.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.testkit.MailCoreExtension;
import dev.mailcore.testkit.MailCoreTestkit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension as a host uses it: parameter injection, one testkit per test, closed after. */
@ExtendWith(MailCoreExtension.class)
class MailCoreExtensionTest {
  private static final AtomicReference<MailCoreTestkit> PREVIOUS = new AtomicReference<>();

  @Test
  void injectsTheTestkitAndItsMailCore_customerReplyJoinsTheConversation(MailCoreTestkit kit,
      MailCore mail) {
    assertThat(mail).isSameAs(kit.mail());
    Inbox support = kit.inbox("support@acme.test");

    kit.receive("Message-ID: <1@c.test>\r\nFrom: a@c.test\r\nTo: support@acme.test\r\n"
        + "Subject: Hi\r\n\r\nHello");
    kit.receive("Message-ID: <2@c.test>\r\nIn-Reply-To: <1@c.test>\r\nFrom: a@c.test\r\n"
        + "To: support@acme.test\r\nSubject: Re: Hi\r\n\r\nMore");

    assertThat(mail.threads().list(support.id(), PageRequest.first()).items()).singleElement()
        .satisfies(t -> assertThat(t.messageCount()).isEqualTo(2));
  }

  @RepeatedTest(2)
  void eachTestGetsAFreshTestkit_andTheLastOneIsClosed(MailCoreTestkit kit, RepetitionInfo rep) {
    MailCoreTestkit previous = PREVIOUS.getAndSet(kit);
    if (rep.getCurrentRepetition() == 2) {
      assertThat(previous).isNotNull().isNotSameAs(kit);
      assertThatThrownBy(() -> previous.mail().domains().byName("acme.test"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
    assertThat(kit.mail().domains().byName("acme.test")).isEmpty();
  }
}
