package dev.mailcore.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.MessageId;
import java.text.ParsePosition;
import java.time.Instant;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Header value helpers: fast paths agree with mime4j's general ones. */
class HeaderValuesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "Tue, 14 May 2024 09:31:07 +0200",
      "14 May 2024 09:31:07 -0000",
      "Mon, 3 Jun 2024 14:02:09 +0000 (UTC)",
      "Sat,  1 Jun 2024 18:20 -0700",
      "Thu, 29 Feb 2024 23:59:59 +1345",
      "Wed, 31 Dec 1969 23:59:59 +0000"})
  void fastDate_whenCommonShape_matchesMime4jLenientParser(String text) {
    Instant expected = Instant.from(DateTimeFieldLenientImpl.RFC_5322.parse(
        text.replaceAll("\\s+", " "), new ParsePosition(0)));
    assertThat(FastDate.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Tue, 14 May 24 09:31:07 +0200", "14 Foo 2024 09:31:07 +0200",
      "Tue, 06 Jun 2017 27:39:33 +0600", "Tue, 14 May 2024 09:31:07 EDT", "garbage", ""})
  void fastDate_whenUnusualShape_defersToLenientParser(String text) {
    assertThat(FastDate.parse(text)).isNull();
  }

  @Test
  void date_whenZoneName_usesItsOffset() {
    assertThat(HeaderValues.date("Tue, 14 May 2024 09:31:07 PDT"))
        .contains(Instant.parse("2024-05-14T16:31:07Z"));
    assertThat(HeaderValues.date("Tue, 14 May 24 09:31:07 GMT"))
        .contains(Instant.parse("2024-05-14T09:31:07Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "=?UTF-8?Q?Caf=C3=A9_tomorrow=3F?=",
      "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
      "plain =?utf-8?b?w6TDtsO8?= text",
      "=?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?=",
      "=?UTF-8?Q?a?=b =?UTF-8?Q?c?=",
      "no words at all",
      "=?UTF-8?Q?unterminated",
      "=?koi8-r?B?89DJ08/LLmRvYw==?="})
  void encodedWords_whenWellFormed_matchMime4jDecoder(String text) {
    assertThat(EncodedWords.decode(text))
        .isEqualTo(DecoderUtil.decodeEncodedWords(text, DecodeMonitor.SILENT));
  }

  @Test
  void encodedWords_whenMultibyteCharacterSplitAcrossWords_joinsBytes() {
    // "ä" = C3 A4 split between two words
    assertThat(EncodedWords.decode("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A4?=")).isEqualTo("ä");
  }

  @Test
  void messageIds_whenMixedGarbage_keepsUsableIdsInOrderWithoutDuplicates() {
    assertThat(MessageIds.all(
        "<a@x> (comment <c@x>) \"quoted <q@x>\" <b@x>\r\n <a@x> <> < spaced@x > <bad id@x>"))
        .containsExactly(new MessageId("a@x"), new MessageId("b@x"), new MessageId("spaced@x"));
  }
}
