package dev.manaknight.runtime.route;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw path at `/` and percent-decodes each segment (so `%2F` stays inside its segment).
 * A raw request target is ASCII (RFC 3986 allows no other byte): a raw non-ASCII character, a
 * control character or a space is refused like a malformed escape, whichever transport brought it
 * (`serve` reads the target's bytes as Latin-1, FastCGI and CGI as UTF-8 with U+FFFD for invalid
 * bytes; either way the character is not ASCII).
 */
public final class PathSegments {
    private PathSegments() {}

    /**
     * `/users/42` → [users, 42]; `/` → []. Throws on a raw character that must be escaped, a
     * malformed escape or invalid UTF-8.
     */
    public static List<String> split(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        var out = new ArrayList<String>();
        if (p.isEmpty()) return out;
        for (String s : p.split("/", -1)) out.add(decode(s, false));
        return out;
    }

    /**
     * Percent-decodes UTF-8 text; with {@code plusIsSpace} (query strings) `+` is a space.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String decode(String s, boolean plusIsSpace) {
        requireRawAscii(s);
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) return s;
        var bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length())
                    throw new IllegalArgumentException("incomplete percent escape in `" + s + "`");
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad percent escape in `" + s + "`");
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                bytes.write(c); // ASCII: requireRawAscii let nothing else through
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent escapes in `" + s + "` are not valid UTF-8");
        }
    }

    /**
     * Throws unless every character is visible ASCII: a control character (0x00–0x1F, 0x7F), a
     * space or anything past 0x7F must come percent-encoded.
     */
    static void requireRawAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            String bad = notRaw(s.charAt(i));
            if (bad != null) throw new IllegalArgumentException(bad);
        }
    }

    /**
     * Why a request target may not have {@code c} raw, or null when it may (visible ASCII). Says
     * which character, not the text around it (a log or a client may show the detail).
     */
    public static String notRaw(char c) {
        if (c > 0x20 && c < 0x7F) return null;
        String what = c > 0x7F ? "a raw non-ASCII character" : c == ' ' ? "a raw space" : "a raw control character";
        return "has " + what + " (U+" + String.format("%04X", (int) c)
                + "); a request target is ASCII, anything else percent-encoded";
    }
}
