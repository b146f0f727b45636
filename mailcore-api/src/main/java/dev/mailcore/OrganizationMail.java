package dev.mailcore;

import dev.mailcore.internal.engine.Engine;
import java.util.Objects;

/**
 * The facades of {@link MailCore}, bound to one organization: what a multi-tenant host hands to
 * the code serving one customer. Obtained from {@link MailCore#forOrganization(String)} or
 * {@link MailCore#forOrganization(Principal)}.
 *
 * <p>Every lookup these facades make is scoped to the organization in the store itself (ADR
 * 0016). A resource of another organization is indistinguishable from one that does not exist:
 * a get answers empty, an operation by id throws {@link NotFoundException} with the same
 * message as for a random id, lists and pages never contain it. Sending from, replying to,
 * deleting, or subscribing a webhook to another organization's inbox fails the same way as with
 * an inbox id that does not exist.
 *
 * <p>Arguments naming an organization ({@code domains().create(org, ...)},
 * {@code domains().list(org, ...)}, {@code webhooks().register/list},
 * {@code authKeys().register/list}) must name this organization; another one is a
 * {@link ValidationException} (the caller's mistake, saying nothing about the other
 * organization).
 *
 * <p>Some operations act on the whole account and are refused here with an
 * {@link IllegalStateException}; call them on the unscoped {@link MailCore}:
 * {@code mailboxes().receive} and {@code receiveAll} (inbound mail is routed by recipient
 * address, whoever owns it), {@code suppressions().list} and {@code remove} (the suppression
 * list is account-wide, DESIGN section 3: the provider's sending reputation is shared, so one
 * tenant must neither see another's bounced recipients nor lift their suppression), and
 * {@code webhooks().dispatcher()} / {@code addListener} (they see every organization's
 * deliveries). {@code suppressions().add} and {@code check} are allowed: adding only protects the
 * shared reputation, and a send to a suppressed address reports it anyway.
 *
 * <p>Cheap to create (a few small objects sharing the {@code MailCore}); create one per request
 * or keep one per organization. Immutable and thread-safe; valid until the {@code MailCore} is
 * closed, after which calls fail with {@link IllegalStateException}. Nothing to close.
 */
public final class OrganizationMail {
  private final String organizationId;
  private final Engine.Scoped facades;

  OrganizationMail(String organizationId, Engine.Scoped facades) {
    this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
    this.facades = Objects.requireNonNull(facades, "facades");
  }

  /**
   * The organization these facades are bound to.
   *
   * @return the organization id
   */
  public String organizationId() {
    return organizationId;
  }

  /**
   * This organization's domains. {@code create} and {@code list} take this organization's id
   * (another one is a {@link ValidationException}); domain names stay unique across the whole
   * account, so registering a name another organization holds is a {@link ConflictException}
   * that names the domain, not the other organization's domain id.
   *
   * @return the domains facade
   */
  public Domains domains() {
    return facades.domains();
  }

  /**
   * This organization's inboxes. {@code receive} and {@code receiveAll} are refused (see the
   * class documentation).
   *
   * @return the mailboxes facade
   */
  public Mailboxes mailboxes() {
    return facades.mailboxes();
  }

  /**
   * The threads of this organization's inboxes.
   *
   * @return the threads facade
   */
  public Threads threads() {
    return facades.threads();
  }

  /**
   * The messages of this organization's inboxes, their raw bytes and attachments.
   *
   * @return the messages facade
   */
  public Messages messages() {
    return facades.messages();
  }

  /**
   * Sending from, and replying to messages of, this organization's inboxes.
   *
   * @return the sender facade
   */
  public Sender sender() {
    return facades.sender();
  }

  /**
   * Delivery status and events of this organization's messages. {@code record} by provider
   * message id finds only this organization's messages.
   *
   * @return the deliveries facade
   */
  public Deliveries deliveries() {
    return facades.deliveries();
  }

  /**
   * The account-wide suppression list, limited to {@code add} and {@code check}; {@code list}
   * and {@code remove} are refused (see the class documentation).
   *
   * @return the suppressions facade
   */
  public Suppressions suppressions() {
    return facades.suppressions();
  }

  /**
   * This organization's JWT keys. {@code authenticate} accepts only tokens of this
   * organization.
   *
   * @return the auth keys facade
   */
  public AuthKeys authKeys() {
    return facades.authKeys();
  }

  /**
   * This organization's webhook endpoints and their deliveries. {@code dispatcher()} and
   * {@code addListener} are refused (see the class documentation).
   *
   * @return the webhook registry
   */
  public WebhookRegistry webhooks() {
    return facades.webhooks();
  }

  @Override
  public String toString() {
    return "OrganizationMail[" + organizationId + "]";
  }
}
