package dev.mailcore.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.spi.MailTransport;
import dev.mailcore.testkit.MailTransportContract;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The transport contract against {@link SesTransport}, real SDK client, SES stand-in. */
class SesTransportContractTest extends MailTransportContract {

  @RegisterExtension
  final SesStandIn ses = new SesStandIn();

  private SesV2Client client;
  private SesTransport transport;

  @Override
  protected MailTransport transport() {
    if (transport == null) {
      client = ses.client("eu-west-1");
      transport = SesTransport.builder().client(client).build();
    }
    return transport;
  }

  @Override
  protected List<byte[]> receivedBy(String recipient) {
    return ses.deliveredTo(recipient);
  }

  @AfterEach
  void closeClient() {
    assertThat(ses.problems()).isEmpty();
    if (client != null) {
      transport.close();
      client.close();
    }
  }
}
