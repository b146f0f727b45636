package dev.mailcore.internal.threading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseSubjectTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "Invoice 42|Invoice 42",
      "Re: Invoice 42|Invoice 42",
      "RE: Invoice 42|Invoice 42",
      "re:Invoice 42|Invoice 42",
      "Re: Re: RE: Invoice 42|Invoice 42",
      "Re[2]: Invoice 42|Invoice 42",
      "Re(3): Invoice 42|Invoice 42",
      "AW: WG: Invoice 42|Invoice 42",
      "SV: VS: Invoice 42|Invoice 42",
      "Fwd: Invoice 42|Invoice 42",
      "FW: Invoice 42|Invoice 42",
      "Fw: Re: Invoice 42|Invoice 42",
      "[users] Re: Invoice 42|Invoice 42",
      "Re: [users] Invoice 42|Invoice 42",
      "[users] [announce] Re: Invoice 42|Invoice 42",
      "Invoice 42 (fwd)|Invoice 42",
      "[Fwd: Invoice 42]|Invoice 42",
      "  Invoice \t  42  |Invoice 42",
      "回复：Invoice 42|Invoice 42",
      "Antw: Invoice 42|Invoice 42",
      "[users]|[users]",
      "Re:|''",
      "Regarding the plan|Regarding the plan",
      "Refund request|Refund request",
      "Fwding rules|Fwding rules",
  })
  void of_stripsReplyForwardAndListMarkers(String subject, String expected) {
    assertThat(BaseSubject.of(subject)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', value = {
      "Re: Invoice|true",
      "[list] RE: Invoice|true",
      "AW: Invoice|true",
      "Invoice (fwd)|true",
      "Invoice|false",
      "[list] Invoice|false",
      "Regarding invoice|false",
  })
  void isReplyOrForward_detectsMarkers(String subject, boolean expected) {
    assertThat(BaseSubject.isReplyOrForward(subject)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "Invoice 42|Re: Invoice 42",
      "Re: Invoice 42|Re: Invoice 42",
      "RE: re: Invoice 42|Re: Invoice 42",
      "AW: Invoice 42|Re: Invoice 42",
      "Re[2]: Invoice 42|Re: Invoice 42",
      "Fwd: Invoice 42|Re: Fwd: Invoice 42",
      "[users] Invoice 42|Re: [users] Invoice 42",
      "Regarding the plan|Re: Regarding the plan",
      "''|'Re: '",
  })
  void replySubject_addsOneReAndKeepsForwardMarkersAndListTags(String subject, String expected) {
    assertThat(BaseSubject.replySubject(subject)).isEqualTo(expected);
  }
}
