package dev.mailcore.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.HostResolver;
import dev.mailcore.ValidationException;
import dev.mailcore.WebhookSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which URLs this module's test JVM, started without
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host}, can deliver to the checked address.
 */
class ConnectionsTest {

  @Test
  void thisJvmHasNoHostHeader() {
    assertThat(Connections.hostHeaderAllowed()).isFalse();
  }

  @Test
  void plainHttpToAName_isRefusedNamingTheUrlAndTheThreeFixes() {
    assertThatThrownBy(() -> Connections.requirePinnable(URI.create("http://hook.test/in"),
        true)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("url").hasMessageContaining("http://hook.test/in")
        .hasMessageContaining("use https").hasMessageContaining("use an IP literal")
        .hasMessageContaining("-Djdk.httpclient.allowRestrictedHeaders=host");
    assertThatThrownBy(() -> Connections.requirePinnable(URI.create("http://localhost/in"),
        false)).as("localhost only when loopback is allowed")
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void httpsNamesIpLiteralsAndAllowedLocalhost_arePinnable() {
    for (String url : List.of("https://hook.test/in", "http://203.0.113.9:8080/in",
        "http://[2001:db8::1]/in", "http://LOCALHOST:8080/in")) {
      assertThatCode(() -> Connections.requirePinnable(URI.create(url), true)).as(url)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void plainHttpToAName_isRefusedAtSendTimeBeforeAnyLookup() {
    AtomicInteger lookups = new AtomicInteger();
    HostResolver resolver = host -> {
      lookups.incrementAndGet();
      return List.of(InetAddress.getLoopbackAddress());
    };
    WebhookSettings settings = WebhookSettings.builder().allowLoopback(true).resolver(resolver)
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Connections connections = new Connections(settings, executor,
        new SsrfGuard(true, resolver));
    try {
      assertThatThrownBy(() -> connections.target(URI.create("http://hook.test:8080/in")))
          .isInstanceOf(ValidationException.class).hasMessageContaining("use https");
      assertThat(lookups).hasValue(0);
      assertThat(connections.target(URI.create("https://hook.test:8443/in")).request().build()
          .uri()).as("https keeps its name: the tunnel resolves it")
          .isEqualTo(URI.create("https://hook.test:8443/in"));
      assertThat(lookups).hasValue(1);
    } finally {
      connections.close();
      executor.shutdownNow();
    }
  }
}
