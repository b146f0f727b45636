package dev.mailcore.testkit;

import dev.mailcore.spi.MailTransport;
import java.util.List;

class RecordingTransportContractTest extends MailTransportContract {
  private final RecordingTransport transport = new RecordingTransport();

  @Override
  protected MailTransport transport() {
    return transport;
  }

  @Override
  protected List<byte[]> receivedBy(String recipient) {
    return transport.sent().stream().filter(m -> m.envelopeRecipients().contains(recipient))
        .map(SentMail::raw).toList();
  }
}
