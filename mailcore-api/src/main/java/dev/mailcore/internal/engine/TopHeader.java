package dev.mailcore.internal.engine;

import dev.mailcore.EmailAddress;
import dev.mailcore.MessageId;
import dev.mailcore.internal.mime.MessageIds;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * A quick read of the top-level header only: the Message-ID (needed for the storage keys before
 * the full parse) and To/Cc (the routing fallback when no envelope recipients were given).
 */
record TopHeader(Optional<MessageId> messageId, List<EmailAddress> toAndCc) {

  static TopHeader read(InputStream in, MimeConfig config) {
    Optional<MessageId> id = Optional.empty();
    List<EmailAddress> rcpts = new ArrayList<>();
    MimeTokenStream ts = new MimeTokenStream(config);
    ts.parse(in);
    try {
      for (EntityState s = ts.getState(); s != EntityState.T_END_OF_STREAM
          && s != EntityState.T_END_HEADER; s = ts.next()) {
        if (s != EntityState.T_FIELD) {
          continue;
        }
        Field f = ts.getField();
        String name = f.getName().toLowerCase(Locale.ROOT);
        if (name.equals("message-id") && id.isEmpty()) {
          id = MessageIds.first(f.getBody());
        } else if (name.equals("to") || name.equals("cc")) {
          addAddresses(f.getBody(), rcpts);
        }
      }
    } catch (IOException | MimeException | RuntimeException e) {
      // Best effort: whatever was read is used; the full parse reports real problems.
    }
    return new TopHeader(id, rcpts);
  }

  private static void addAddresses(String body, List<EmailAddress> out) {
    AddressList list = LenientAddressParser.DEFAULT.parseAddressList(body);
    for (Address a : list) {
      List<Mailbox> boxes = a instanceof Group g ? g.getMailboxes() : List.of((Mailbox) a);
      for (Mailbox m : boxes) {
        try {
          out.add(EmailAddress.of(m.getAddress()));
        } catch (RuntimeException ignored) {
          // an unparseable recipient header entry cannot be routed; skip it
        }
      }
    }
  }
}
