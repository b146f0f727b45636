package dev.mailcore.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailcore.AuthKey;
import dev.mailcore.AuthenticationException;
import dev.mailcore.Domain;
import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.InboxSpec;
import dev.mailcore.MailCore;
import dev.mailcore.NotFoundException;
import dev.mailcore.OrganizationMail;
import dev.mailcore.OutboundEmail;
import dev.mailcore.PageRequest;
import dev.mailcore.Principal;
import dev.mailcore.Reply;
import dev.mailcore.WebhookEndpoint;
import dev.mailcore.WebhookEventType;
import dev.mailcore.WebhookSettings;
import dev.mailcore.WebhookSpec;
import dev.mailcore.testkit.CrossTenantContract;
import dev.mailcore.testkit.MailCoreTestkit;
import dev.mailcore.testkit.TestEmail;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 4, the attack the other token tests cannot cover: a perfectly valid token of
 * organization A, used on organization B's resources. The token authenticates (it is A's), so
 * the defence is the scope: {@code mail.forOrganization(principal)} sees only A's rows, and
 * every id of B answers {@link NotFoundException} exactly as an id nobody has. Trying to make A's
 * token speak for B fails at authentication (401).
 */
class CrossTenantTokenAttackTest {
  private static final SigningKey ATTACKER = SigningKey.es256();

  private final MailCoreTestkit kit = MailCoreTestkit.builder()
      .webhooks(WebhookSettings.builder().allowLoopback(true).build()).build();
  private final MailCore mail = kit.mail();
  private final AuthKey attackerKey = mail.authKeys().register("org_attacker", "ci",
      ATTACKER.publicPem(), ATTACKER.algorithm());
  private final OrganizationMail victim = mail.forOrganization("org_victim");
  private final Domain victimDomain = victim.domains().create("org_victim", "victim.test");
  private final Inbox victimInbox = victim.mailboxes().create(victimDomain.id(),
      InboxSpec.of("support", "Support"));
  private final EmailMessage victimMessage = kit.receive(TestEmail.builder()
      .to("support@victim.test").subject("Payroll").build()).deliveries().get(0).message();
  private final WebhookEndpoint victimEndpoint = victim.webhooks().register("org_victim",
      WebhookSpec.of("http://127.0.0.1:9/hook", WebhookEventType.MESSAGE_RECEIVED)).endpoint();
  private final AuthKey victimKey = victim.authKeys().register("org_victim", "ci",
      SigningKey.es256().publicPem(), ATTACKER.algorithm());

  @AfterEach
  void close() {
    kit.close();
  }

  private String attackerToken(String iss) {
    return ATTACKER.token(attackerKey.id().toString(),
        SigningKey.claims(iss, MailCoreTestkit.DEFAULT_START).build());
  }

  /** On the victim's id, the same NotFoundException (message and all) as on a random id. */
  private static void notFoundLikeMissing(UUID victimId, Consumer<UUID> call) {
    CrossTenantContract.assertLikeMissing(victimId, call);
    assertThatThrownBy(() -> call.accept(victimId)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aValidTokenOfA_scopesToA_andEveryIdOfB_isNotFound() {
    Principal p = mail.authKeys().authenticate(attackerToken("org_attacker"));
    assertThat(p.organizationId()).isEqualTo("org_attacker");
    OrganizationMail attacker = mail.forOrganization(p);

    assertThat(attacker.domains().get(victimDomain.id())).isEmpty();
    assertThat(attacker.mailboxes().get(victimInbox.id())).isEmpty();
    assertThat(attacker.messages().get(victimMessage.id())).isEmpty();
    assertThat(attacker.threads().get(victimMessage.threadId())).isEmpty();
    assertThat(attacker.threads().list(victimInbox.id(), PageRequest.first()).items()).isEmpty();
    assertThat(attacker.webhooks().get(victimEndpoint.id())).isEmpty();
    assertThat(attacker.authKeys().get(victimKey.id())).isEmpty();
    notFoundLikeMissing(victimDomain.id(), id -> attacker.domains().delete(id));
    notFoundLikeMissing(victimInbox.id(), id -> attacker.mailboxes().delete(id));
    notFoundLikeMissing(victimMessage.id(), id -> attacker.messages().raw(id));
    notFoundLikeMissing(victimInbox.id(), id -> attacker.sender().send(OutboundEmail.builder()
        .inboxId(id).to("ceo@example.test").subject("Wire transfer").text("urgent").build()));
    notFoundLikeMissing(victimMessage.id(), id -> attacker.sender().reply(id, Reply.text("x")));
    notFoundLikeMissing(victimEndpoint.id(), id -> attacker.webhooks().rotateSecret(id));
    notFoundLikeMissing(victimKey.id(), id -> attacker.authKeys().revoke(id));

    assertThat(kit.transport().sent()).isEmpty();
    assertThat(victim.domains().get(victimDomain.id())).isPresent();
    assertThat(victim.authKeys().get(victimKey.id()).orElseThrow().revoked()).isFalse();
  }

  @Test
  void aTokenOfA_claimingToBeB_isRefusedWith401() {
    assertThatThrownBy(() -> mail.authKeys().authenticate(attackerToken("org_victim")))
        .isExactlyInstanceOf(AuthenticationException.class)
        .hasMessageContaining("a key signs only for its own organization");
  }

  @Test
  void aValidTokenOfA_authenticatedThroughBsView_isRefusedWith401() {
    AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
        () -> victim.authKeys().authenticate(attackerToken("org_attacker")));
    assertThat(e).isNotNull();
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.getMessage()).doesNotContain(victimKey.id().toString());
  }
}
