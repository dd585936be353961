package dev.manaknight.runtime.effects;

import dev.manaknight.lang.model.SqlPlaceholders;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits schema scripts at top-level `;`, knowing where strings, quoted identifiers and comments
 * are (the same lexical rules as the compiler's placeholder scan, {@link SqlPlaceholders}, which
 * also rewrites `:name` to `?` for JDBC: one scanner, so what the compiler checks is what binds).
 */
public final class SqlText {
    private SqlText() {}

    /** Splits a schema script into statements at `;` outside strings and comments; blanks dropped. */
    public static List<String> statements(String script) {
        var out = new ArrayList<String>();
        int start = 0, i = 0, n = script.length();
        while (i < n) {
            int skip = SqlPlaceholders.skipQuotedOrComment(script, i);
            if (skip > i) {
                i = skip;
            } else if (script.charAt(i) == ';') {
                addIfCode(out, script.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        addIfCode(out, script.substring(start));
        return out;
    }

    private static void addIfCode(List<String> out, String stmt) {
        // Comments are dropped (a piece made only of comments is no statement); strings are kept whole.
        var code = new StringBuilder();
        int i = 0;
        while (i < stmt.length()) {
            int skip = SqlPlaceholders.skipQuotedOrComment(stmt, i);
            if (skip == i) code.append(stmt.charAt(i++));
            else {
                if (!stmt.startsWith("--", i) && !stmt.startsWith("/*", i)) code.append(stmt, i, skip);
                else code.append(' ');
                i = skip;
            }
        }
        String s = code.toString().strip();
        if (!s.isEmpty()) out.add(s);
    }

    /** Keywords that make a statement write, wherever they stand (a `WITH` may lead any of them). */
    private static final java.util.Set<String> WRITES = java.util.Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");

    /**
     * True when `sql` can only read, on SQLite: it starts with `SELECT`, `VALUES` or `WITH`, and
     * names none of `INSERT`, `UPDATE`, `DELETE`, `REPLACE` outside strings, quoted names and
     * comments (a common table expression may lead a write).
     */
    public static boolean readsOnly(String sql) {
        String first = null;
        int i = 0, n = sql.length();
        while (i < n) {
            int skip = SqlPlaceholders.skipQuotedOrComment(sql, i);
            if (skip > i) {
                i = skip;
            } else if (Character.isJavaIdentifierStart(sql.charAt(i))) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(sql.charAt(i))) i++;
                String word = sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
                if (first == null) first = word;
                if (WRITES.contains(word)) return false;
            } else {
                i++;
            }
        }
        return "SELECT".equals(first) || "VALUES".equals(first) || "WITH".equals(first);
    }
}
