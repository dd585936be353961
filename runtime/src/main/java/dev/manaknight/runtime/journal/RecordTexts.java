package dev.manaknight.runtime.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What one encoding thread keeps from record to record ({@link RecordCodec}): the JSON of the
 * program's and configuration's digests, which every record of a deployment repeats, and the
 * date and time to the second of the last record's `time`, which the next record mostly shares.
 * Spelling these out for every record (Jackson checks each character of a string for escaping;
 * `Instant.toString` goes through a `DateTimeFormatter`) was a tenth of the journal writer's time.
 * Not thread-safe: one per writer.
 */
public final class RecordTexts {
    /** 9999-12-31T23:59:59Z: past it an instant's year has more than four digits. */
    private static final long LAST_SECOND = 253_402_300_799L;

    private String program;
    private byte[] programJson;
    private String config;
    private byte[] configJson;
    private long second = -1;
    private final byte[] time = new byte[32];

    /** The text of the program's digest, to be written as it is; null when it needs escaping. */
    byte[] program(String digest) {
        if (digest != program) {
            program = digest;
            programJson = plain(digest);
        }
        return programJson;
    }

    /** The text of the configuration's digest, to be written as it is; null when it needs escaping. */
    byte[] config(String digest) {
        if (digest != config) {
            config = digest;
            configJson = plain(digest);
        }
        return configJson;
    }

    /** The string's bytes when JSON takes it as it is (printable ASCII, no quote, no backslash), else null. */
    private static byte[] plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return null;
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The buffer {@link #time} writes into. */
    byte[] timeBuffer() { return time; }

    /**
     * Writes `t` as `Instant.toString` does (`2026-12-04T01:26:32.721937571Z`, the fraction in
     * groups of three digits, none when zero) into {@link #timeBuffer} and answers its length,
     * or -1 for an instant before 1970 or past the year 9999 (the caller writes `t.toString()`).
     */
    int time(Instant t) {
        long s = t.getEpochSecond();
        if (s < 0 || s > LAST_SECOND) return -1;
        if (s != second) {
            LocalDateTime d = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
            digits(d.getYear(), 0, 4);
            time[4] = '-';
            digits(d.getMonthValue(), 5, 2);
            time[7] = '-';
            digits(d.getDayOfMonth(), 8, 2);
            time[10] = 'T';
            digits(d.getHour(), 11, 2);
            time[13] = ':';
            digits(d.getMinute(), 14, 2);
            time[16] = ':';
            digits(d.getSecond(), 17, 2);
            second = s;
        }
        int at = 19;
        int nano = t.getNano();
        if (nano > 0) {
            time[at++] = '.';
            if (nano % 1_000_000 == 0) at = digits(nano / 1_000_000, at, 3);
            else if (nano % 1_000 == 0) at = digits(nano / 1_000, at, 6);
            else at = digits(nano, at, 9);
        }
        time[at++] = 'Z';
        return at;
    }

    /** `value` in `width` decimal digits, zero-padded, at `at`; answers the index after them. */
    private int digits(int value, int at, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            time[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
