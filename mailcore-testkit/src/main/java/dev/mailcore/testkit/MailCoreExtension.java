package dev.mailcore.testkit;

import dev.mailcore.MailCore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives each test a fresh {@link MailCoreTestkit} (and its
 * {@link MailCore}) as a parameter, closed after the test. Works on JUnit 5.10 and later,
 * JUnit 6 included; the testkit declares JUnit as {@code provided}, so the host's version is
 * the one that runs.
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
  private static final String KEY = "kit";

  /** Creates the extension; JUnit does this. */
  public MailCoreExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MailCoreTestkit.class || type == MailCore.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // get + put rather than a compute-if-absent call: Store.computeIfAbsent exists only from
    // JUnit 6, and getOrComputeIfAbsent is deprecated there. JUnit resolves one test's
    // parameters one after another, so nothing races between the get and the put.
    ExtensionContext.Store store = context.getStore(NS);
    MailCoreTestkit kit = store.get(KEY, MailCoreTestkit.class);
    if (kit == null) {
      kit = MailCoreTestkit.inMemory();
      store.put(KEY, kit);
    }
    return parameter.getParameter().getType() == MailCore.class ? kit.mail() : kit;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MailCoreTestkit kit = context.getStore(NS).remove(KEY, MailCoreTestkit.class);
    if (kit != null) {
      kit.close();
    }
  }
}
