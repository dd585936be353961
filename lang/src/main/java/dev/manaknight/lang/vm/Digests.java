package dev.manaknight.lang.vm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * `sha256`, `sha512`, `hmacSha256` (of a String's UTF-8 bytes, as lowercase hex) and
 * `constantTimeEquals`. Each pays for the text it encodes and, again, for the bytes it hashes,
 * one unit per 16, hashing chunk by chunk so a long text meets the budget's ticks.
 */
final class Digests {
    private Digests() {}

    /** SHA-256's and SHA-512's block sizes, for HMAC's key. */
    private static final int SHA256_BLOCK = 64;

    static String sha(String s, String algorithm, Budget budget, MemoryMeter meter) {
        MessageDigest md = digest(algorithm);
        feed(md, Utf8.bytes(s, budget, meter), budget);
        return hex(md.digest(), budget, meter);
    }

    /** HMAC-SHA256 (RFC 2104) of `s` with `key`, any length of key (an empty one too). */
    static String hmacSha256(String s, String key, Budget budget, MemoryMeter meter) {
        byte[] k = Utf8.bytes(key, budget, meter);
        if (k.length > SHA256_BLOCK) {
            MessageDigest kd = digest("SHA-256");
            feed(kd, k, budget);
            k = kd.digest();
        }
        meter.charge(2 * (MemoryMeter.HEADER + SHA256_BLOCK));
        byte[] inner = new byte[SHA256_BLOCK], outer = new byte[SHA256_BLOCK];
        for (int i = 0; i < SHA256_BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        MessageDigest md = digest("SHA-256");
        md.update(inner);
        feed(md, Utf8.bytes(s, budget, meter), budget);
        byte[] innerHash = md.digest();
        md.update(outer);
        md.update(innerHash);
        return hex(md.digest(), budget, meter);
    }

    /**
     * Compares in time that depends on the lengths only, never on where the texts differ: every
     * char of `a` is compared, and the lengths are compared too.
     */
    static boolean constantTimeEquals(String a, String b, Budget budget) {
        int n = a.length(), m = b.length();
        int diff = n ^ m;
        long paid = 0;
        for (int from = 0; from < n; from += Text.CHUNK) {
            int to = Math.min(n, from + Text.CHUNK);
            paid = Text.pay(paid, to, budget);
            for (int i = from; i < to; i++) diff |= a.charAt(i) ^ (m == 0 ? 0 : b.charAt(i % m));
        }
        return diff == 0;
    }

    private static void feed(MessageDigest md, byte[] bytes, Budget budget) {
        long paid = 0;
        for (int from = 0; from < bytes.length; from += Text.CHUNK) {
            int to = Math.min(bytes.length, from + Text.CHUNK);
            paid = Utf8.pay(paid, to, budget);
            md.update(bytes, from, to - from);
        }
    }

    /** Lowercase hex of a digest (short: paid as a small made text). */
    static String hex(byte[] bytes, Budget budget, MemoryMeter meter) {
        return Text.charged(java.util.HexFormat.of().formatHex(bytes), budget, meter);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new Trap.Fault(VmError.Kind.INTERNAL, algorithm + " is missing from this JDK");
        }
    }
}
