package dev.mailcore.postgres;

import dev.mailcore.StorageException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * The one place where JDBC failures become {@link StorageException}s. Decides retryability from
 * the SQLState: a caller may repeat the whole transaction after a serialization failure, a
 * deadlock, a lost connection or a server shutdown; anything else (constraint violations, bad
 * SQL, invalid input) would fail the same way again.
 */
final class SqlErrors {

  /** SQLState of a unique-constraint violation. */
  static final String UNIQUE_VIOLATION = "23505";

  /** SQLState of a foreign-key violation. */
  static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlErrors() {}

  /**
   * Translates a JDBC failure.
   *
   * @param purpose what the statement was for, as a verb phrase ("insert message")
   * @param e the failure
   * @return the exception to throw
   */
  static StorageException translate(String purpose, SQLException e) {
    String state = sqlState(e);
    boolean retryable = retryable(e, state);
    String message = "PostgreSQL failed to " + purpose + " (SQLState " + (state == null ? "none" : state)
        + (retryable ? ", transient: the transaction may be retried" : "") + "): "
        + firstLine(e.getMessage());
    return new StorageException(message, retryable, e);
  }

  /**
   * Whether a failure is transient.
   *
   * @param e the failure
   * @param state its SQLState (possibly of a nested cause)
   * @return true for serialization failures, deadlocks, connection loss and server shutdown
   */
  static boolean retryable(SQLException e, String state) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    if (state == null) {
      return false;
    }
    return state.equals("40001") // serialization_failure
        || state.equals("40P01") // deadlock_detected
        || state.startsWith("08") // connection exceptions
        || state.equals("57P01") // admin_shutdown (also pg_terminate_backend)
        || state.equals("57P02") // crash_shutdown
        || state.equals("57P03") // cannot_connect_now
        || state.equals("53300"); // too_many_connections
  }

  /**
   * The SQLState of {@code e} or of the first chained exception that has one (pools wrap the
   * driver's exception).
   */
  static String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
        return ((SQLException) t).getSQLState();
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    // The server's Detail/Where lines can quote row values; the first line says what failed.
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
