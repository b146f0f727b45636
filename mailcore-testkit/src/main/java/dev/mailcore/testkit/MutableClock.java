package dev.mailcore.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand, so time-dependent behaviour (threading windows, retries,
 * idempotency expiry) is tested without sleeping. Thread-safe.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock standing at {@code start}, in UTC.
   *
   * @param start the initial instant
   * @return the clock
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")),
        ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward (or back, for a negative amount).
   *
   * @param amount how far
   * @return this clock
   */
  public MutableClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    now.updateAndGet(i -> i.plus(amount));
    return this;
  }

  /**
   * Sets the clock.
   *
   * @param instant the new time
   * @return this clock
   */
  public MutableClock set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new MutableClock(now, z);
  }
}
