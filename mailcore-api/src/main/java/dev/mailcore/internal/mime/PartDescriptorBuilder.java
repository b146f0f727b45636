package dev.mailcore.internal.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;

/**
 * Collects the MIME fields of one entity while mime4j reads its header. Unlike mime4j's own
 * builders it keeps the raw parameters (for RFC 2231 filenames), the disposition and the
 * Content-ID, and it decodes 8-bit parameter bytes as UTF-8 or windows-1252 instead of
 * replacing them. Not thread-safe: mime4j uses one per entity.
 */
final class PartDescriptorBuilder implements BodyDescriptorBuilder {
  private static final String DIGEST = "multipart/digest";

  private final String parentMimeType;
  private String mimeType;
  private String mediaType;
  private String subType;
  private String boundary;
  private String charset;
  private String transferEncoding;
  private List<NameValuePair> typeParams = List.of();
  private String dispositionType;
  private List<NameValuePair> dispositionParams = List.of();
  private String contentId;
  private boolean typeSeen;
  private String builtMimeType;

  PartDescriptorBuilder(String parentMimeType) {
    this.parentMimeType = parentMimeType;
  }

  @Override
  public void reset() {
    mimeType = null;
    mediaType = null;
    subType = null;
    boundary = null;
    charset = null;
    transferEncoding = null;
    typeParams = List.of();
    dispositionType = null;
    dispositionParams = List.of();
    contentId = null;
    typeSeen = false;
    builtMimeType = null;
  }

  @Override
  public Field addField(RawField field) {
    String name = field.getName();
    // Only names starting with "content-" matter; checking the length first keeps the common
    // Received/DKIM/X-* fields to one comparison.
    if (name.length() < 10 || !name.regionMatches(true, 0, "content-", 0, 8)) {
      return null;
    }
    if (!typeSeen && name.equalsIgnoreCase("content-type")) {
      typeSeen = true;
      parseContentType(field);
    } else if (transferEncoding == null && name.equalsIgnoreCase("content-transfer-encoding")) {
      String value = HeaderValues.fieldBody(field).toLowerCase(Locale.ROOT);
      if (!value.isEmpty()) {
        transferEncoding = value;
      }
    } else if (dispositionType == null && name.equalsIgnoreCase("content-disposition")) {
      RawBody body = parseRawBody(field);
      String type = body.getValue();
      dispositionType = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
      dispositionParams = body.getParams();
    } else if (contentId == null && name.equalsIgnoreCase("content-id")) {
      // Control characters become spaces, as in display names: they carry nothing, and NUL
      // cannot be stored in a PostgreSQL text column.
      String id = HeaderValues.stripBrackets(
          HeaderValues.stripControls(HeaderValues.fieldBody(field)).strip());
      contentId = id.isEmpty() ? null : id;
    }
    return null;
  }

  private void parseContentType(RawField field) {
    RawBody body = parseRawBody(field);
    typeParams = body.getParams();
    String main = body.getValue();
    if (main != null) {
      main = main.strip().toLowerCase(Locale.ROOT);
      int slash = main.indexOf('/');
      if (slash > 0 && slash < main.length() - 1) {
        String type = main.substring(0, slash).strip();
        String sub = main.substring(slash + 1).strip();
        // A type with characters RFC 2045 does not allow in a token (controls, spaces, specials)
        // is no valid type at all, so the part gets the default, as with no Content-Type.
        if (isToken(type) && isToken(sub)) {
          String b = param(typeParams, "boundary");
          boolean multipart = type.equals("multipart");
          // A multipart without a boundary cannot be split; mime4j's rule (and RFC 2046's
          // advice) is to treat it as text/plain so the content still shows up.
          if (!multipart || (b != null && !b.isEmpty())) {
            mediaType = type;
            subType = sub;
            mimeType = type + "/" + sub;
            boundary = multipart ? b : null;
          }
        }
      }
    }
    String c = param(typeParams, "charset");
    if (c != null) {
      c = c.strip();
      charset = c.isEmpty() ? null : c;
    }
  }

  /**
   * Parses a structured field body. Pure-ASCII fields (nearly all) are parsed from the raw bytes
   * directly; 8-bit ones are first decoded (UTF-8 or windows-1252) and re-encoded as UTF-8,
   * which is what mime4j's parameter parser expects for non-ASCII bytes.
   */
  private static RawBody parseRawBody(RawField field) {
    if (field.getRaw() != null && HeaderValues.isAsciiBody(field)) {
      return RawFieldParser.DEFAULT.parseRawBody(field);
    }
    String decoded = HeaderValues.fieldBody(field);
    ByteSequence buf = ContentUtil.encode(StandardCharsets.UTF_8, decoded);
    return RawFieldParser.DEFAULT.parseRawBody(buf, new ParserCursor(0, buf.length()));
  }

  static String param(List<NameValuePair> params, String name) {
    for (int i = 0, n = params.size(); i < n; i++) {
      NameValuePair p = params.get(i);
      if (p.getName().equalsIgnoreCase(name)) {
        return p.getValue();
      }
    }
    return null;
  }

  @Override
  public BodyDescriptor build() {
    String actualMime = mimeType;
    String actualMedia = mediaType;
    String actualSub = subType;
    if (actualMime == null) {
      if (DIGEST.equals(parentMimeType)) {
        actualMime = "message/rfc822";
        actualMedia = "message";
        actualSub = "rfc822";
      } else {
        actualMime = "text/plain";
        actualMedia = "text";
        actualSub = "plain";
      }
    }
    builtMimeType = actualMime;
    return new PartDescriptor(actualMime, actualMedia, actualSub, boundary, charset,
        transferEncoding != null ? transferEncoding : "7bit", typeParams, dispositionType,
        dispositionParams, contentId);
  }

  @Override
  public BodyDescriptorBuilder newChild() {
    return new PartDescriptorBuilder(builtMimeType);
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
