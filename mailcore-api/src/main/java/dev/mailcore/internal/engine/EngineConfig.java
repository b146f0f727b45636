package dev.mailcore.internal.engine;

import dev.mailcore.AuthSettings;
import dev.mailcore.Limits;
import dev.mailcore.WebhookSettings;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.DnsResolver;
import dev.mailcore.spi.DomainIdentities;
import dev.mailcore.spi.MailStore;
import dev.mailcore.spi.MailTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the engine is wired with, as the builder validated it.
 *
 * @param store rows
 * @param blobs raw messages and attachments
 * @param transport outbound, if configured
 * @param identities provider identities, if configured
 * @param dns DNS resolver, if configured
 * @param clock the clock
 * @param limits size limits
 * @param threadingWindow subject-fallback window
 * @param inboundMxHost the application's own MX host for its domains, replacing the provider's
 * @param rules the API's argument rules the engine applies to plain arguments
 * @param auth JWT verification and key caching
 * @param webhooks webhook delivery settings
 */
public record EngineConfig(MailStore store, BlobStore blobs, Optional<MailTransport> transport,
    Optional<DomainIdentities> identities, Optional<DnsResolver> dns, Clock clock, Limits limits,
    Duration threadingWindow, Optional<String> inboundMxHost, ValueRules rules,
    AuthSettings auth, WebhookSettings webhooks) {}
