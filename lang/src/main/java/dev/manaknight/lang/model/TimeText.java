package dev.manaknight.lang.model;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The text forms of `Instant` and `Duration`, one place for the VM, JSON, SQL and inputs: an
 * Instant is written in RFC 3339 in UTC (`2026-01-02T03:04:05Z`, `…05.120Z` with milliseconds)
 * and read from RFC 3339 with any offset (converted to UTC); both keep milliseconds (finer digits
 * are dropped) and years 0000 to 9999. A Duration is ISO 8601's `PT1H30M`.
 */
public final class TimeText {
    private TimeText() {}

    /** The first and last instants a value may hold: RFC 3339's years. */
    public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    /** SQLite's `datetime()` and `CURRENT_TIMESTAMP`: no offset, UTC. */
    private static final Pattern SQLITE = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    /** Always three decimals, so that texts sort as their instants do: SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`. */
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** RFC 3339 in UTC, milliseconds only when there are some. */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /**
     * RFC 3339 in UTC with exactly three decimals (`2026-01-02T03:04:05.000Z`): fixed width, so
     * comparing the texts (SQL's `<`, `ORDER BY`) compares the instants. What SQLite stores.
     */
    public static String formatFixed(Instant t) {
        return FIXED.format(t);
    }

    /** An RFC 3339 date-time (`T`, `t` or a space between date and time; `Z` or an offset), or null. */
    public static Instant parse(String s) {
        if (s.length() > 40 || !RFC3339.matcher(s).matches()) return null;
        try {
            String normal = s.substring(0, 10) + "T" + s.substring(11).toUpperCase(java.util.Locale.ROOT);
            return inRange(OffsetDateTime.parse(normal).toInstant());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@link #parse}, or SQLite's `YYYY-MM-DD HH:MM:SS[.fff]` read as UTC: what a column may hold. */
    public static Instant parseColumn(String s) {
        Instant t = parse(s);
        if (t != null || s.length() > 40 || !SQLITE.matcher(s).matches()) return t;
        try {
            return inRange(LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Milliseconds kept, finer digits dropped; null outside years 0000..9999. */
    public static Instant inRange(Instant t) {
        Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
        return ms.isBefore(MIN) || ms.isAfter(MAX) ? null : ms;
    }

    /** ISO 8601's `PnDTnHnMn.nS` (`PT15M`, `-PT1.5S`), milliseconds kept, or null. */
    public static Duration parseDuration(String s) {
        if (s.length() > 64) return null;
        try {
            Duration d = Duration.parse(s).truncatedTo(ChronoUnit.MILLIS);
            d.toMillis(); // throws past Int's range of milliseconds
            return d;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
