/**
 * mailcore's testkit: in-memory stores, scriptable fakes, the JUnit extension and the contract
 * suites every adapter passes. Uses only the exported packages of {@code dev.mailcore}.
 */
module dev.mailcore.testkit {
  exports dev.mailcore.testkit;
  // JUnit calls the contract suites' package-private @Test methods reflectively.
  opens dev.mailcore.testkit to org.junit.platform.commons;

  requires transitive dev.mailcore;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires org.assertj.core;
  // ReceivedWebhook hands tests the payload as a JsonNode
  requires transitive com.fasterxml.jackson.databind;
  requires jakarta.mail;
  // WebhookReceiver: a real HTTP server on loopback
  requires jdk.httpserver;
  requires static transitive org.jspecify;
}
