package dev.mailcore.benchmarks.blob;

import dev.mailcore.aws.S3ProxyServer;
import java.io.IOException;

/**
 * Runs S3Proxy in its own JVM for {@link BlobHeapBenchmark}, so the server's buffers do not
 * count as the client's heap. Prints its endpoint on the first line of standard output and stops
 * when standard input closes.
 */
public final class S3ProxyMain {
  private S3ProxyMain() {}

  /**
   * Starts the server.
   *
   * @param args ignored
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    try (S3ProxyServer server = new S3ProxyServer()) {
      server.createBuckets("heap-raw", "heap-att");
      System.out.println(server.endpoint());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
