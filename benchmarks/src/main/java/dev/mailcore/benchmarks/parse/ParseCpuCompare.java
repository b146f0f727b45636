package dev.mailcore.benchmarks.parse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cross-check for {@link ParseBenchmark} on a shared, busy machine: runs the same four
 * variants round-robin in short slices and counts messages per second of this thread's CPU
 * time, so time spent descheduled by other processes does not count. Prints the median of the
 * rounds. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mailcore.benchmarks.parse.ParseCpuCompare [rounds]}.
 */
public final class ParseCpuCompare {
  private ParseCpuCompare() {}

  private interface Op {
    void run() throws Exception;
  }

  /**
   * Runs the comparison.
   *
   * @param args optional number of rounds (default 15)
   * @throws Exception if a parser fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String message : new String[] {"alternative5k", "attachment100k"}) {
      ParseBenchmark b = new ParseBenchmark();
      b.message = message;
      b.setUp();
      String[] names = {"mailcore", "mime4jDom", "mime4jDomWithHeaders", "jakartaMimeMessage"};
      Op[] ops = {
          () -> bh.consume(b.mailcore()),
          () -> b.mime4jDom(bh),
          () -> b.mime4jDomWithHeaders(bh),
          () -> b.jakartaMimeMessage(bh)};
      // warm-up: every variant gets JIT-compiled before measuring
      for (int w = 0; w < 3; w++) {
        for (Op op : ops) {
          slice(op, threads, 300_000_000L);
        }
      }
      List<double[]> results = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        results.add(new double[rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < ops.length; i++) {
          results.get(i)[r] = slice(ops[i], threads, 200_000_000L);
        }
      }
      double[] medians = new double[names.length];
      for (int i = 0; i < names.length; i++) {
        double[] v = results.get(i).clone();
        Arrays.sort(v);
        medians[i] = v[v.length / 2];
      }
      for (int i = 0; i < names.length; i++) {
        System.out.printf(Locale.ROOT,
            "%-15s %-22s %10.0f msgs/cpu-s   vs mime4jDom %5.2fx   vs mime4jDomWithHeaders %5.2fx"
                + "   vs jakarta %5.2fx%n",
            message, names[i], medians[i], medians[i] / medians[1], medians[i] / medians[2],
            medians[i] / medians[3]);
      }
      // The slices of one round run back to back, so a round's own ratio is the least exposed
      // to load that changes between rounds on a shared machine.
      double[] perRound = new double[rounds];
      double[] perRoundHeaders = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        perRound[r] = results.get(0)[r] / results.get(1)[r];
        perRoundHeaders[r] = results.get(0)[r] / results.get(2)[r];
      }
      Arrays.sort(perRound);
      Arrays.sort(perRoundHeaders);
      System.out.printf(Locale.ROOT, "%-15s mailcore / mime4jDom, median of %d per-round ratios:"
          + " %.2fx (range %.2f-%.2f); / mime4jDomWithHeaders: %.2fx%n", message, rounds,
          perRound[rounds / 2], perRound[0], perRound[rounds - 1], perRoundHeaders[rounds / 2]);
    }
  }

  /** Runs op until cpuNanos of this thread's CPU time passed; returns ops per CPU second. */
  private static double slice(Op op, ThreadMXBean threads, long cpuNanos) throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long count = 0;
    long now;
    do {
      for (int k = 0; k < 16; k++) {
        op.run();
      }
      count += 16;
      now = threads.getCurrentThreadCpuTime();
    } while (now - start < cpuNanos);
    return count * 1e9 / (now - start);
  }
}
