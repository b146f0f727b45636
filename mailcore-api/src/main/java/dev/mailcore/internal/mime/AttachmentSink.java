package dev.mailcore.internal.mime;

import java.io.InputStream;

/** Receives attachment contents while the parser streams through a message. */
@FunctionalInterface
public interface AttachmentSink {

  /**
   * Stores one part's decoded content. Must read {@code content} to its end (or as far as it
   * wants) without buffering it whole in memory; must not close it.
   *
   * @param info what the parser knows about the part
   * @param content the decoded (base64 / quoted-printable removed) bytes
   * @return where it was stored and how many bytes it had
   */
  StoredPart store(PartInfo info, InputStream content);
}
