/**
 * AWS adapters for mailcore: S3 blob store, SES transport and identities, SNS/SES event intake.
 *
 * <p>Nothing in this package is null unless it says so ({@code @NullMarked}).
 */
@NullMarked
package dev.mailcore.aws;

import org.jspecify.annotations.NullMarked;
