/**
 * mailcore: real email inboxes inside a Java application. The API ({@code dev.mailcore}), the
 * SPI adapters implement ({@code dev.mailcore.spi}) and the SMTP transport
 * ({@code dev.mailcore.smtp}); the engine in {@code dev.mailcore.internal.*} is not exported
 * (ADR 0010).
 */
module dev.mailcore {
  exports dev.mailcore;
  exports dev.mailcore.spi;
  exports dev.mailcore.smtp;

  requires java.naming;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.uuid;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;
  requires org.slf4j;
  requires com.nimbusds.jose.jwt;
  // mime4j 0.8.14 ships neither a module descriptor nor an Automatic-Module-Name: the names are
  // derived from the jar file names (ADR 0010).
  requires apache.mime4j.core;
  requires apache.mime4j.dom;
  // mime4j uses commons-io but, being an automatic module, cannot say so: without this line a
  // host on the module path fails at the first receive (NoClassDefFoundError).
  requires org.apache.commons.io;
  // jutf7 (UTF-7 charset for legacy mail) has no Automatic-Module-Name either.
  requires jutf7;
  requires static transitive org.jspecify;
}
