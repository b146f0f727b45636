package dev.mailcore.internal.engine;

import dev.mailcore.Page;
import dev.mailcore.PageRequest;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.Keyset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Opaque page cursors. A cursor is the base64url of {@code kind:epochSecond:nano:uuid} (or
 * {@code kind:text} for text keys); the kind stops a cursor from one listing being used on
 * another.
 */
public final class Cursors {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private Cursors() {}

  /**
   * Decodes a keyset cursor of the given kind.
   *
   * @param kind the listing's name
   * @param page the request
   * @return the position, empty for the first page
   * @throws ValidationException if the cursor is malformed or from another listing
   */
  public static Optional<Keyset> keyset(String kind, PageRequest page) {
    return page.cursor().map(c -> {
      String[] p = decode(kind, c).split(":", 3);
      try {
        return new Keyset(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])),
            UUID.fromString(p[2]));
      } catch (RuntimeException e) {
        throw invalid(c);
      }
    });
  }

  /**
   * Decodes a text cursor of the given kind.
   *
   * @param kind the listing's name
   * @param page the request
   * @return the last key of the previous page, empty for the first page
   */
  public static Optional<String> text(String kind, PageRequest page) {
    return page.cursor().map(c -> decode(kind, c));
  }

  /**
   * Builds a page from up to {@code limit + 1} fetched rows: the extra row only signals that a
   * next page exists.
   *
   * @param kind the listing's name
   * @param rows fetched rows, at most limit + 1
   * @param limit the page size
   * @param position the keyset position of a row
   * @param <T> the row type
   * @return the page
   */
  public static <T> Page<T> keysetPage(String kind, List<T> rows, int limit,
      Function<T, Keyset> position) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, limit);
    Keyset k = position.apply(items.get(limit - 1));
    return new Page<>(items, Optional.of(encode(kind,
        k.at().getEpochSecond() + ":" + k.at().getNano() + ":" + k.id())));
  }

  /**
   * Builds a page from up to {@code limit + 1} rows keyed by text.
   *
   * @param kind the listing's name
   * @param rows fetched rows
   * @param limit the page size
   * @param key the text key of a row
   * @param <T> the row type
   * @return the page
   */
  public static <T> Page<T> textPage(String kind, List<T> rows, int limit, Function<T, String> key) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(items, Optional.of(encode(kind, key.apply(items.get(limit - 1)))));
  }

  private static String encode(String kind, String value) {
    return ENC.encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String kind, String cursor) {
    String s;
    try {
      s = new String(DEC.decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(cursor);
    }
    if (!s.startsWith(kind + ":")) {
      throw invalid(cursor);
    }
    return s.substring(kind.length() + 1);
  }

  private static ValidationException invalid(String cursor) {
    return new ValidationException("cursor", "'" + cursor + "' is not a cursor this listing"
        + " returned; pass Page.nextCursor() from the previous page of the same listing");
  }
}
