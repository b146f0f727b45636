package dev.mailcore.internal.engine;

import dev.mailcore.InboundMail;
import dev.mailcore.MessageTooLargeException;
import dev.mailcore.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The raw bytes of one inbound message in a form that can be read several times (header scan,
 * blob upload, parse) without holding a large message on the heap: small streams stay in
 * memory, larger ones go to a temporary file that {@link #close()} deletes.
 */
final class RawSpool implements AutoCloseable {
  private static final int MEMORY_THRESHOLD = 1 << 20;

  private final byte[] bytes;
  private final Path file;
  private final boolean ownsFile;
  private final long size;
  private final String sha256;

  private RawSpool(byte[] bytes, Path file, boolean ownsFile, long size, String sha256) {
    this.bytes = bytes;
    this.file = file;
    this.ownsFile = ownsFile;
    this.size = size;
    this.sha256 = sha256;
  }

  static RawSpool of(InboundMail mail, long maxBytes) {
    try {
      if (mail.bytes().isPresent()) {
        byte[] b = mail.bytes().get();
        checkSize(b.length, maxBytes);
        MessageDigest d = StorageKeys.sha256();
        return new RawSpool(b, null, false, b.length, HexFormat.of().formatHex(d.digest(b)));
      }
      if (mail.file().isPresent()) {
        Path p = mail.file().get();
        long len = Files.size(p);
        checkSize(len, maxBytes);
        return new RawSpool(null, p, false, len, digest(Files.newInputStream(p), maxBytes));
      }
      return spool(mail.stream().orElseThrow(), maxBytes);
    } catch (IOException e) {
      throw new StorageException("reading the inbound message failed: " + e.getMessage(), true, e);
    }
  }

  private static RawSpool spool(InputStream in, long maxBytes) throws IOException {
    MessageDigest d = StorageKeys.sha256();
    DigestInputStream din = new DigestInputStream(in, d);
    ByteArrayOutputStream mem = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    long total = 0;
    Path tmp = null;
    OutputStream out = mem;
    try {
      for (int n; (n = din.read(buf)) > 0; ) {
        total += n;
        checkSize(total, maxBytes);
        if (tmp == null && total > MEMORY_THRESHOLD) {
          tmp = Files.createTempFile("mailcore-inbound-", ".eml");
          out = Files.newOutputStream(tmp);
          mem.writeTo(out);
          mem = null;
        }
        out.write(buf, 0, n);
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      out.close();
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
      throw e;
    }
    String sha = HexFormat.of().formatHex(d.digest());
    return tmp == null ? new RawSpool(mem.toByteArray(), null, false, total, sha)
        : new RawSpool(null, tmp, true, total, sha);
  }

  private static String digest(InputStream in, long maxBytes) throws IOException {
    MessageDigest d = StorageKeys.sha256();
    try (InputStream s = in) {
      byte[] buf = new byte[64 << 10];
      for (int n; (n = s.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void checkSize(long size, long maxBytes) {
    if (size > maxBytes) {
      throw new MessageTooLargeException(size, maxBytes);
    }
  }

  InputStream open() {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long size() {
    return size;
  }

  String sha256() {
    return sha256;
  }

  @Override
  public void close() {
    if (ownsFile) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();
      }
    }
  }
}
