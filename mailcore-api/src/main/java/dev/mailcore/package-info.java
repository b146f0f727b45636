/**
 * mailcore's public API: {@link dev.mailcore.MailCore}, the entry point and its builder; the
 * facades it hands out ({@link dev.mailcore.Domains}, {@link dev.mailcore.Mailboxes},
 * {@link dev.mailcore.Threads}, {@link dev.mailcore.Messages}, {@link dev.mailcore.Sender},
 * {@link dev.mailcore.Deliveries}, {@link dev.mailcore.Suppressions}); the value types they take
 * and return; and the unchecked {@link dev.mailcore.MailCoreException} hierarchy.
 *
 * <p>Nothing in this package is null unless it says so ({@code @NullMarked}): absent values are
 * {@link java.util.Optional}s, and a null argument is refused with a
 * {@link java.lang.NullPointerException} naming the parameter.
 */
@NullMarked
package dev.mailcore;

import org.jspecify.annotations.NullMarked;
