/**
 * mailcore for a host application's tests and for adapter authors:
 * {@link dev.mailcore.testkit.MailCoreTestkit} (an in-memory mailcore with a recording
 * transport and a controllable clock), the JUnit extension, the fakes, and the contract suites
 * ({@code *Contract}) an adapter subclasses to prove it behaves like the built-in ones.
 *
 * <p>Nothing in this package is null unless it says so ({@code @NullMarked}).
 */
@NullMarked
package dev.mailcore.testkit;

import org.jspecify.annotations.NullMarked;
