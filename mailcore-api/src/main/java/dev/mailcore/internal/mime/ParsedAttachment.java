package dev.mailcore.internal.mime;

/**
 * An attachment the parser found and the sink stored.
 *
 * @param info the part's metadata
 * @param stored where its content went
 */
public record ParsedAttachment(PartInfo info, StoredPart stored) {}
