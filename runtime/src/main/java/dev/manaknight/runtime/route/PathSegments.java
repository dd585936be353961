package dev.manaknight.runtime.route;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a raw path at `/` and percent-decodes each segment (so `%2F` stays inside its segment). */
public final class PathSegments {
    private PathSegments() {}

    /** `/users/42` → [users, 42]; `/` → []. Throws on a malformed escape or invalid UTF-8. */
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
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(b);
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
}
