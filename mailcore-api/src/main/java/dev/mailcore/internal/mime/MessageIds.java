package dev.mailcore.internal.mime;

import dev.mailcore.MessageId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Extracts Message-IDs from header values leniently: {@code <id>} tokens are preferred; a value
 * without brackets is split on whitespace and commas. Comments and garbage between ids are
 * ignored; unusable tokens are skipped.
 */
public final class MessageIds {
  private MessageIds() {}

  /**
   * The first usable id in a header value (Message-ID, In-Reply-To).
   *
   * @param headerValue the raw header value
   * @return the id, if any
   */
  public static Optional<MessageId> first(String headerValue) {
    List<MessageId> all = all(headerValue);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * All usable ids in a header value (References), in order, duplicates removed.
   *
   * @param headerValue the raw header value
   * @return the ids
   */
  public static List<MessageId> all(String headerValue) {
    if (headerValue == null) {
      return List.of();
    }
    Set<MessageId> out = new LinkedHashSet<>();
    int i = 0;
    boolean bracketed = false;
    while (true) {
      int lt = headerValue.indexOf('<', i);
      if (lt < 0) {
        break;
      }
      int gt = headerValue.indexOf('>', lt + 1);
      if (gt < 0) {
        break;
      }
      bracketed = true;
      add(headerValue.substring(lt + 1, gt), out);
      i = gt + 1;
    }
    if (!bracketed) {
      for (String token : headerValue.split("[\\s,]+")) {
        if (token.indexOf('@') > 0) {
          add(token, out);
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static void add(String candidate, Set<MessageId> out) {
    String s = candidate.strip();
    if (s.isEmpty() || s.length() > MessageId.MAX_LENGTH) {
      return;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c <= ' ' || c == 0x7f || c == '<' || c == '>') {
        return;
      }
    }
    out.add(new MessageId(s));
  }
}
