package dev.mailcore.internal.threading;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RFC 5256 (section 2.1) base subject: the subject with reply and forward markers, list tags
 * and {@code (fwd)} trailers removed, whitespace collapsed. Case is kept (it is also the thread's
 * display subject); comparison is exact.
 *
 * <p>Beyond RFC 5256's {@code Re}/{@code Fw}/{@code Fwd}, the localized prefixes mail clients
 * actually send are removed too: {@code AW}/{@code WG} (German Outlook), {@code SV}/{@code VS}
 * (Nordic), {@code Antw}, {@code RIF}, {@code Odp}, {@code YNT}, {@code Ref}, counted forms such as
 * {@code Re[2]:} and {@code Re(2):}, the full-width colon, and the common Chinese forms.
 */
public final class BaseSubject {
  private static final Pattern WS = Pattern.compile("[\\s\\u00a0]+");
  private static final Pattern TRAILER = Pattern.compile("(?i)\\s*\\(fwd\\)\\s*$");
  /** Reply markers: Re, German AW, Nordic SV, Dutch Antw, Italian RIF, Polish Odp, ... */
  private static final String REPLY_WORDS = "re|aw|sv|antw|rif|odp|ynt|ref|回复|回覆|答复";
  /** Forward markers: Fwd/Fw, German WG, Nordic VS, French TR, Chinese forms. */
  private static final String FORWARD_WORDS = "fwd?|wg|vs|tr|转发|轉寄";
  private static final String COUNT_AND_COLON = "\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*";
  private static final Pattern LEADER = Pattern.compile(
      "^(?:\\[[^\\[\\]]*\\]\\s*)*(?:" + REPLY_WORDS + "|" + FORWARD_WORDS + ")"
          + COUNT_AND_COLON,
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern REPLY_LEADER = Pattern.compile(
      "^(?:" + REPLY_WORDS + ")" + COUNT_AND_COLON,
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\]\\s*");
  private static final Pattern FWD_WRAPPER = Pattern.compile("(?i)^\\[fwd:(.*)\\]$");

  private BaseSubject() {}

  /**
   * Computes the base subject.
   *
   * @param subject the decoded subject, possibly empty
   * @return the base subject, possibly empty
   */
  public static String of(String subject) {
    String s = WS.matcher(subject).replaceAll(" ").strip();
    while (true) {
      String before = s;
      s = TRAILER.matcher(s).replaceFirst("").strip();
      Matcher leader = LEADER.matcher(s);
      if (leader.find()) {
        s = s.substring(leader.end()).strip();
      }
      Matcher blob = BLOB.matcher(s);
      if (blob.find() && blob.end() < s.length()) {
        s = s.substring(blob.end()).strip();
      }
      Matcher fwd = FWD_WRAPPER.matcher(s);
      if (fwd.matches()) {
        s = fwd.group(1).strip();
      }
      if (s.equals(before)) {
        return s;
      }
    }
  }

  /**
   * Whether a subject carries a reply or forward marker, which is what lets a message join a
   * thread by subject alone (RFC 5256 REFERENCES, step 5: subject merging only for replies).
   *
   * @param subject the decoded subject
   * @return true if a leading reply/forward marker or a {@code (fwd)} trailer is present
   */
  public static boolean isReplyOrForward(String subject) {
    String s = WS.matcher(subject).replaceAll(" ").strip();
    return LEADER.matcher(s).find() || TRAILER.matcher(s).find()
        || FWD_WRAPPER.matcher(s).matches();
  }

  /**
   * The subject of a reply: {@code "Re: "} and the original without the reply markers it
   * already had (so never {@code "Re: Re: "} or {@code "Re: AW: "}); forward markers and list
   * tags stay, as mail clients keep them.
   *
   * @param subject the parent's decoded subject
   * @return the reply subject
   */
  public static String replySubject(String subject) {
    String s = WS.matcher(subject).replaceAll(" ").strip();
    for (Matcher m = REPLY_LEADER.matcher(s); m.find(); m = REPLY_LEADER.matcher(s)) {
      s = s.substring(m.end()).strip();
    }
    return "Re: " + s;
  }
}
