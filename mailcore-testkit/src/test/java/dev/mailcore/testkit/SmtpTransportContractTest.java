package dev.mailcore.testkit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailcore.smtp.SmtpTransport;
import dev.mailcore.spi.MailTransport;
import jakarta.mail.MessagingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transport contract against {@link SmtpTransport} talking to GreenMail on loopback. */
class SmtpTransportContractTest extends MailTransportContract {

  @RegisterExtension
  final GreenMailExtension greenMail = new GreenMailExtension(
      new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withPerMethodLifecycle(true);

  @Override
  protected MailTransport transport() {
    return SmtpTransport.builder().host("127.0.0.1").port(greenMail.getSmtp().getPort())
        .startTls(SmtpTransport.StartTls.DISABLED).build();
  }

  @Override
  protected List<byte[]> receivedBy(String recipient) {
    return greenMail.findReceivedMessages(u -> u.getEmail().equals(recipient), m -> true)
        .map(m -> {
          try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (MessagingException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
  }
}
