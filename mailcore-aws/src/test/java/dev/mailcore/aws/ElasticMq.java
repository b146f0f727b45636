package dev.mailcore.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ in-process on 127.0.0.1 (a free port) and the real SDK SQS client pointed at it.
 * Public so the benchmarks module can use it through the test jar.
 */
public final class ElasticMq implements AutoCloseable {
  private final SQSRestServer server;
  private final int port;

  /** Starts a server. */
  public ElasticMq() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    port = server.waitUntilStarted().localAddress().getPort();
  }

  /**
   * A client for this server; the caller closes it.
   *
   * @return the client
   */
  public SqsClient client() {
    return client(new ExecutionInterceptor[0]);
  }

  /** A client with SDK interceptors added, e.g. to count calls; the caller closes it. */
  SqsClient client(ExecutionInterceptor... interceptors) {
    return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .overrideConfiguration(c -> {
          for (ExecutionInterceptor i : interceptors) {
            c.addExecutionInterceptor(i);
          }
        })
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test")))
        .build();
  }

  /**
   * Creates a queue.
   *
   * @param sqs a client
   * @param name the queue name
   * @param visibility its visibility timeout
   * @return its URL
   */
  public static String queue(SqsClient sqs, String name, Duration visibility) {
    return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibility.getSeconds()))))
        .queueUrl();
  }

  /**
   * Creates a queue whose messages move to {@code dlqUrl} after {@code maxReceives} receives.
   *
   * @param sqs a client
   * @param name the queue name
   * @param visibility its visibility timeout
   * @param dlqUrl the dead-letter queue
   * @param maxReceives the redrive policy's maxReceiveCount
   * @return its URL
   */
  public static String queueWithDlq(SqsClient sqs, String name, Duration visibility,
      String dlqUrl, int maxReceives) {
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
        .get(QueueAttributeName.QUEUE_ARN);
    return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibility.getSeconds()),
        QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"" + maxReceives
            + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"))).queueUrl();
  }

  /**
   * Visible plus in-flight messages of a queue.
   *
   * @param sqs a client
   * @param url the queue
   * @return the approximate count (exact on ElasticMQ)
   */
  public static int count(SqsClient sqs, String url) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stopAndWait();
  }
}
