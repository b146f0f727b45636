package dev.mailcore.internal.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test sink keeping each part's content in memory (small messages only). */
final class RecordingSink implements AttachmentSink {
  final List<PartInfo> infos = new ArrayList<>();
  final List<byte[]> contents = new ArrayList<>();

  @Override
  public StoredPart store(PartInfo info, InputStream content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      content.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    infos.add(info);
    contents.add(out.toByteArray());
    return new StoredPart("key-" + info.index(), out.size());
  }

  String text(int i) {
    return new String(contents.get(i), StandardCharsets.UTF_8);
  }
}
