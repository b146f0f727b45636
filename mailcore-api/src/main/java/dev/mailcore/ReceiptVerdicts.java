package dev.mailcore;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the service that received an inbound message concluded about it: the spam and virus
 * scans and the SPF, DKIM and DMARC checks (Amazon SES's receipt verdicts, or an SMTP server's
 * own checks). Given with {@link InboundMail.Builder#verdicts}, stored with the message and read
 * back from {@link EmailMessage#verdicts()}. mailcore records them; it does not act on them
 * (a host that wants to drop or flag mail decides before or after {@code receive}).
 *
 * <p>A verdict that is absent was not checked (or the check was disabled); {@link #NONE} has
 * none, which is what outbound messages and messages stored before schema version 9 have.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * InboundMail.builder().raw(data).recipient(rcpt)
 *     .verdicts(ReceiptVerdicts.builder().spf(Verdict.PASS).dkim(Verdict.FAIL).build())
 *     .build();
 * }</pre>
 *
 * @param spam the spam scan
 * @param virus the virus scan
 * @param spf the SPF check of the envelope sender
 * @param dkim the DKIM signature check
 * @param dmarc the DMARC evaluation
 */
public record ReceiptVerdicts(Optional<Verdict> spam, Optional<Verdict> virus,
    Optional<Verdict> spf, Optional<Verdict> dkim, Optional<Verdict> dmarc) {

  /** No verdicts: nothing was checked, or nobody said. */
  public static final ReceiptVerdicts NONE = new ReceiptVerdicts(Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** Checks the fields are present (each may be empty). */
  public ReceiptVerdicts {
    Objects.requireNonNull(spam, "spam");
    Objects.requireNonNull(virus, "virus");
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(dmarc, "dmarc");
  }

  /**
   * The outcome of one check, in Amazon SES's terms (other sources map theirs: SPF
   * {@code softfail} and {@code neutral} are {@link #GRAY}, {@code temperror} is
   * {@link #PROCESSING_FAILED}).
   */
  public enum Verdict {
    /** The message passed. */
    PASS,
    /** The message failed: spam, a virus, a forged sender or signature. */
    FAIL,
    /** Neither pass nor fail (for example SPF softfail, or "probably spam"). */
    GRAY,
    /** The check could not be completed (a timeout, a DNS error). */
    PROCESSING_FAILED;

    /**
     * The lower-case code stored and used in webhooks ({@code pass}, {@code fail},
     * {@code gray}, {@code processing_failed}).
     *
     * @return the code
     */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The verdict for a code or an SES status, in any case ({@code PASS}, {@code gray},
     * {@code PROCESSING_FAILED}).
     *
     * @param code the code; {@code null}, blank or {@code DISABLED} mean "not checked"
     * @return the verdict, or empty for "not checked"
     * @throws ValidationException if the code is none of those
     */
    public static Optional<Verdict> fromCode(@Nullable String code) {
      if (code == null || code.isBlank() || code.equalsIgnoreCase("disabled")) {
        return Optional.empty();
      }
      for (Verdict v : values()) {
        if (v.name().equalsIgnoreCase(code.strip())) {
          return Optional.of(v);
        }
      }
      throw new ValidationException("verdict", "expected PASS, FAIL, GRAY, PROCESSING_FAILED or"
          + " DISABLED, got '" + code + "'");
    }
  }

  /**
   * Whether no verdict is present.
   *
   * @return true for {@link #NONE} and its equals
   */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * Starts a builder with no verdicts.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ReceiptVerdicts}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Verdict spam;
    private @Nullable Verdict virus;
    private @Nullable Verdict spf;
    private @Nullable Verdict dkim;
    private @Nullable Verdict dmarc;

    private Builder() {}

    /**
     * Sets the spam verdict.
     *
     * @param v the verdict
     * @return this builder
     */
    public Builder spam(Verdict v) {
      this.spam = Objects.requireNonNull(v, "spam");
      return this;
    }

    /**
     * Sets the virus verdict.
     *
     * @param v the verdict
     * @return this builder
     */
    public Builder virus(Verdict v) {
      this.virus = Objects.requireNonNull(v, "virus");
      return this;
    }

    /**
     * Sets the SPF verdict.
     *
     * @param v the verdict
     * @return this builder
     */
    public Builder spf(Verdict v) {
      this.spf = Objects.requireNonNull(v, "spf");
      return this;
    }

    /**
     * Sets the DKIM verdict.
     *
     * @param v the verdict
     * @return this builder
     */
    public Builder dkim(Verdict v) {
      this.dkim = Objects.requireNonNull(v, "dkim");
      return this;
    }

    /**
     * Sets the DMARC verdict.
     *
     * @param v the verdict
     * @return this builder
     */
    public Builder dmarc(Verdict v) {
      this.dmarc = Objects.requireNonNull(v, "dmarc");
      return this;
    }

    /**
     * Builds the verdicts.
     *
     * @return the verdicts
     */
    public ReceiptVerdicts build() {
      return new ReceiptVerdicts(Optional.ofNullable(spam), Optional.ofNullable(virus),
          Optional.ofNullable(spf), Optional.ofNullable(dkim), Optional.ofNullable(dmarc));
    }
  }
}
