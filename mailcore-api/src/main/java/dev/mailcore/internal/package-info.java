/**
 * mailcore's engine. <strong>Not API:</strong> everything under {@code dev.mailcore.internal}
 * may change or disappear in any release; use {@link dev.mailcore.MailCore} and
 * {@link dev.mailcore.spi} instead.
 */
package dev.mailcore.internal;
