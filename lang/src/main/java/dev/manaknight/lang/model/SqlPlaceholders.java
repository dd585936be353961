package dev.manaknight.lang.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the `:name` placeholders of a query's SQL text, skipping string literals ('…'), quoted
 * identifiers ("…"), comments (-- and /* *&#47;) and PostgreSQL casts (`::type`). The runtime
 * uses the same scan to rewrite placeholders to JDBC's `?`.
 */
public final class SqlPlaceholders {
    private SqlPlaceholders() {}

    /** A placeholder: its name and the offset of its `:` in the SQL text. */
    public record Placeholder(String name, int offset) {}

    public static List<Placeholder> scan(String sql) {
        List<Placeholder> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            int skip = skipQuotedOrComment(sql, i);
            char c = sql.charAt(i);
            if (skip > i) {
                i = skip;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                i += 2;
            } else if (c == ':' && i + 1 < n && isStart(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isPart(sql.charAt(j))) j++;
                out.add(new Placeholder(sql.substring(i + 1, j), i));
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    /**
     * If offset `i` starts a string literal, a quoted identifier (a doubled quote is an escape)
     * or a comment, the offset just past it (the end when it is unterminated); else `i`.
     */
    public static int skipQuotedOrComment(String s, int i) {
        char c = s.charAt(i);
        int n = s.length();
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < n) {
                if (s.charAt(j) == c) {
                    if (j + 1 < n && s.charAt(j + 1) == c) j += 2;
                    else return j + 1;
                } else j++;
            }
            return n;
        }
        if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
            int j = s.indexOf('\n', i);
            return j < 0 ? n : j + 1;
        }
        if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int j = s.indexOf("*/", i + 2);
            return j < 0 ? n : j + 2;
        }
        return i;
    }

    /** The SQL with every placeholder replaced by `?`, and the parameter names in binding order. */
    public record Rewritten(String sql, List<String> names) {}

    public static Rewritten rewrite(String sql) {
        var sb = new StringBuilder();
        List<String> names = new ArrayList<>();
        int last = 0;
        for (Placeholder p : scan(sql)) {
            sb.append(sql, last, p.offset()).append('?');
            names.add(p.name());
            last = p.offset() + 1 + p.name().length();
        }
        sb.append(sql, last, sql.length());
        return new Rewritten(sb.toString(), names);
    }

    /**
     * True when the placeholder stands alone inside `IN (…)` (`x IN (:ids)`, `NOT IN ( :ids )`):
     * the one place a List parameter may stand, since it becomes one `?` per element there.
     */
    public static boolean aloneInIn(String sql, Placeholder p) {
        int at = skipSpaceBack(sql, p.offset() - 1);
        if (at < 0 || sql.charAt(at) != '(') return false;
        at = skipSpaceBack(sql, at - 1);
        if (at < 1 || !sql.regionMatches(true, at - 1, "IN", 0, 2)) return false;
        if (at >= 2 && isPart(sql.charAt(at - 2))) return false; // `JOIN (`, `MIN(`
        int after = p.offset() + 1 + p.name().length();
        while (after < sql.length() && Character.isWhitespace(sql.charAt(after))) after++;
        return after < sql.length() && sql.charAt(after) == ')';
    }

    private static int skipSpaceBack(String s, int i) {
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) i--;
        return i;
    }

    private static boolean isStart(char c) { return Character.isLetter(c) || c == '_'; }

    private static boolean isPart(char c) { return Character.isLetterOrDigit(c) || c == '_'; }
}
