package dev.mailcore.benchmarks.sqs;

import java.io.IOException;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Runs ElasticMQ in its own JVM for {@link SqsIntakeBenchmark}, so the emulator's CPU (a real
 * SQS endpoint costs the host none) is not counted as the intake's and can be read separately
 * from {@code /proc}. Listens on 127.0.0.1 only, prints its port on the first line of standard
 * output and stops when standard input closes.
 */
public final class ElasticMqMain {
  private ElasticMqMain() {}

  /**
   * Starts the server.
   *
   * @param args ignored
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
        .start();
    try {
      System.out.println(server.waitUntilStarted().localAddress().getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    } finally {
      server.stopAndWait();
    }
  }
}
