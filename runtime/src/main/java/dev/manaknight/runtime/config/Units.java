package dev.manaknight.runtime.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsers for the config's sizes (`256KB`, `1MB`; binary multiples) and durations
 * (`500us`, `5ms`, `10s`, `2m`). No spaces, no fractions, no guessing a missing unit.
 */
public final class Units {
    private Units() {}

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(B|KB|MB|GB)");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(us|ms|s|m)");

    /** @throws IllegalArgumentException with what is expected */
    public static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("expected a size like \"256KB\" or \"1MB\" (units B, KB, MB, GB), got \"" + text + "\"");
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "B" -> 1;
            case "KB" -> 1024;
            case "MB" -> 1024 * 1024;
            default -> 1024L * 1024 * 1024;
        };
        return Math.multiplyExact(n, unit);
    }

    /** @throws IllegalArgumentException with what is expected */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("expected a duration like \"5ms\" or \"10s\" (units us, ms, s, m), got \"" + text + "\"");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
