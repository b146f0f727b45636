package dev.mailcore;

import java.util.Objects;

/**
 * The configured adapter cannot do what was asked, for example a download URL from a blob
 * store that cannot presign (in-memory, file system, PostgreSQL). HTTP 501: the request is
 * valid, this deployment does not implement it. The message names the adapter and what to use
 * instead. Never retryable. Immutable and thread-safe.
 */
public final class UnsupportedByStoreException extends MailCoreException {
  private static final long serialVersionUID = 1L;

  private final String capability;
  private final String store;

  /**
   * Creates the error.
   *
   * @param capability what was asked, for example {@code "attachment download URLs"}
   * @param store the configured adapter, for example {@code "FileSystemBlobStore[/var/mail]"}
   * @param instead what the caller can do instead
   */
  public UnsupportedByStoreException(String capability, String store, String instead) {
    super("the configured " + Objects.requireNonNull(store, "store") + " does not support "
        + Objects.requireNonNull(capability, "capability") + "; "
        + Objects.requireNonNull(instead, "instead"));
    this.capability = capability;
    this.store = store;
  }

  /**
   * What was asked.
   *
   * @return for example {@code "attachment download URLs"}
   */
  public String capability() {
    return capability;
  }

  /**
   * The adapter that cannot do it, as it describes itself.
   *
   * @return for example {@code "FileSystemBlobStore[/var/mail]"}
   */
  public String store() {
    return store;
  }

  @Override
  public int httpStatus() {
    return 501;
  }
}
