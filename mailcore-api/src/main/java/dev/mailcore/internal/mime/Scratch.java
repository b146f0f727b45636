package dev.mailcore.internal.mime;

/**
 * The buffers of one parse, kept per thread between parses: a few-KB message otherwise allocates
 * (and the JVM zeroes) about 20 KB of buffers per parse, a few percent of its CPU time. A parse
 * {@link #borrow()}s them and {@link #giveBack()}s them when it is done; a parse that starts
 * while another one on the same thread holds them (a sink that parses) gets fresh ones. Buffers
 * that grew past {@link #KEEP_LIMIT} are dropped rather than kept for the thread's lifetime. Not
 * thread-safe: owned by one parse at a time.
 */
final class Scratch {
  /** The largest buffer kept for the next parse. */
  static final int KEEP_LIMIT = 64 << 10;
  private static final ThreadLocal<Scratch> FREE = new ThreadLocal<>();

  /** {@link HeaderRepair}'s line buffer, or null. */
  byte[] header;
  /** The text body buffer, or null. */
  byte[] body;
  /** The transfer decoders' input buffer, or null. */
  byte[] decoder;

  private Scratch() {}

  /** @return this thread's buffers, or new (empty) ones when a parse on this thread holds them */
  static Scratch borrow() {
    Scratch s = FREE.get();
    if (s == null) {
      return new Scratch();
    }
    FREE.set(null);
    return s;
  }

  /** Keeps the buffers for this thread's next parse; nothing may use them afterwards. */
  void giveBack() {
    header = kept(header);
    body = kept(body);
    decoder = kept(decoder);
    FREE.set(this);
  }

  private static byte[] kept(byte[] b) {
    return b != null && b.length <= KEEP_LIMIT ? b : null;
  }
}
