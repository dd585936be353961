package dev.manaknight.runtime.effects;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Where a request's `clock` and `random` effects come from: the world in a server (the system
 * clock, a CSPRNG), fixed in `manaknight test` so that a test gives the same answers every run.
 *
 * @param clock  milliseconds since 1970 for `clock.now()` (and `random.uuid7()`'s time)
 * @param random `random`'s source; shared by the runs that use these sources, safe across threads
 * @param outbound where `http.send` goes, or null: the network, as the configuration allows ({@link HttpOutbound})
 */
public record EffectSources(LongSupplier clock, RandomGenerator random, Outbound outbound) {
    /** The instant every test's clock shows: `2026-01-01T00:00:00Z`. */
    public static final Instant TEST_NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** The seed of every test's `random`. */
    public static final long TEST_SEED = 15;

    /** A server's: the system clock and a CSPRNG seeded by the OS. */
    public static EffectSources real() {
        return new EffectSources(System::currentTimeMillis, new SecureRandom(), null);
    }

    /**
     * One test's: a clock stopped at {@link #TEST_NOW} and a pseudo-random source seeded with
     * {@link #TEST_SEED}, shared by the test and the requests it sends, so that a test's uuids and
     * tokens are the same at each run whatever the other tests do ({@link Random} is thread-safe);
     * outbound calls answered by the test's stubs.
     */
    public static EffectSources fixed(StubOutbound stubs) {
        long now = TEST_NOW.toEpochMilli();
        return new EffectSources(() -> now, new Random(TEST_SEED), stubs);
    }
}
