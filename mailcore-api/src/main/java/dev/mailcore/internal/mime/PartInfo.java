package dev.mailcore.internal.mime;

import java.util.Optional;

/**
 * What the parser knows about an attachment or inline part before its content is stored.
 *
 * @param index the attachment's position in the message (0-based, in parse order)
 * @param filename the decoded filename (RFC 2231 / RFC 2047 applied, path components and control
 *     characters removed); a generated {@code attachment-<index+1>.<ext>} when the part had none
 * @param contentType lower-case type/subtype without parameters
 * @param contentId Content-ID without angle brackets
 * @param inline whether the part is inline rather than an attachment
 */
public record PartInfo(int index, String filename, String contentType, Optional<String> contentId,
    boolean inline) {}
