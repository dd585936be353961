package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Builtin;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * `base64`, `base64url`, `hex` of a String's UTF-8 bytes, and their decoders, which return none
 * for text that is not in the encoding or bytes that are not UTF-8. Encoding pays for the text
 * walked, then charges and pays for what it makes before it makes it (one bulk step); decoding
 * pays for the text and charges the bytes and the String before making them.
 */
final class Encodings {
    private Encodings() {}

    enum Kind { BASE64, BASE64URL, HEX }

    /** The encoding a builtin encodes to or decodes from. */
    static Kind kind(Builtin b) {
        return switch (b) {
            case STR_BASE64, STR_FROM_BASE64 -> Kind.BASE64;
            case STR_BASE64URL, STR_FROM_BASE64URL -> Kind.BASE64URL;
            default -> Kind.HEX;
        };
    }

    static String encode(String s, Kind kind, Budget budget, MemoryMeter meter) {
        byte[] bytes = Utf8.bytes(s, budget, meter);
        long length = switch (kind) {
            case BASE64 -> 4 * ((bytes.length + 2L) / 3);
            case BASE64URL -> (bytes.length * 4L + 2) / 3; // no padding
            case HEX -> 2L * bytes.length;
        };
        meter.charge(MemoryMeter.string(length));
        Text.tooLong(length);
        Text.walk(length, budget);
        return switch (kind) {
            case BASE64 -> Base64.getEncoder().encodeToString(bytes);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            case HEX -> java.util.HexFormat.of().formatHex(bytes);
        };
    }

    /** The decoded text, or none when `s` is not in the encoding (base64url: padding optional) or the bytes are not UTF-8. */
    static Object decode(String s, Kind kind, Budget budget, MemoryMeter meter) {
        if (!ascii(s, budget)) return Values.None.NONE;
        meter.charge(MemoryMeter.HEADER + s.length());
        byte[] bytes;
        try {
            bytes = switch (kind) {
                case BASE64 -> Base64.getDecoder().decode(s);
                case BASE64URL -> Base64.getUrlDecoder().decode(s);
                case HEX -> java.util.HexFormat.of().parseHex(s);
            };
        } catch (IllegalArgumentException e) {
            return Values.None.NONE;
        }
        meter.charge(MemoryMeter.string(bytes.length) + MemoryMeter.BOX);
        Text.walk(bytes.length, budget);
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            return new Values.Some(decoder.decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Values.None.NONE;
        }
    }

    /**
     * Whether `s` is ASCII, walked and paid chunk by chunk (so a long text meets the budget's ticks)
     * before Java's decoder sees it: it would read other chars as Latin-1 bytes.
     */
    private static boolean ascii(String s, Budget budget) {
        int n = s.length();
        long paid = 0;
        for (int from = 0; from < n; from += Text.CHUNK) {
            int to = Math.min(n, from + Text.CHUNK);
            paid = Text.pay(paid, to, budget);
            for (int i = from; i < to; i++) if (s.charAt(i) >= 128) return false;
        }
        return true;
    }
}
