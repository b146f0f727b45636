package dev.mailcore.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailcore.EmailMessage;
import dev.mailcore.Inbox;
import dev.mailcore.MailCore;
import dev.mailcore.PageRequest;
import dev.mailcore.spi.TransportRequest;
import dev.mailcore.spi.TransportResult;
import dev.mailcore.testkit.RecordingTransport;
import dev.mailcore.testkit.internal.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The SES samples of the tests: AWS's and other projects' in the shared fixtures (read in place;
 * a test that needs one is skipped when they are absent) and mailcore's own in
 * {@code src/test/resources/dev/mailcore/aws/ses}.
 */
final class SesFixtures {
  private SesFixtures() {}

  /** A shared fixture file, or the test is skipped when the shared fixtures are absent. */
  static Path shared(String folder, String name) {
    Path dir = SharedFixtures.dir(folder).orElse(null);
    assumeTrue(dir != null, "shared fixtures not present: " + SharedFixtures.whereLooked());
    Path file = dir.resolve(name);
    assumeTrue(Files.isRegularFile(file), "shared fixture missing: " + file);
    return file;
  }

  /** A shared fixture's text. */
  static String sharedText(String folder, String name) {
    try {
      return Files.readString(shared(folder, name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One of mailcore's own samples. */
  static String own(String name) {
    try (InputStream in = SesFixtures.class.getResourceAsStream("ses/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource ses/" + name + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every message of an inbox, thread by thread. */
  static List<EmailMessage> messages(MailCore mail, Inbox inbox) {
    return mail.threads().list(inbox.id(), PageRequest.first()).items().stream()
        .flatMap(t -> mail.threads().messages(t.id(), PageRequest.first()).items().stream())
        .toList();
  }

  /**
   * A recording transport that reports the provider ids the test chooses, so a sent message
   * carries the SES message id a sample names.
   */
  static final class ChosenIds extends RecordingTransport {
    private final Queue<String> next = new ConcurrentLinkedQueue<>();

    ChosenIds next(String providerId) {
      next.add(providerId);
      return this;
    }

    @Override
    public TransportResult send(TransportRequest request) {
      TransportResult recorded = super.send(request);
      String chosen = next.poll();
      return chosen == null ? recorded
          : new TransportResult(chosen, recorded.deliveredMessageId());
    }
  }
}
