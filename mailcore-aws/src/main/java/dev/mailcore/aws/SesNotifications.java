package dev.mailcore.aws;

import dev.mailcore.MailCore;
import java.util.List;
import java.util.Objects;

/**
 * Turns the JSON SES publishes through SNS (the SNS {@code Message} string: event publishing
 * {@code eventType}, notifications {@code notificationType}, and {@code Received} inbound mail)
 * into calls on a {@link MailCore}. The transport-independent core of {@code SnsEndpoint} and
 * {@code SqsIntake}; hosts with their own transport (AWS Lambda) call it directly.
 *
 * <p>SKELETON: agreed seam between the sesin and sqs work; sesin replaces the body.
 */
public final class SesNotifications {
  private final MailCore mail;

  private SesNotifications(Builder b) {
    this.mail = Objects.requireNonNull(b.mail, "mailCore");
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Processes SES notifications, inbound mail batched into as few {@code receiveAll} calls as
   * possible; one outcome per input, in input order. Never throws for a bad notification.
   *
   * @param sesMessages the SNS {@code Message} strings (SES JSON), at most 10 per call is typical
   * @return one outcome per input, in order
   */
  public List<SesNotificationOutcome> process(List<String> sesMessages) {
    Objects.requireNonNull(sesMessages, "sesMessages");
    throw new UnsupportedOperationException("skeleton: " + mail);
  }

  /** Options for {@link SesNotifications}. Not thread-safe. */
  public static final class Builder {
    private MailCore mail;

    private Builder() {}

    /**
     * The mailcore instance events and mail go to (required; not closed by this).
     *
     * @param mail the instance
     * @return this builder
     */
    public Builder mailCore(MailCore mail) {
      this.mail = Objects.requireNonNull(mail, "mail");
      return this;
    }

    /**
     * Builds it.
     *
     * @return the processor
     */
    public SesNotifications build() {
      return new SesNotifications(this);
    }
  }
}
