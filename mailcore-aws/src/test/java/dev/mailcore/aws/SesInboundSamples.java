package dev.mailcore.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * SES {@code Received} notifications written here (not copied from the fixtures), for the SQS
 * intake tests and benchmark: an SNS receipt action with the raw mail inline (UTF8), or an S3
 * action naming an object; optionally wrapped in the SNS envelope SQS holds when raw message
 * delivery is off. Public for the benchmarks module (test jar).
 */
public final class SesInboundSamples {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SesInboundSamples() {}

  /**
   * A raw text message of about {@code bodyBytes} bytes.
   *
   * @param n makes the Message-ID and subject unique
   * @param to the recipient
   * @param bodyBytes body size
   * @return RFC 5322 text with CRLF line ends
   */
  public static String rawMail(int n, String to, int bodyBytes) {
    StringBuilder body = new StringBuilder();
    while (body.length() < bodyBytes) {
      body.append("Line ").append(body.length()).append(" of message ").append(n)
          .append(", some ordinary words to fill it.\r\n");
    }
    return "From: Sender <sender" + (n % 7) + "@example.org>\r\n"
        + "To: <" + to + ">\r\n"
        + "Subject: Inbound " + n + "\r\n"
        + "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n"
        + "Message-ID: <inbound-" + n + "@example.org>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body;
  }

  /**
   * A {@code Received} notification with an SNS action carrying {@code raw} inline.
   *
   * @param n the SES mail id suffix
   * @param recipient the receipt's envelope recipient
   * @param raw the raw message
   * @return the SES JSON
   */
  public static String received(int n, String recipient, String raw) {
    ObjectNode root = base(n, recipient);
    ObjectNode action = ((ObjectNode) root.get("receipt")).putObject("action");
    action.put("type", "SNS");
    action.put("topicArn", "arn:aws:sns:eu-west-1:123456789012:mailcore-inbound");
    action.put("encoding", "UTF8");
    root.put("content", raw);
    return root.toString();
  }

  /**
   * A {@code Received} notification with an S3 action.
   *
   * @param n the SES mail id suffix
   * @param recipient the receipt's envelope recipient
   * @param bucket the bucket
   * @param key the object key
   * @return the SES JSON
   */
  public static String receivedInS3(int n, String recipient, String bucket, String key) {
    ObjectNode root = base(n, recipient);
    ObjectNode action = ((ObjectNode) root.get("receipt")).putObject("action");
    action.put("type", "S3");
    action.put("topicArn", "arn:aws:sns:eu-west-1:123456789012:mailcore-inbound");
    action.put("bucketName", bucket);
    action.put("objectKey", key);
    return root.toString();
  }

  private static ObjectNode base(int n, String recipient) {
    ObjectNode root = JSON.createObjectNode();
    root.put("notificationType", "Received");
    ObjectNode mail = root.putObject("mail");
    mail.put("timestamp", "2026-11-30T10:00:01.000Z");
    mail.put("source", "sender@example.org");
    mail.put("messageId", "ses-inbound-" + n);
    mail.putArray("destination").add(recipient);
    ObjectNode receipt = root.putObject("receipt");
    receipt.put("timestamp", "2026-11-30T10:00:01.000Z");
    receipt.putArray("recipients").add(recipient);
    receipt.putObject("spamVerdict").put("status", "PASS");
    receipt.putObject("virusVerdict").put("status", "PASS");
    receipt.putObject("spfVerdict").put("status", "PASS");
    receipt.putObject("dkimVerdict").put("status", "PASS");
    receipt.putObject("dmarcVerdict").put("status", "PASS");
    return root;
  }

  /**
   * The SNS {@code Notification} envelope SQS holds when raw message delivery is off.
   *
   * @param sesJson the SES JSON
   * @param id the SNS MessageId
   * @return the envelope JSON
   */
  public static String snsEnvelope(String sesJson, String id) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Type", "Notification");
    n.put("MessageId", id);
    n.put("TopicArn", "arn:aws:sns:eu-west-1:123456789012:mailcore-inbound");
    n.put("Subject", "Amazon SES Email Receipt Notification");
    n.put("Message", sesJson);
    n.put("Timestamp", "2026-11-30T10:00:01.000Z");
    n.put("SignatureVersion", "1");
    n.put("Signature", "not-checked-on-the-sqs-path");
    n.put("SigningCertURL", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem");
    n.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
    return n.toString();
  }
}
