package dev.mailcore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.spi.BlobStore.Namespace;
import dev.mailcore.testkit.internal.GeneratedStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What PostgresBlobStore adds to the contract: chunk rows, one migration history, settings. */
class PostgresBlobStoreTest {

  @RegisterExtension
  static final PostgresTestDatabase DB = new PostgresTestDatabase();

  private PostgresBlobStore store(int chunkSize) {
    return PostgresBlobStore.builder().dataSource(DB.dataSource()).schema(DB.schema())
        .schemaMode(PostgresMailStore.SchemaMode.MIGRATE).chunkSize(chunkSize).build();
  }

  private long count(String query) throws SQLException {
    try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void put_storesContentInChunksOfTheConfiguredSize_andReplacingRemovesTheOldChunks()
      throws SQLException {
    try (PostgresBlobStore blobs = store(64 << 10)) {
      blobs.put(Namespace.ATTACHMENTS, "chunked", new GeneratedStream((64 << 10) * 3 + 5, 1), -1,
          "application/pdf");
      assertThat(count("SELECT count(*) FROM " + DB.schema() + ".blob_chunks c JOIN "
          + DB.schema() + ".blobs b USING (blob_id) WHERE b.key = 'chunked'")).isEqualTo(4);
      assertThat(count("SELECT size_bytes FROM " + DB.schema() + ".blobs WHERE key = 'chunked'"))
          .isEqualTo((64 << 10) * 3 + 5);

      blobs.put(Namespace.ATTACHMENTS, "chunked", new ByteArrayInputStream(new byte[] {1}), 1,
          "application/pdf");
      blobs.delete(Namespace.ATTACHMENTS, "other-never-stored");
      assertThat(count("SELECT count(*) FROM " + DB.schema() + ".blob_chunks c JOIN "
          + DB.schema() + ".blobs b USING (blob_id) WHERE b.key = 'chunked'")).isEqualTo(1);
      long chunks = count("SELECT count(*) FROM " + DB.schema() + ".blob_chunks");
      blobs.delete(Namespace.ATTACHMENTS, "chunked");
      assertThat(count("SELECT count(*) FROM " + DB.schema() + ".blob_chunks"))
          .isEqualTo(chunks - 1);
    }
  }

  @Test
  void get_whenBlobIsReplacedWhileReading_failsInsteadOfMixingContents() throws IOException {
    try (PostgresBlobStore blobs = store(64 << 10)) {
      blobs.put(Namespace.RAW, "moving.eml", new GeneratedStream(300_000, 2), -1,
          "message/rfc822");
      try (InputStream in = blobs.get(Namespace.RAW, "moving.eml").orElseThrow()) {
        assertThat(in.readNBytes(70_000)).hasSize(70_000);
        blobs.put(Namespace.RAW, "moving.eml", new ByteArrayInputStream(
            "new".getBytes(StandardCharsets.US_ASCII)), 3, "message/rfc822");

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
            .hasMessageContaining("moving.eml").hasMessageContaining("replaced or deleted");
      }
    }
  }

  @Test
  void build_withValidate_onSchemaWithoutBlobTables_saysHowToMigrate() {
    String empty = DB.schema() + "_v";
    DB.execute("CREATE SCHEMA " + empty);
    try {
      assertThatThrownBy(() -> PostgresBlobStore.builder().dataSource(DB.dataSource())
          .schema(empty).build())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("schemaMode(SchemaMode.MIGRATE)");
    } finally {
      DB.execute("DROP SCHEMA " + empty + " CASCADE");
    }
  }

  @Test
  void build_migratesIntoTheMailStoresHistory_soEitherAdapterCanMigrateFirst()
      throws SQLException {
    try (PostgresBlobStore blobs = store(1 << 20)) {
      assertThat(blobs.migrate()).isZero();
    }
    try (PostgresMailStore mail = PostgresMailStore.builder().dataSource(DB.dataSource())
        .schema(DB.schema()).build()) {
      assertThat(mail.migrate()).isZero();
    }
    assertThat(count("SELECT count(*) FROM " + DB.schema() + ".mailcore_schema_history"
        + " WHERE success AND version = '4'")).isEqualTo(1);
  }

  @Test
  void builder_rejectsBadChunkSizeAndConflictingConnections() {
    assertThatThrownBy(() -> PostgresBlobStore.builder().chunkSize(1000))
        .isInstanceOf(ValidationException.class).hasMessageContaining("chunkSize")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> PostgresBlobStore.builder().dataSource(DB.dataSource())
        .jdbcUrl("jdbc:postgresql://127.0.0.1/test").build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("dataSource");
  }

  @Test
  void close_closesOwnPool_butNeverTheHostsDataSource() throws SQLException {
    PostgresBlobStore own = PostgresBlobStore.builder()
        .jdbcUrl(PostgresTestDatabase.server().jdbcUrl).username(PostgresTestDatabase.server().user)
        .schema(DB.schema()).schemaMode(PostgresMailStore.SchemaMode.MIGRATE).build();
    own.close();
    own.close();
    assertThatThrownBy(() -> own.exists(Namespace.RAW, "x"))
        .isInstanceOf(IllegalStateException.class);

    store(1 << 20).close();
    try (Connection c = DB.dataSource().getConnection()) {
      assertThat(c.isValid(2)).isTrue();
    }
  }
}
