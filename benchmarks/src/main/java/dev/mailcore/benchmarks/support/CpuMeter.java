package dev.mailcore.benchmarks.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CPU time spent by this JVM and by the local PostgreSQL server processes, read from the
 * operating system, so a benchmark can say where a path's time goes on a shared machine: a
 * path that costs more CPU per message loses on two cores whatever the wall clock says. The
 * server side is read from {@code /proc} (Linux) as the summed user and system time of every
 * process named {@code postgres} (the backends serving the benchmark and the background writer,
 * WAL writer and checkpointer they cause); elsewhere it reads as 0. On a machine others use,
 * {@link #start(String)} counts only the backends connected to one database (their process title
 * names it), so other people's tests against the same server are not counted: that leaves out
 * the shared background writer, WAL writer and checkpointer. Not thread-safe; one meter per
 * measured section.
 */
public final class CpuMeter {
  private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on every Linux port in use

  private final String database;
  private final long jvmStart;
  private final double serverStart;

  private CpuMeter(String database) {
    this.database = database;
    jvmStart = jvmNanos();
    serverStart = serverSeconds(database);
  }

  /**
   * Starts measuring.
   *
   * @return a meter holding the current readings
   */
  public static CpuMeter start() {
    return new CpuMeter(null);
  }

  /**
   * Starts measuring, counting only the PostgreSQL backends connected to {@code database}.
   *
   * @param database the database name, as in the JDBC URL
   * @return a meter holding the current readings
   */
  public static CpuMeter start(String database) {
    return new CpuMeter(java.util.Objects.requireNonNull(database, "database"));
  }

  /**
   * The database a PostgreSQL JDBC URL names, for {@link #start(String)}.
   *
   * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:5432/bench?ssl=false}
   * @return the database name, here {@code bench}
   */
  public static String databaseOf(String jdbcUrl) {
    return jdbcUrl.replaceFirst("\\?.*", "").replaceFirst(".*/", "");
  }

  /**
   * CPU seconds used since {@link #start()}.
   *
   * @return {jvm seconds, postgres seconds}
   */
  public double[] elapsed() {
    return new double[] {(jvmNanos() - jvmStart) / 1e9, serverSeconds(database) - serverStart};
  }

  /**
   * CPU seconds this JVM's JIT compiler threads have used so far (Linux {@code /proc}; 0
   * elsewhere). A compiler thread that ended took its time with it, so this is a lower bound.
   *
   * @return summed user and system seconds of the threads named {@code C1/C2 CompilerThread*}
   */
  public static double jitSeconds() {
    double seconds = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        Optional<ProcStat> stat = ProcStat.of(task);
        // the kernel keeps 15 characters of a thread's name: "C2 CompilerThre"
        if (stat.isPresent() && stat.get().name().matches("C[12] CompilerThre.*")) {
          seconds += stat.get().seconds();
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return seconds;
  }

  /**
   * Waits until this JVM is quiet before a timed path: a GC, then until the JIT compiler threads
   * used no CPU for 200 ms (at most 10 s). Without it the garbage and the compilations an
   * untimed step leaves behind (a queue fill, a warm-up, the previous path) are charged to the
   * path timed next; every path of a benchmark gets the same treatment.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public static void settle() throws InterruptedException {
    System.gc();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    double before = jitSeconds();
    while (System.nanoTime() < deadline) {
      Thread.sleep(200);
      double now = jitSeconds();
      if (now - before < 0.005) { // /proc counts 10 ms ticks: none in 200 ms
        return;
      }
      before = now;
    }
  }

  private static long jvmNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  private static double serverSeconds(String database) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return 0;
    }
    double seconds = 0;
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path pid : pids) {
        try {
          Optional<ProcStat> stat = ProcStat.of(pid);
          if (stat.isEmpty() || !stat.get().name().equals("postgres")
              || database != null && !backendOf(pid, database)) {
            continue;
          }
          seconds += stat.get().seconds();
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read it
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return seconds;
  }

  /**
   * A process's or thread's name and CPU time, from its {@code /proc} entry (Linux).
   *
   * @param name the command name (the text in parentheses in {@code stat})
   * @param seconds user plus system CPU seconds so far
   */
  public record ProcStat(String name, double seconds) {
    /**
     * Reads {@code dir/stat}, for example {@code /proc/1234} or {@code /proc/self/task/56}.
     *
     * @param dir the process's or thread's {@code /proc} directory
     * @return its name and CPU time; empty where there is no such entry (it ended, or no /proc)
     */
    public static Optional<ProcStat> of(Path dir) {
      try {
        String stat = Files.readString(dir.resolve("stat"));
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        // after the name: state is index 0, utime (field 14 of the line) index 11, stime 12
        String[] f = stat.substring(close + 2).split(" ");
        return Optional.of(new ProcStat(stat.substring(open + 1, close),
            (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_SECONDS));
      } catch (IOException | RuntimeException gone) {
        return Optional.empty();
      }
    }
  }

  /** A backend's title reads "postgres: [cluster: ]user database host(port) state". */
  private static boolean backendOf(Path pid, String database) throws IOException {
    String[] title = new String(Files.readAllBytes(pid.resolve("cmdline")),
        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim().split(" +");
    for (int i = 2; i < title.length - 1; i++) {
      if (title[i].equals(database) && title[i + 1].contains("(")) {
        return true;
      }
    }
    return false;
  }
}
