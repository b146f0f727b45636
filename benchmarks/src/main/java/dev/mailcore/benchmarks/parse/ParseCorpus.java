package dev.mailcore.benchmarks.parse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * The messages the parse benchmarks read: a Gmail-like ~5 KB multipart/alternative (text and
 * HTML, quoted-printable, a realistic header block), and the same wrapped in multipart/mixed
 * with a 100 KB base64 PDF-like attachment. Deterministic.
 */
final class ParseCorpus {
  private ParseCorpus() {}

  private static final String HEADERS = """
      Return-Path: <ann.lee@example.com>
      Received: from mail-ed1-f54.google.com (mail-ed1-f54.google.com [209.85.208.54])
              by inbound-smtp.eu-west-1.amazonaws.com with SMTP id 4b0g0kq9p1v2
              for support@acme.test; Tue, 14 May 2024 07:31:09 +0000 (UTC)
      Received: by mail-ed1-f54.google.com with SMTP id 4fb4d7f45d1cf-572c65cea55so1234567a12.0
              for <support@acme.test>; Tue, 14 May 2024 00:31:08 -0700 (PDT)
      DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=20230601; t=1715671868;
              x=1716276668; h=to:subject:message-id:date:from:in-reply-to:references:mime-version
              :from:to:cc:subject:date:message-id:reply-to; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
              b=Yf3kq1oJbqv0aZC2r7yS6nY1d3ZrQ8Q0wVJmX3oV8C3b9s5J7u2pM1dQ4nGk0wP2r8s+Xq4yE6vT1bL9cZ0a
              Kp3mW7sN1vB5xR8yT2qL4hJ6gF9dS0aZ1xC3vB7nM5kL2jH8gF4dS6aQ9wE1rT3yU5iO7pA2sD4fG6hJ8kL0zX
      X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601;
              t=1715671868; x=1716276668; h=to:subject:message-id:date:from:mime-version;
              bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Qm9ndXMgc2lnbmF0dXJlIGZvciBiZW5jaG1hcmtz
      X-Gm-Message-State: AOJu0YzK7bq1xq9x0c3j4v5w6y7z8A9B0C1D2E3F4G5H6I7J8K9L0M1N2O3P4Q5R
      X-Received: by 2002:a05:6402:1d4d:b0:572:a1b2:c3d4 with SMTP id dz13-20020a0564021d4d00b00572a1b2c3d4mr1234567edb.12;
              Tue, 14 May 2024 00:31:08 -0700 (PDT)
      MIME-Version: 1.0
      References: <CAF1x7Q2c+9mZ=first@mail.gmail.com> <CAF1x7Q2c+9mZ=second@mail.gmail.com>
      In-Reply-To: <CAF1x7Q2c+9mZ=second@mail.gmail.com>
      From: =?UTF-8?Q?Ann_L=C3=A9e?= <ann.lee@example.com>
      Date: Tue, 14 May 2024 09:31:07 +0200
      Message-ID: <CAF1x7Q2c+9mZ=third@mail.gmail.com>
      Subject: =?UTF-8?Q?Re=3A_Invoice_#4711_=E2=80=93_question_about_the_caf=C3=A9_order?=
      To: Acme Support <support@acme.test>
      Cc: Bob Stone <bob.stone@example.com>, "Carol (finance)" <carol@example.org>
      """;

  private static final String TEXT_LINE =
      "Hi team, thanks for the quick reply about the caf=C3=A9 order =E2=80=93 one more =\n"
          + "question about line items and the delivery date on invoice #4711.\n";

  private static final String HTML_LINE =
      "<div dir=3D\"ltr\">Hi team, thanks for the quick reply about the <b>caf=C3=A9</b> =\n"
          + "order =E2=80=93 one more question.</div>\n";

  /** The ~5 KB text+HTML multipart/alternative message. */
  static byte[] alternative() {
    return crlf(HEADERS + "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\n\n"
        + alternativeBody());
  }

  /** The same message with a 100 KB base64 attachment, in multipart/mixed. */
  static byte[] withAttachment() {
    byte[] pdf = new byte[100 * 1024];
    new Random(4711).nextBytes(pdf);
    System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
    String b64 = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(pdf);
    return crlf(HEADERS + "Content-Type: multipart/mixed; boundary=\"000000000000m1x2d3\"\n\n"
        + "--000000000000m1x2d3\n"
        + "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\n\n"
        + alternativeBody()
        + "\n--000000000000m1x2d3\n"
        + "Content-Type: application/pdf; name=\"Invoice 4711.pdf\"\n"
        + "Content-Disposition: attachment; filename=\"Invoice 4711.pdf\"\n"
        + "Content-Transfer-Encoding: base64\n"
        + "Content-ID: <f_lw5x1abc0>\n"
        + "X-Attachment-Id: f_lw5x1abc0\n\n"
        + b64 + "\n--000000000000m1x2d3--\n");
  }

  private static String alternativeBody() {
    StringBuilder sb = new StringBuilder();
    sb.append("--000000000000a1b2c3\n")
        .append("Content-Type: text/plain; charset=\"UTF-8\"\n")
        .append("Content-Transfer-Encoding: quoted-printable\n\n");
    for (int i = 0; i < 12; i++) {
      sb.append(TEXT_LINE);
    }
    sb.append("\n--000000000000a1b2c3\n")
        .append("Content-Type: text/html; charset=\"UTF-8\"\n")
        .append("Content-Transfer-Encoding: quoted-printable\n\n");
    for (int i = 0; i < 14; i++) {
      sb.append(HTML_LINE);
    }
    sb.append("\n--000000000000a1b2c3--\n");
    return sb.toString();
  }

  private static byte[] crlf(String s) {
    return s.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
