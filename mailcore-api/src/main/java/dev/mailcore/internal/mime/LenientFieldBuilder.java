package dev.mailcore.internal.mime;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.FieldBuilder;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.RecycledByteArrayBuffer;

/**
 * mime4j's field builder, except that a line that is no header field is skipped instead of
 * reported. mime4j's own handling of such a line ("malformed header starts body") loses the line
 * after it and can throw {@code IllegalStateException} from its buffer (ADR 0013). Header blocks
 * are cut before such a line by {@link HeaderRepair}, so this only decides what happens to a bad
 * line that repair did not recognise (a part behind a boundary it could not see): it is left
 * out of that part's fields (the raw message keeps it). Not thread-safe: one per parse.
 */
final class LenientFieldBuilder implements FieldBuilder {
  private final DefaultFieldBuilder delegate;

  LenientFieldBuilder(int maxHeaderLen) {
    this.delegate = new DefaultFieldBuilder(maxHeaderLen);
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  public void append(ByteArrayBuffer line) throws MimeException {
    delegate.append(line);
  }

  @Override
  public RawField build() throws MimeException {
    try {
      return delegate.build();
    } catch (MaxHeaderLengthLimitException e) {
      throw e;
    } catch (MimeException e) {
      return null; // mime4j skips a field the builder returns as null
    }
  }

  @Override
  public RecycledByteArrayBuffer getRaw() {
    return delegate.getRaw();
  }

  @Override
  public void release() {
    delegate.release();
  }
}
