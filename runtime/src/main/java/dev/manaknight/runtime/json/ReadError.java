package dev.manaknight.runtime.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A failure to read a Jackson document (a JSON request body, the TOML config) as one line for a
 * person: the parser's words without its source bookkeeping or the names of its settings, then
 * where, e.g. "Unexpected end-of-input: expected close marker for Object at line 1, column 12".
 */
public final class ReadError {
    private ReadError() {}

    /** Jackson's "(start marker at [Source: REDACTED …; line: 1, column: 1])", its own bookkeeping. */
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[[^\\]]*\\]\\)");

    /**
     * A limit of Jackson's `StreamReadConstraints`: "Document nesting depth (1001) exceeds the
     * maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)". Groups: what was
     * found, the limit, the getter that names which limit.
     */
    private static final Pattern CONSTRAINT = Pattern.compile(
            ".*\\((\\d+)\\) exceeds the maximum allowed \\((\\d+), from `StreamReadConstraints\\.getMax(\\w+)\\(\\)`\\).*");

    public static String describe(IOException e) {
        if (!(e instanceof JsonProcessingException j)) return firstLine(e.getMessage());
        String message = START_MARKER.matcher(firstLine(j.getOriginalMessage())).replaceAll("");
        if (e instanceof StreamConstraintsException) message = constraint(message);
        JsonLocation at = j.getLocation();
        if (at == null || at.getLineNr() < 1) return message;
        return message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** A parser limit in plain words, without the name of Jackson's setting. */
    private static String constraint(String message) {
        var m = CONSTRAINT.matcher(message);
        if (!m.matches()) return message.replaceAll(",? from `[^`]*`", "");
        String limit = m.group(2);
        return switch (m.group(3)) {
            case "NestingDepth" -> "arrays and objects nest deeper than " + limit + " levels";
            case "NumberLength" -> "a number is longer than " + limit + " characters";
            case "StringLength" -> "a string is longer than " + limit + " characters";
            case "NameLength" -> "a member name is longer than " + limit + " characters";
            case "DocumentLength" -> "the document is longer than " + limit + " bytes";
            case "TokenCount" -> "the document has more than " + limit + " tokens";
            default -> message.replaceAll(",? from `[^`]*`", "");
        };
    }

    private static String firstLine(String s) {
        if (s == null) return "cannot be read";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
