package dev.manaknight.runtime.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The journal's tamper evidence: each line carries the SHA-256 of the line before it and its own,
 * taken over that previous hash and its record's exact bytes, so that changing, removing or
 * reordering any line breaks the chain at that line (journal.md, "Chain"). A line is
 * <pre>{"prev":"&lt;64 hex&gt;","hash":"&lt;64 hex&gt;","record":&lt;the record's JSON&gt;}</pre>
 * and the first line of an instance's first segment has a `prev` of 64 zeros.
 */
public final class Chain {
    /** The `prev` of the very first line of an instance. */
    public static final String GENESIS = "0".repeat(64);
    private static final byte[] HEAD = "{\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MID = "\",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REC = "\",\"record\":".getBytes(StandardCharsets.US_ASCII);
    /** Where the record's JSON starts in a line. */
    static final int RECORD_AT = HEAD.length + 64 + MID.length + 64 + REC.length;

    private Chain() {}

    /** SHA-256 over the previous hash (hex, ASCII) and the record's bytes, hex. */
    public static String hash(String prev, byte[] record) {
        MessageDigest md = sha256();
        md.update(prev.getBytes(StandardCharsets.US_ASCII));
        md.update(record);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The line that follows a line whose hash is `prev`, newline included. */
    public static byte[] line(String prev, String hash, byte[] record) {
        byte[] out = new byte[RECORD_AT + record.length + 2];
        int at = put(out, 0, HEAD);
        at = put(out, at, prev.getBytes(StandardCharsets.US_ASCII));
        at = put(out, at, MID);
        at = put(out, at, hash.getBytes(StandardCharsets.US_ASCII));
        at = put(out, at, REC);
        at = put(out, at, record);
        out[at] = '}';
        out[at + 1] = '\n';
        return out;
    }

    /**
     * Begins a line at the end of `c`, its `prev` and `hash` left blank, so that the record can be
     * encoded straight after it; answers where the line begins. {@link #close} ends it.
     */
    static int open(Chunk c) {
        int line = c.size();
        c.write(HEAD, 0, HEAD.length);
        c.skip(64);
        c.write(MID, 0, MID.length);
        c.skip(64);
        c.write(REC, 0, REC.length);
        return line;
    }

    /** Ends the line {@link #open} began: its record is what was written since. */
    static void close(Chunk c) {
        c.write('}');
        c.write('\n');
    }

    /**
     * Fills in the frame of the line from `line` to `end` (newline included) in `buf`: `prev`,
     * and the hash over it and the record as they lie there ({@link #hash}); answers the hash.
     */
    static String seal(byte[] buf, int line, int end, String prev, MessageDigest md) {
        int prevAt = line + HEAD.length;
        int hashAt = prevAt + 64 + MID.length;
        for (int i = 0; i < 64; i++) buf[prevAt + i] = (byte) prev.charAt(i);
        md.reset();
        md.update(buf, prevAt, 64);
        md.update(buf, line + RECORD_AT, end - 2 - line - RECORD_AT);
        byte[] digest = md.digest();
        for (int i = 0; i < digest.length; i++) {
            buf[hashAt + 2 * i] = HEX[(digest[i] >> 4) & 0xf];
            buf[hashAt + 2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(buf, hashAt, 64, StandardCharsets.US_ASCII);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** A SHA-256 digest for one thread's {@link #seal}s. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** A line taken apart (without its newline), or why it is no chain line. */
    public sealed interface Parsed {
        record Line(String prev, String hash, byte[] record) implements Parsed {
            /** True when `hash` is what the record and `prev` hash to. */
            public boolean sealed() { return hash.equals(Chain.hash(prev, record)); }
        }

        record Malformed(String why) implements Parsed {}
    }

    public static Parsed parse(byte[] line) {
        if (line.length < RECORD_AT + 3 || !startsWith(line, 0, HEAD) || !startsWith(line, HEAD.length + 64, MID)
                || !startsWith(line, HEAD.length + 64 + MID.length + 64, REC) || line[line.length - 1] != '}')
            return new Parsed.Malformed("not a journal line (cut short, or its frame changed)");
        String prev = new String(line, HEAD.length, 64, StandardCharsets.US_ASCII);
        String hash = new String(line, HEAD.length + 64 + MID.length, 64, StandardCharsets.US_ASCII);
        return new Parsed.Line(prev, hash, Arrays.copyOfRange(line, RECORD_AT, line.length - 1));
    }

    private static boolean startsWith(byte[] line, int at, byte[] part) {
        return Arrays.equals(line, at, at + part.length, part, 0, part.length);
    }
}
