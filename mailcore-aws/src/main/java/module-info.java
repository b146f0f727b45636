/**
 * mailcore on AWS: {@code S3BlobStore} (raw mail and attachments in S3), {@code SesTransport}
 * (SES v2 sending) and {@code SesDomainIdentities} (SES identities and their DNS records). Only
 * {@code dev.mailcore.aws} is exported (ADR 0010).
 */
// The AWS SDK types appear in the builders (S3Client, SesV2Client, Region, credentials), so
// hosts need them readable: required transitively although the SDK jars are automatic modules.
module dev.mailcore.aws {
  exports dev.mailcore.aws;

  requires transitive dev.mailcore;
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.sesv2;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.regions;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.http;
  requires jakarta.mail;
  // SnsEndpoint / SqsIntake (ADR 0019): SNS signature checks, the SQS client in the builder,
  // the default HTTP client for signing certificates and subscription confirmations.
  requires software.amazon.awssdk.messagemanager.sns;
  requires transitive software.amazon.awssdk.services.sqs;
  requires software.amazon.awssdk.http.apache5;
  // SesNotifications: SES JSON, and what it ignores or leaves for redelivery is logged
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;
}
