package dev.mailcore.benchmarks.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by this JVM and by the local PostgreSQL server processes, read from the
 * operating system, so a benchmark can say where a path's time goes on a shared machine: a
 * path that costs more CPU per message loses on two cores whatever the wall clock says. The
 * server side is read from {@code /proc} (Linux) as the summed user and system time of the
 * {@code postgres} processes serving the benchmark's database (their process title names it)
 * and of the server's background writer, WAL writer and checkpointer, whose work the writes
 * cause; other databases' backends on a shared machine are not counted. Elsewhere it reads as 0.
 * Not thread-safe; one meter per measured section.
 */
public final class CpuMeter {
  private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on every Linux port in use

  private static volatile String database = "";
  private final long jvmStart;
  private final double serverStart;

  private CpuMeter() {
    jvmStart = jvmNanos();
    serverStart = serverSeconds();
  }

  /**
   * Names the database whose backends count as the server side (from its JDBC URL); without
   * it every {@code postgres} process counts.
   *
   * @param jdbcUrl the benchmark's JDBC URL
   */
  public static void database(String jdbcUrl) {
    String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    int q = path.indexOf('?');
    database = q < 0 ? path : path.substring(0, q);
  }

  /**
   * Starts measuring.
   *
   * @return a meter holding the current readings
   */
  public static CpuMeter start() {
    return new CpuMeter();
  }

  /**
   * CPU seconds used since {@link #start()}.
   *
   * @return {jvm seconds, postgres seconds}
   */
  public double[] elapsed() {
    return new double[] {(jvmNanos() - jvmStart) / 1e9, serverSeconds() - serverStart};
  }

  private static long jvmNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  private static boolean counted(Path pid) throws IOException {
    if (database.isEmpty()) {
      return true;
    }
    String title = new String(Files.readAllBytes(pid.resolve("cmdline")),
        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    return title.contains(" " + database + " ") || title.contains("walwriter")
        || title.contains("checkpointer") || title.contains("background writer");
  }

  private static double serverSeconds() {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return 0;
    }
    long ticks = 0;
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path pid : pids) {
        try {
          String stat = Files.readString(pid.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")
              || !counted(pid)) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          // after the name: state(0) ... utime is field 14 of the line, index 11 here
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read it
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * TICK_SECONDS;
  }
}
