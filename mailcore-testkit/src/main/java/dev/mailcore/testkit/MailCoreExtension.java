package dev.mailcore.testkit;

import dev.mailcore.MailCore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test a fresh {@link MailCoreTestkit} (and its
 * {@link MailCore}) as a parameter, closed after the test.
 *
 * <pre>{@code
 * @ExtendWith(MailCoreExtension.class)
 * class SupportInboxTest {
 *   @Test
 *   void replyLandsInThread(MailCoreTestkit kit, MailCore mail) { ... }
 * }
 * }</pre>
 *
 * <p>Within one test, every injected parameter is the same instance (the {@code MailCore}
 * parameter is the testkit's). Thread-safe.
 */
public final class MailCoreExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(MailCoreExtension.class);

  /** Creates the extension; JUnit does this. */
  public MailCoreExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MailCoreTestkit.class || type == MailCore.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MailCoreTestkit kit = context.getStore(NS)
        .computeIfAbsent("kit", k -> MailCoreTestkit.inMemory(), MailCoreTestkit.class);
    return parameter.getParameter().getType() == MailCore.class ? kit.mail() : kit;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MailCoreTestkit kit = context.getStore(NS).remove("kit", MailCoreTestkit.class);
    if (kit != null) {
      kit.close();
    }
  }
}
