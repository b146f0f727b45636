package dev.mailcore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A {@link BlobStore} in PostgreSQL, so a deployment needs nothing but a database: raw mail and
 * attachments live in mailcore's own tables {@code blobs} (one row per blob) and
 * {@code blob_chunks} (its content in chunks of {@link Builder#chunkSize} bytes, 1 MiB by
 * default), created by the same Flyway migrations, in the same history, as
 * {@link PostgresMailStore}'s tables.
 *
 * <pre>{@code
 * BlobStore blobs = PostgresBlobStore.builder()
 *     .dataSource(hostDataSource)        // or .jdbcUrl(..).username(..).password(..)
 *     .schema("mailcore")                // the same schema as the PostgresMailStore
 *     .build();
 * }</pre>
 *
 * <p><b>Streaming.</b> {@link #put} reads the content one chunk at a time and inserts each chunk
 * as it is read; {@link #get} returns a stream that fetches one chunk per query as the caller
 * reads. Either way at most a chunk or two is on the heap, whatever the blob's size.
 *
 * <p><b>Atomic puts.</b> A put runs in one transaction: the blob row, all its chunks, and the
 * removal of the blob it replaces commit together, so readers see the old blob or the whole new
 * one, and a failed put leaves nothing. Puts of the same key are serialized by the key's row.
 * A read stream fetches chunks without holding a connection or a transaction between reads, so
 * an abandoned stream holds nothing; if the blob is replaced or deleted while a stream is
 * reading it, the stream fails with an {@link IOException} instead of mixing two contents.
 *
 * <p><b>Connections and schema</b> work exactly as for {@link PostgresMailStore}: a host
 * {@link DataSource} is never closed; a pool built from {@link Builder#jdbcUrl} is closed by
 * {@link #close()}. Give both adapters the same schema; whichever migrates first creates every
 * table. Failures are {@link StorageException}s ({@code retryable()} for lost connections,
 * serialization failures and failures reading the caller's content). Does not presign:
 * {@link #downloadUrl} is empty, stream attachments instead.
 *
 * <p>Thread-safe: share one instance.
 */
public final class PostgresBlobStore implements BlobStore {
  private static final int DEFAULT_CHUNK_SIZE = 1 << 20;
  private static final int PUT_ATTEMPTS = 3;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Migrations migrations;
  private final SqlText sql;
  private final int chunkSize;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresBlobStore(DataSource dataSource, HikariDataSource ownedPool, String schema,
      int chunkSize) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.migrations = new Migrations(dataSource, schema);
    this.sql = new SqlText(schema);
    this.chunkSize = chunkSize;
  }

  /**
   * Starts configuring a store.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if the database fails or the content stream fails; nothing new is
   *     visible under the key afterwards
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public void put(Namespace namespace, String key, InputStream content, long length,
      String contentType) {
    String ns = name(namespace);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(content, "content");
    String type = contentType == null ? "application/octet-stream" : contentType;
    checkOpen();
    String purpose = "store " + ns + " blob '" + key + "'";
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        UUID blobId = claim(c, ns, key, type, purpose);
        long size = writeChunks(c, blobId, content, ns, key);
        try (PreparedStatement s = c.prepareStatement(
            sql.of("UPDATE {s}blobs SET size_bytes = ? WHERE blob_id = ?"))) {
          s.setLong(1, size);
          s.setObject(2, blobId);
          s.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        PostgresMailStore.rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(purpose, e);
    }
  }

  /**
   * Replaces whatever the key holds with a new, still empty blob row, in the open transaction.
   * A concurrent put of a new key can win the insert; the content has not been read yet, so
   * the claim is simply tried again.
   */
  private UUID claim(Connection c, String ns, String key, String type, String purpose)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      UUID blobId = UUID.randomUUID();
      try {
        deleteRow(c, ns, key);
        try (PreparedStatement s = c.prepareStatement(sql.of("INSERT INTO {s}blobs"
            + " (namespace, key, blob_id, content_type, size_bytes) VALUES (?, ?, ?, ?, 0)"))) {
          s.setString(1, ns);
          s.setString(2, key);
          s.setObject(3, blobId);
          s.setString(4, type);
          s.executeUpdate();
        }
        return blobId;
      } catch (SQLException e) {
        if (!SqlErrors.UNIQUE_VIOLATION.equals(SqlErrors.sqlState(e)) || attempt == PUT_ATTEMPTS) {
          throw e;
        }
        c.rollback();
      }
    }
  }

  private long writeChunks(Connection c, UUID blobId, InputStream content, String ns,
      String key) throws SQLException {
    byte[] buffer = new byte[chunkSize];
    long total = 0;
    try (PreparedStatement s = c.prepareStatement(
        sql.of("INSERT INTO {s}blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)"))) {
      for (int seq = 0; ; seq++) {
        int n;
        try {
          n = content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
          throw new StorageException("reading the content to store as " + ns + " blob '" + key
              + "' failed: " + e, true, e);
        }
        if (n == 0) {
          return total;
        }
        s.setObject(1, blobId);
        s.setInt(2, seq);
        s.setBinaryStream(3, new ByteArrayInputStream(buffer, 0, n), n);
        s.executeUpdate();
        total += n;
        if (n < buffer.length) {
          return total;
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream reads the blob a chunk per query; it holds no connection between reads, and
   * fails with an {@link IOException} if the blob is replaced or deleted while it reads.
   *
   * @throws StorageException if the database fails
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public Optional<InputStream> get(Namespace namespace, String key) {
    String ns = name(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql.of(
            "SELECT blob_id, size_bytes FROM {s}blobs WHERE namespace = ? AND key = ?"))) {
      s.setString(1, ns);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new ChunkStream(rs.getObject(1, UUID.class), rs.getLong(2), ns, key));
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("read " + ns + " blob '" + key + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if the database fails
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public boolean exists(Namespace namespace, String key) {
    String ns = name(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            sql.of("SELECT 1 FROM {s}blobs WHERE namespace = ? AND key = ?"))) {
      s.setString(1, ns);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("look up " + ns + " blob '" + key + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException if the database fails
   * @throws IllegalStateException if the store was closed
   */
  @Override
  public void delete(Namespace namespace, String key) {
    String ns = name(namespace);
    Objects.requireNonNull(key, "key");
    checkOpen();
    try (Connection c = dataSource.getConnection()) {
      deleteRow(c, ns, key);
    } catch (SQLException e) {
      throw SqlErrors.translate("delete " + ns + " blob '" + key + "'", e);
    }
  }

  /** Deletes a blob row; its chunks go with it (ON DELETE CASCADE). */
  private void deleteRow(Connection c, String ns, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        sql.of("DELETE FROM {s}blobs WHERE namespace = ? AND key = ?"))) {
      s.setString(1, ns);
      s.setString(2, key);
      s.executeUpdate();
    }
  }

  /**
   * Applies mailcore's pending schema migrations (the same as
   * {@link PostgresMailStore#migrate()}: one history for both).
   *
   * @return how many migrations were applied
   * @throws StorageException if the database has a newer mailcore schema or a migration fails
   */
  public int migrate() {
    checkOpen();
    return migrations.migrate();
  }

  /**
   * Closes the pool this store created from a JDBC URL; a host {@link DataSource} is left open.
   * Open read streams fail on their next chunk. Idempotent; later calls fail with
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresBlobStore[" + (ownedPool != null ? "pool "
        + ConnectionSettings.redact(ownedPool.getJdbcUrl()) : "host DataSource") + "]";
  }

  private static String name(Namespace namespace) {
    return Objects.requireNonNull(namespace, "namespace").name().toLowerCase(Locale.ROOT);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("PostgresBlobStore is closed");
    }
  }

  /** Reads a blob chunk by chunk, one short query per chunk. Not thread-safe. */
  private final class ChunkStream extends InputStream {
    private final UUID blobId;
    private final long size;
    private final String ns;
    private final String key;
    private byte[] chunk = new byte[0];
    private int pos;
    private int nextSeq;
    private long delivered;
    private boolean closedStream;

    ChunkStream(UUID blobId, long size, String ns, String key) {
      this.blobId = blobId;
      this.size = size;
      this.ns = ns;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (closedStream) {
        throw new IOException("the stream of " + ns + " blob '" + key + "' is closed");
      }
      if (len == 0) {
        return 0;
      }
      if (pos == chunk.length) {
        if (delivered >= size) {
          return -1;
        }
        chunk = fetch(nextSeq++);
        pos = 0;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      delivered += n;
      return n;
    }

    @Override
    public int available() {
      return chunk.length - pos;
    }

    private byte[] fetch(int seq) throws IOException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(
              sql.of("SELECT data FROM {s}blob_chunks WHERE blob_id = ? AND seq = ?"))) {
        s.setObject(1, blobId);
        s.setInt(2, seq);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new IOException(ns + " blob '" + key + "' was replaced or deleted while it"
                + " was being read (chunk " + seq + " of blob " + blobId + " is gone after "
                + delivered + " of " + size + " bytes); open it again");
          }
          byte[] data = rs.getBytes(1);
          if (data.length == 0) {
            throw new IOException("chunk " + seq + " of " + ns + " blob '" + key + "' is empty");
          }
          return data;
        }
      } catch (SQLException e) {
        throw new IOException(SqlErrors.translate("read chunk " + seq + " of " + ns + " blob '"
            + key + "'", e).getMessage(), e);
      }
    }

    @Override
    public void close() {
      closedStream = true;
      chunk = new byte[0];
    }
  }

  /**
   * Configures a {@link PostgresBlobStore}: the same connection and schema settings as
   * {@link PostgresMailStore.Builder}, plus the chunk size. Give exactly one of
   * {@link #dataSource} or {@link #jdbcUrl}. Not thread-safe.
   */
  public static final class Builder extends ConnectionSettings<Builder> {
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    private Builder() {}

    /**
     * How many bytes each chunk row holds (default 1 MiB). A put or a read stream holds about
     * one chunk on the heap; smaller chunks mean more rows and round trips per blob.
     *
     * @param bytes between 64 KiB and 64 MiB
     * @return this builder
     * @throws ValidationException if out of range
     */
    public Builder chunkSize(int bytes) {
      if (bytes < (64 << 10) || bytes > (64 << 20)) {
        throw new ValidationException("chunkSize", "must be between 64 KiB (65536) and 64 MiB"
            + " (67108864) bytes, got " + bytes);
      }
      this.chunkSize = bytes;
      return this;
    }

    /**
     * Creates the store: builds the pool (when configured by URL), then migrates or validates
     * the schema as configured.
     *
     * @return the store
     * @throws ValidationException if the settings are missing or contradict each other
     * @throws StorageException if the database cannot be reached, or the schema is out of date
     *     (VALIDATE), newer than this library, or fails to migrate
     */
    public PostgresBlobStore build() {
      Connected c = connect("mailcore-blobs");
      PostgresBlobStore store = new PostgresBlobStore(c.dataSource(), c.ownedPool(), schema,
          chunkSize);
      prepareSchema(store.migrations, store);
      return store;
    }
  }
}
