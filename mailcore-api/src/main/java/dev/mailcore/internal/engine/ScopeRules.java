package dev.mailcore.internal.engine;

import dev.mailcore.ValidationException;
import dev.mailcore.spi.Scope;

/**
 * The engine's rules for facades bound to a {@link Scope} (ADR 0016), in one place. Stateless.
 */
public final class ScopeRules {
  private ScopeRules() {}

  /**
   * Checks an organization argument of a facade: any valid organization when unscoped, only the
   * scope's own one when scoped (naming another is the caller's mistake, and says nothing about
   * what that organization holds).
   *
   * @param engine the engine, for the API's argument rules
   * @param scope the facade's scope
   * @param organizationId the argument
   * @return the checked organization id
   * @throws ValidationException if the id is invalid, or names another organization than the
   *     scope's
   */
  public static String organization(Engine engine, Scope scope, String organizationId) {
    String org = engine.config().rules().organization(organizationId);
    if (!scope.includes(org)) {
      throw new ValidationException("organizationId", "this view is bound to organization '"
          + scope.organizationId().orElseThrow() + "' (mail.forOrganization), got '" + org
          + "'; pass '" + scope.organizationId().orElseThrow() + "', or use the unscoped"
          + " MailCore to act for another organization");
    }
    return org;
  }

  /**
   * Refuses an operation that spans the whole account when called through a scoped view.
   *
   * @param scope the facade's scope
   * @param call the operation, as the caller wrote it (for the message)
   * @throws IllegalStateException if {@code scope} is an organization
   */
  public static void unscopedOnly(Scope scope, String call) {
    scope.organizationId().ifPresent(org -> {
      throw new IllegalStateException(call + " acts on the whole account, not on organization '"
          + org + "' alone, so a view from mail.forOrganization does not offer it; call it on"
          + " the unscoped MailCore (operators, inbound pipelines)");
    });
  }
}
