package dev.mailcore.internal.mime;

/**
 * Bounds the parser enforces so hostile input fails cleanly instead of exhausting memory or
 * stack.
 *
 * @param maxMessageBytes the largest raw message accepted
 * @param maxDepth the deepest multipart / message/rfc822 nesting accepted
 * @param maxParts the most body parts (leaves and containers) accepted
 * @param maxHeaderBytes the largest single header field (after unfolding) accepted
 * @param maxHeaderCount the most header fields per entity accepted
 * @param maxBodyBytes the largest text/plain or text/html body kept inline as a String; a larger
 *     text part is stored as an attachment instead (so nothing is lost and the heap stays flat)
 */
public record ParseLimits(long maxMessageBytes, int maxDepth, int maxParts, int maxHeaderBytes,
    int maxHeaderCount, int maxBodyBytes) {

  /** Defaults: 40 MiB messages, depth 32, 1000 parts, 64 KiB headers, 2000 fields, 4 MiB bodies. */
  public static final ParseLimits DEFAULTS =
      new ParseLimits(40L << 20, 32, 1000, 64 << 10, 2000, 4 << 20);
}
