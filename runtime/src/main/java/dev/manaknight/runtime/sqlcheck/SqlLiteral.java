package dev.manaknight.runtime.sqlcheck;

import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.source.Span;
import java.util.Locale;

/**
 * A query's SQL string literal in its source file: where a character of the SQL text (escapes
 * decoded) stands in the source (escapes shift it), and where a name the database complained
 * about is, so that a code frame points inside the string.
 */
final class SqlLiteral {
    private final Span literal;
    private final String sql;
    /** The source offset of each character of `sql`, and one past the last. */
    private final int[] sourceOffset;

    SqlLiteral(Span literal, String sql) {
        this.literal = literal;
        this.sql = sql;
        this.sourceOffset = offsets(literal, sql.length());
    }

    /** The literal with its quotes. */
    Span whole() { return literal; }

    /** The opening quote: where an error the database does not place is shown. */
    Span start() { return new Span(literal.file(), literal.start(), Math.min(literal.end(), literal.start() + 1)); }

    /** The source span of the SQL text's characters [from, from + length). */
    Span at(int from, int length) {
        int a = sourceOffset[Math.min(from, sql.length())];
        int b = sourceOffset[Math.min(from + length, sql.length())];
        return new Span(literal.file(), a, Math.max(a + 1, b));
    }

    /**
     * The first place the name (or the last part of `t.name`) appears as a word or a quoted
     * identifier, case-insensitively, outside string literals and comments; null when it does not.
     */
    Span name(String qualified) {
        String name = qualified.contains(".") ? qualified.substring(qualified.lastIndexOf('.') + 1) : qualified;
        name = unquote(name);
        if (name.isEmpty()) return null;
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skip = SqlPlaceholders.skipQuotedOrComment(sql, i);
            if (skip > i) {
                if (c == '"' && sql.substring(i + 1, Math.max(i + 1, skip - 1)).equalsIgnoreCase(name)) return at(i, skip - i);
                i = skip;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) j++;
                if (sql.substring(i, j).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return at(i, j - i);
                i = j;
            } else {
                i++;
            }
        }
        return null;
    }

    /**
     * The column a result column named `label` is read from, for a column the database says comes
     * straight from a table: `x` in `… x AS label` (or `t.x AS label`), else `label` itself (no
     * alias). Null when what stands before `AS` is not a name.
     */
    String origin(String label) {
        var words = new java.util.ArrayList<String>();
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skip = SqlPlaceholders.skipQuotedOrComment(sql, i);
            if (skip > i) {
                words.add(c == '"' ? sql.substring(i + 1, Math.max(i + 1, skip - 1)) : c == '\'' ? "'" : " ");
                i = skip;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) j++;
                words.add(sql.substring(i, j));
                i = j;
            } else {
                if (!Character.isWhitespace(c) && c != '.') words.add(String.valueOf(c));
                i++;
            }
        }
        for (int w = 2; w < words.size(); w++) {
            if (words.get(w).equalsIgnoreCase(label) && words.get(w - 1).equalsIgnoreCase("AS")) {
                String before = words.get(w - 2);
                return before.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '$') ? before : null;
            }
        }
        return label;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Walks the literal's source text as the lexer decodes it (`\n`, `\"`, a Unicode escape in braces, …). */
    private static int[] offsets(Span literal, int decodedLength) {
        String text = literal.file().text();
        int[] out = new int[decodedLength + 1];
        int p = literal.start() + 1, stop = Math.max(p, literal.end() - 1), d = 0;
        while (p < stop && d < decodedLength) {
            out[d] = p;
            if (text.charAt(p) != '\\' || p + 1 >= stop) {
                p++;
                d++;
            } else if (text.charAt(p + 1) == 'u') {
                int close = text.indexOf('}', p);
                int end = close < 0 || close >= stop ? p + 2 : close + 1;
                int cp = close < 0 ? 0 : parseHex(text.substring(Math.min(p + 3, end), Math.max(p + 3, end - 1)));
                if (Character.charCount(cp) == 2 && d + 1 < decodedLength) out[++d] = p;
                p = end;
                d++;
            } else {
                p += 2;
                d++;
            }
        }
        for (; d <= decodedLength; d++) out[d] = Math.min(p, literal.end());
        return out;
    }

    private static int parseHex(String s) {
        try {
            return Integer.parseInt(s, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
