/**
 * The service provider interface: what a storage, blob, transport, identity or DNS adapter
 * implements. Host applications normally only pass implementations to
 * {@link dev.mailcore.MailCore.Builder}; they do not call these interfaces themselves.
 *
 * <p>Every implementation must pass the matching contract suite in {@code mailcore-testkit}
 * ({@code DomainStoreContract} and the other store suites, {@code BlobStoreContract}, ...,
 * and {@code MailCoreBehaviorContract} end to end). Adapters translate their own
 * failures into {@link dev.mailcore.StorageException} or {@link dev.mailcore.DeliveryException};
 * no JDBC or AWS type appears in these signatures.
 */
@NullMarked
package dev.mailcore.spi;

import org.jspecify.annotations.NullMarked;
