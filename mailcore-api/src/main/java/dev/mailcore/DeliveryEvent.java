package dev.mailcore;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something the provider reported about an outbound message: it was delivered, bounced,
 * complained about, or failed. Recorded with {@code mail.deliveries().record(event)}, and
 * returned (with both ids and the time filled in) in {@link DeliveryReport#events()}.
 *
 * <p>The message is named by mailcore's id ({@link #messageId()}) or by the provider's id
 * ({@link #sesMessageId()}, what the transport returned, which is what SES or an SMTP relay
 * names in its notifications); at least one is required. {@link #recipients()} says which
 * recipients the event is about; empty means all of the message's recipients.
 *
 * <p>A {@link DeliveryStatus.Bounced} event must say whether the bounce is permanent
 * ({@link BounceType#PERMANENT}: the address does not work, and mailcore adds it to the
 * suppression list) or transient; other statuses must not carry a bounce type. A
 * {@link DeliveryStatus#COMPLAINED} event also suppresses its recipients.
 *
 * <p>{@link #details()} carries provider data worth keeping (diagnostic codes, the remote MTA,
 * the complaint feedback type). It is stored as a JSON object, so values are limited to
 * {@code String}, {@code Boolean}, numbers, and {@code List}s and {@code Map}s (with
 * {@code String} keys) of those; no nulls. Immutable and thread-safe.
 *
 * <pre>{@code
 * mail.deliveries().record(DeliveryEvent.builder()
 *     .sesMessageId(notification.messageId())
 *     .bounced(BounceType.PERMANENT, "550 5.1.1 user unknown")
 *     .recipients("ann@example.com")
 *     .occurredAt(notification.timestamp())
 *     .detail("diagnosticCode", "smtp; 550 5.1.1 user unknown")
 *     .build());
 * }</pre>
 *
 * @param messageId mailcore's id of the message, if known
 * @param sesMessageId the provider's id of the message, if known
 * @param status the status the event reports
 * @param recipients the affected recipients (normalized addresses); empty means all
 * @param occurredAt when it happened (the provider's timestamp); empty means "now" by the
 *     {@code MailCore} clock when it is recorded
 * @param bounceType for a Bounced status, whether the bounce is permanent
 * @param details provider data, stored as JSON
 */
public record DeliveryEvent(
    Optional<UUID> messageId,
    Optional<String> sesMessageId,
    DeliveryStatus status,
    List<String> recipients,
    Optional<Instant> occurredAt,
    Optional<BounceType> bounceType,
    Map<String, Object> details) {

  /** Whether a bounce is permanent. */
  public enum BounceType {
    /** The address does not exist or refuses mail for good; it is suppressed. */
    PERMANENT,
    /** A temporary problem (mailbox full, greylisting); the address is not suppressed. */
    TRANSIENT;

    /**
     * The lower-case code used in stored details ({@code permanent}, {@code transient}).
     *
     * @return the code
     */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Validates and copies.
   *
   * @throws ValidationException if neither id is given, a recipient is not a valid address,
   *     the bounce type does not fit the status, or a detail value is not JSON-compatible
   */
  public DeliveryEvent {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(sesMessageId, "sesMessageId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(bounceType, "bounceType");
    if (messageId.isEmpty() && sesMessageId.isEmpty()) {
      throw new ValidationException("messageId",
          "name the message by mailcore's messageId or the provider's sesMessageId");
    }
    sesMessageId.ifPresent(s -> {
      if (s.isBlank()) {
        throw new ValidationException("sesMessageId", "must not be blank");
      }
    });
    List<String> normalized = new ArrayList<>(recipients.size());
    for (String r : recipients) {
      String address = EmailAddress.of(Objects.requireNonNull(r, "recipient")).normalized();
      if (!normalized.contains(address)) {
        normalized.add(address);
      }
    }
    recipients = List.copyOf(normalized);
    boolean bounced = status instanceof DeliveryStatus.Bounced;
    if (bounced && bounceType.isEmpty()) {
      throw new ValidationException("bounceType",
          "a Bounced event must say whether the bounce is PERMANENT or TRANSIENT");
    }
    if (!bounced && bounceType.isPresent()) {
      throw new ValidationException("bounceType",
          "only a Bounced event has a bounce type, this one is " + status.code());
    }
    details = copyObject("details", details);
  }

  /**
   * Whether this event puts its recipients on the suppression list: a permanent bounce or a
   * complaint.
   *
   * @return true if its recipients are to be suppressed
   */
  public boolean suppresses() {
    return status instanceof DeliveryStatus.Complained
        || bounceType.filter(t -> t == BounceType.PERMANENT).isPresent();
  }

  /**
   * Starts an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this event's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messageId = messageId.orElse(null);
    b.sesMessageId = sesMessageId.orElse(null);
    b.status = status;
    b.recipients.addAll(recipients);
    b.occurredAt = occurredAt.orElse(null);
    b.bounceType = bounceType.orElse(null);
    b.details.putAll(details);
    return b;
  }

  private static Map<String, Object> copyObject(String path, Map<?, ?> map) {
    Objects.requireNonNull(map, path);
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        throw new ValidationException(path, "keys must be strings, got " + e.getKey());
      }
      String key = (String) e.getKey();
      copy.put(key, copyValue(path + "." + key, e.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(String path, Object value) {
    if (value == null) {
      throw new ValidationException(path, "must not be null; leave the entry out instead");
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new ValidationException(path, "NaN and infinity cannot be stored as JSON");
      }
      return value;
    }
    if (value instanceof Map) {
      return copyObject(path, (Map<?, ?>) value);
    }
    if (value instanceof List) {
      List<Object> list = new ArrayList<>();
      int i = 0;
      for (Object o : (List<?>) value) {
        list.add(copyValue(path + "[" + i++ + "]", o));
      }
      return Collections.unmodifiableList(list);
    }
    throw new ValidationException(path, "expected a String, Boolean, number, List or Map, got "
        + value.getClass().getName());
  }

  /** Builds a {@link DeliveryEvent}. Not thread-safe. */
  public static final class Builder {
    private UUID messageId;
    private String sesMessageId;
    private DeliveryStatus status;
    private final List<String> recipients = new ArrayList<>();
    private Instant occurredAt;
    private BounceType bounceType;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Names the message by mailcore's id.
     *
     * @param messageId {@link EmailMessage#id()}
     * @return this builder
     */
    public Builder messageId(UUID messageId) {
      this.messageId = Objects.requireNonNull(messageId, "messageId");
      return this;
    }

    /**
     * Names the message by the provider's id (what the transport returned).
     *
     * @param sesMessageId the provider id
     * @return this builder
     */
    public Builder sesMessageId(String sesMessageId) {
      this.sesMessageId = Objects.requireNonNull(sesMessageId, "sesMessageId");
      return this;
    }

    /**
     * Sets the status (required). For a bounce use {@link #bounced(BounceType, String)}.
     *
     * @param status the status
     * @return this builder
     */
    public Builder status(DeliveryStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /**
     * Marks the event as a delivery.
     *
     * @return this builder
     */
    public Builder delivered() {
      return status(DeliveryStatus.DELIVERED);
    }

    /**
     * Marks the event as a bounce.
     *
     * @param type permanent or transient
     * @param reason the bounce reason (for example the SMTP diagnostic)
     * @return this builder
     */
    public Builder bounced(BounceType type, String reason) {
      this.bounceType = Objects.requireNonNull(type, "type");
      return status(new DeliveryStatus.Bounced(Objects.requireNonNull(reason, "reason")));
    }

    /**
     * Marks the event as a complaint.
     *
     * @return this builder
     */
    public Builder complained() {
      return status(DeliveryStatus.COMPLAINED);
    }

    /**
     * Marks the event as a failure.
     *
     * @param reason why it failed
     * @return this builder
     */
    public Builder failed(String reason) {
      return status(new DeliveryStatus.Failed(Objects.requireNonNull(reason, "reason")));
    }

    /**
     * Sets the bounce type (normally set by {@link #bounced(BounceType, String)}).
     *
     * @param type the type
     * @return this builder
     */
    public Builder bounceType(BounceType type) {
      this.bounceType = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * Adds affected recipients; none means all of the message's recipients.
     *
     * @param addresses bare addresses
     * @return this builder
     */
    public Builder recipients(String... addresses) {
      for (String a : addresses) {
        recipients.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    /**
     * Adds affected recipients.
     *
     * @param addresses bare addresses
     * @return this builder
     */
    public Builder recipients(List<String> addresses) {
      return recipients(addresses.toArray(new String[0]));
    }

    /**
     * Sets when it happened (default: when it is recorded).
     *
     * @param occurredAt the provider's timestamp
     * @return this builder
     */
    public Builder occurredAt(Instant occurredAt) {
      this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
      return this;
    }

    /**
     * Adds one detail.
     *
     * @param key the key
     * @param value a String, Boolean, number, List or Map
     * @return this builder
     */
    public Builder detail(String key, Object value) {
      details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /**
     * Adds details.
     *
     * @param details the entries
     * @return this builder
     */
    public Builder details(Map<String, ?> details) {
      details.forEach(this::detail);
      return this;
    }

    /**
     * Builds the event.
     *
     * @return the event
     * @throws NullPointerException if no status was set
     * @throws ValidationException if the event is invalid
     */
    public DeliveryEvent build() {
      Objects.requireNonNull(status, "status (call status(...), delivered(), bounced(...),"
          + " complained() or failed(...) on the builder)");
      return new DeliveryEvent(Optional.ofNullable(messageId), Optional.ofNullable(sesMessageId),
          status, recipients, Optional.ofNullable(occurredAt), Optional.ofNullable(bounceType),
          details);
    }
  }
}
