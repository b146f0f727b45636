/**
 * The SMTP transport: {@link dev.mailcore.smtp.SmtpTransport} sends through any SMTP relay with
 * jakarta.mail (Angus Mail). It lives in its own package so the core API package carries no
 * jakarta type and a host that sends through another transport never touches it.
 */
@NullMarked
package dev.mailcore.smtp;

import org.jspecify.annotations.NullMarked;
