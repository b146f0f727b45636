package dev.mailcore.internal.mime;

import dev.mailcore.MessageId;
import dev.mailcore.ValidationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The one place Message-IDs are read out of header values (Message-ID, In-Reply-To,
 * References), for the parser and for the engine's quick top-header read.
 */
public final class MessageIds {
  private MessageIds() {}

  /**
   * The first usable id in a header value (Message-ID, In-Reply-To).
   *
   * @param text the raw header value, may be null
   * @return the id, if any
   */
  public static Optional<MessageId> first(String text) {
    List<MessageId> all = all(text);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Extracts message ids from Message-ID, In-Reply-To or References: every {@code <...>} token;
   * when a header has no bracketed token at all, bare tokens containing '@' (senders that drop
   * the brackets). Comments, quoted phrases and other garbage between ids are ignored; ids that
   * {@link MessageId} rejects are skipped; duplicates are removed, first occurrence kept.
   *
   * @param text the raw header value, may be null
   * @return the ids in order
   */
  public static List<MessageId> all(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    LinkedHashSet<MessageId> ids = new LinkedHashSet<>();
    int n = text.length();
    boolean bracketed = false;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '<') {
        int close = text.indexOf('>', i + 1);
        if (close < 0) {
          // an unclosed id is only trusted when it still looks like one (a broken fold can
          // leave "<invalid." behind)
          String rest = text.substring(i + 1).strip();
          if (rest.indexOf('@') > 0) {
            addId(ids, rest);
          }
          break;
        }
        int inner = text.lastIndexOf('<', close);
        if (inner > i) {
          // a stray '<' (a broken or truncated id) must not swallow the good id after it
          i = inner;
          continue;
        }
        bracketed = true;
        addId(ids, text.substring(i + 1, close));
        i = close + 1;
      } else if (c == '(') {
        i = AddressList.skipComment(text, i);
      } else if (c == '"') {
        int close = text.indexOf('"', i + 1);
        i = close < 0 ? n : close + 1;
      } else {
        i++;
      }
    }
    if (!bracketed && ids.isEmpty()) {
      for (String token : text.split("[\\s,;]+")) {
        if (token.indexOf('@') > 0 && token.indexOf('(') < 0 && token.indexOf('"') < 0) {
          addId(ids, token);
        }
      }
    }
    return List.copyOf(ids);
  }

  private static void addId(LinkedHashSet<MessageId> ids, String candidate) {
    // An id with whitespace inside is ambiguous (two ids? a phrase?); MessageId rejects it and
    // it is skipped rather than guessed at.
    String id = candidate.strip();
    if (id.isEmpty() || id.length() > MessageId.MAX_LENGTH) {
      return;
    }
    try {
      ids.add(new MessageId(id));
    } catch (ValidationException e) {
      // not a usable id; skipped
    }
  }
}
