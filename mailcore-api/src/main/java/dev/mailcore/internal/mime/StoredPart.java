package dev.mailcore.internal.mime;

/**
 * Where an {@link AttachmentSink} put a part's content.
 *
 * @param storageKey the key in the attachments namespace
 * @param sizeBytes the decoded size
 */
public record StoredPart(String storageKey, long sizeBytes) {}
