package dev.mailcore.internal.engine;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * New ids are UUIDv7 (RFC 9562): time-ordered, so primary-key indexes stay append-mostly and
 * keyset ties break in creation order.
 */
public final class Uuids {
  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private Uuids() {}

  /**
   * A new UUIDv7.
   *
   * @return the id
   */
  public static UUID next() {
    return GENERATOR.generate();
  }
}
