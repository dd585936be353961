package dev.manaknight.runtime.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A failure to read a Jackson document (a JSON request body, the TOML config) as one line for a
 * person: the parser's words without its source bookkeeping, then where, e.g. "Unexpected
 * end-of-input: expected close marker for Object at line 1, column 12".
 */
public final class ReadError {
    private ReadError() {}

    /** Jackson's "(start marker at [Source: REDACTED …; line: 1, column: 1])", its own bookkeeping. */
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[[^\\]]*\\]\\)");

    public static String describe(IOException e) {
        if (!(e instanceof JsonProcessingException j)) return firstLine(e.getMessage());
        String message = START_MARKER.matcher(firstLine(j.getOriginalMessage())).replaceAll("");
        JsonLocation at = j.getLocation();
        if (at == null || at.getLineNr() < 1) return message;
        return message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) return "cannot be read";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
