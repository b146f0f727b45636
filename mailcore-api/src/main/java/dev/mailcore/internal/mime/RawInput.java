package dev.mailcore.internal.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Wraps the raw message: counts bytes against {@link ParseLimits#maxMessageBytes()} and
 * remembers whether a failure came from the limit or from the underlying stream, so the parser
 * can report the right cause even when mime4j or a sink wrapped the exception on the way up.
 * Not thread-safe (one per parse).
 */
final class RawInput extends InputStream {
  private final InputStream in;
  private final long limit;
  private long count;
  private boolean exceeded;
  private IOException readFailure;

  RawInput(InputStream in, long limit) {
    this.in = in;
    this.limit = limit;
  }

  /** Thrown when the message grows past the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("message larger than " + limit + " bytes");
    }
  }

  @Override
  public int read() throws IOException {
    checkLimit();
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      readFailure = e;
      throw e;
    }
    if (b >= 0) {
      count++;
      checkLimit();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkLimit();
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      readFailure = e;
      throw e;
    }
    if (n > 0) {
      count += n;
      checkLimit();
    }
    return n;
  }

  private void checkLimit() throws TooLargeException {
    if (count > limit) {
      exceeded = true;
      throw new TooLargeException(limit);
    }
  }

  /** Reads whatever mime4j left unread (an ignored epilogue), still under the limit. */
  void drain(byte[] scratch) throws IOException {
    while (read(scratch, 0, scratch.length) >= 0) {
      // discard
    }
  }

  boolean exceeded() {
    return exceeded;
  }

  IOException readFailure() {
    return readFailure;
  }

  long count() {
    return count;
  }

  @Override
  public void close() {
    // The caller owns the raw stream; MimeParser.parse promises not to close it.
  }
}
