package dev.mailcore;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An inbound message could not be accepted as mail: it is not MIME at all, or it exceeds a
 * parsing limit (size, nesting depth, part count, header size). HTTP 422.
 *
 * <p>The raw bytes were stored before parsing began; {@link #rawStorageKey()} names where, so
 * nothing received is lost and the message can be inspected or re-ingested after a fix.
 * Immutable and thread-safe.
 */
public final class MalformedMessageException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final String rawStorageKey;

  /**
   * Creates the error.
   *
   * @param reason what is wrong with the message
   * @param rawStorageKey the key of the stored raw bytes in the raw namespace
   * @param cause the parser's failure, or {@code null}
   */
  public MalformedMessageException(String reason, String rawStorageKey, @Nullable Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + " (raw message kept at key "
        + Objects.requireNonNull(rawStorageKey, "rawStorageKey") + ")", cause);
    this.rawStorageKey = rawStorageKey;
  }

  /**
   * Where the raw bytes were stored in the blob store's raw namespace.
   *
   * @return the storage key
   */
  public String rawStorageKey() {
    return rawStorageKey;
  }

  @Override
  public int httpStatus() {
    return 422;
  }
}
