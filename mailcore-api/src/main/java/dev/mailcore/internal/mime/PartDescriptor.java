package dev.mailcore.internal.mime;

import java.util.List;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.NameValuePair;

/**
 * What one MIME entity's header says about its body: mime4j's {@link BodyDescriptor} plus the
 * disposition, Content-ID and raw parameters the parser needs to name attachments. Built by
 * {@link PartDescriptorBuilder} while mime4j reads the header, so each field is parsed once.
 * Immutable.
 */
final class PartDescriptor implements BodyDescriptor {
  private final String mimeType;
  private final String mediaType;
  private final String subType;
  private final String boundary;
  private final String charset;
  private final String transferEncoding;
  private final List<NameValuePair> typeParams;
  private final String dispositionType;
  private final List<NameValuePair> dispositionParams;
  private final String contentId;

  PartDescriptor(String mimeType, String mediaType, String subType, String boundary,
      String charset, String transferEncoding, List<NameValuePair> typeParams,
      String dispositionType, List<NameValuePair> dispositionParams, String contentId) {
    this.mimeType = mimeType;
    this.mediaType = mediaType;
    this.subType = subType;
    this.boundary = boundary;
    this.charset = charset;
    this.transferEncoding = transferEncoding;
    this.typeParams = typeParams;
    this.dispositionType = dispositionType;
    this.dispositionParams = dispositionParams;
    this.contentId = contentId;
  }

  @Override
  public String getMimeType() {
    return mimeType;
  }

  @Override
  public String getMediaType() {
    return mediaType;
  }

  @Override
  public String getSubType() {
    return subType;
  }

  @Override
  public String getBoundary() {
    return boundary;
  }

  /** The declared charset parameter, or null when the header declared none (no default). */
  @Override
  public String getCharset() {
    return charset;
  }

  @Override
  public String getTransferEncoding() {
    return transferEncoding;
  }

  @Override
  public long getContentLength() {
    return -1;
  }

  /** Content-Type parameters as written (may hold RFC 2231 pieces), or an empty list. */
  List<NameValuePair> typeParams() {
    return typeParams;
  }

  /** Lower-case disposition type ("inline", "attachment", ...), or null without the header. */
  String dispositionType() {
    return dispositionType;
  }

  /** Content-Disposition parameters as written, or an empty list. */
  List<NameValuePair> dispositionParams() {
    return dispositionParams;
  }

  /** Content-ID without angle brackets, or null. */
  String contentId() {
    return contentId;
  }

  @Override
  public String toString() {
    return "[mimeType=" + mimeType + ", boundary=" + boundary + ", charset=" + charset
        + ", transferEncoding=" + transferEncoding + ", disposition=" + dispositionType + "]";
  }
}
