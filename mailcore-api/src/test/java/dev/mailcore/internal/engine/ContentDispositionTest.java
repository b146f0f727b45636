package dev.mailcore.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6266 download headers with RFC 5987 names. */
class ContentDispositionTest {

  @Test
  void attachment_plainAsciiName_isQuotedOnly() {
    assertThat(ContentDisposition.attachment("invoice 2026-03.pdf"))
        .isEqualTo("attachment; filename=\"invoice 2026-03.pdf\"");
  }

  @Test
  void attachment_nonAsciiName_getsAsciiFallbackAndUtf8Extended() {
    assertThat(ContentDisposition.attachment("r\u00e9sum\u00e9 \u2713.pdf"))
        .isEqualTo("attachment; filename=\"r_sum_ _.pdf\"; "
            + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.pdf");
  }

  @Test
  void attachment_quotesBackslashesPercentAndControls_neverBreakTheHeader() {
    String value = ContentDisposition.attachment("a\"b\\c%d\r\ne;f.txt");

    assertThat(value).doesNotContain("\r").doesNotContain("\n")
        .startsWith("attachment; filename=\"a_b_c_d__e;f.txt\"; filename*=UTF-8''")
        .endsWith("a%22b%5Cc%25d%0D%0Ae%3Bf.txt");
  }

  @Test
  void attachment_emptyName_fallsBackToAttachment() {
    assertThat(ContentDisposition.attachment("  ")).isEqualTo("attachment; filename=\"attachment\"");
  }
}
