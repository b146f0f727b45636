package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SesTransport} against the {@code aws-ses-v2-local} emulator (npm), when it is installed:
 * {@code MAILCORE_SES_LOCAL} names its {@code dist/cli.js} ({@code .ci/run} installs it). The
 * test starts it with {@code node} on a free loopback port and stops it afterwards. Without the
 * variable the test is skipped: the checking stand-in ({@link SesStandIn}) covers the same
 * calls in every build.
 */
class SesLocalEmulatorTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Process emulator;
  private URI endpoint;

  @BeforeEach
  void start() throws IOException {
    String cli = System.getenv("MAILCORE_SES_LOCAL");
    assumeTrue(cli != null && Files.isRegularFile(Path.of(cli)),
        "MAILCORE_SES_LOCAL does not name aws-ses-v2-local's dist/cli.js; emulator test skipped");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    endpoint = URI.create("http://127.0.0.1:" + port);
    emulator = new ProcessBuilder("node", cli, "--host", "127.0.0.1", "--port",
        Integer.toString(port)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("/health-check").statusCode() == 200);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void send_isAcceptedByTheEmulatorWithItsMessageId() throws Exception {
    MessageId id = new MessageId(UUID.randomUUID() + "@acme.test");
    byte[] raw = ("Message-ID: <" + id.value() + ">\r\nDate: Mon, 30 Nov 2026 12:00:00 +0000\r\n"
        + "From: support@acme.test\r\nTo: ann@one.test\r\nSubject: Emulated hello\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nBody\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    TransportResult result;
    try (SesTransport t = SesTransport.builder().region("us-east-1").endpoint(endpoint)
        .credentials(SesStandIn.credentials()).build()) {
      result = t.send(new TransportRequest(id, raw, "support@acme.test",
          List.of("ann@one.test", "audit@two.test")));
    }

    JsonNode store = new ObjectMapper().readTree(get("/store").body());
    assertThat(store.path("emails")).singleElement().satisfies(e -> {
      assertThat(e.path("messageId").asText()).isEqualTo(result.providerId());
      assertThat(e.path("subject").asText()).isEqualTo("Emulated hello");
    });
    assertThat(result.deliveredMessageId())
        .contains(new MessageId(result.providerId() + "@email.amazonses.com"));
  }
}
