package dev.mailcore.internal.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * The stream handed to an {@link AttachmentSink}: the part's decoded content, with close()
 * made harmless and mime4j runtime failures turned into IOExceptions (and remembered), so a
 * decoder bug surfaces as a parse error rather than as the sink's own failure. Not thread-safe.
 */
final class PartContent extends InputStream {
  private final InputStream in;
  private RuntimeException failure;

  PartContent(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public int available() throws IOException {
    try {
      return in.available();
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private IOException fail(RuntimeException e) {
    failure = e;
    return new IOException("MIME decoding failed: " + e, e);
  }

  RuntimeException failure() {
    return failure;
  }

  @Override
  public void close() {
    // Closing is the parser's business: the rest of the message follows this part.
  }
}
