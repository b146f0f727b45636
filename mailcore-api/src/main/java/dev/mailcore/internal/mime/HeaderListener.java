package dev.mailcore.internal.mime;

/**
 * Told the top-level header's values during {@link MimeParser#parse}, before any body or
 * attachment is read, so a caller can act on the Message-ID (store the raw bytes under a key
 * derived from it) in the same pass that reads the rest.
 */
@FunctionalInterface
public interface HeaderListener {

  /** Ignores the header. */
  HeaderListener IGNORE = header -> {};

  /**
   * Called once per parse, when the top-level header block ends (or at the end of the input if
   * it never does). Not called when the parse fails before that. An exception thrown here ends
   * the parse and propagates unchanged.
   *
   * @param header the header's values
   */
  void topHeader(HeaderSummary header);
}
