/**
 * Webhooks: the transactional outbox, payloads, the lease-based dispatcher, the SSRF guard and
 * the registry facade. <strong>Not API.</strong>
 */
package dev.mailcore.internal.webhook;
