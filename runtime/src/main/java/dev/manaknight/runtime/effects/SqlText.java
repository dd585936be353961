package dev.manaknight.runtime.effects;

import dev.manaknight.lang.model.SqlPlaceholders;

/**
 * What a query's SQL text says about it, read with the same lexical rules as the compiler's
 * placeholder scan ({@link SqlPlaceholders}: strings, quoted identifiers and comments skipped).
 * Scripts (a schema, a migration) are not split here: each database runs them whole with its own
 * parser ({@link Dialect#runScript}), which knows a trigger's `BEGIN … END` and a `$$` body.
 */
public final class SqlText {
    private SqlText() {}

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
