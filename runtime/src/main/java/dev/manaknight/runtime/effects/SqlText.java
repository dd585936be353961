package dev.manaknight.runtime.effects;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical walks over SQL text that know where strings, quoted identifiers, comments and `::`
 * casts are: named parameters become `?`, and scripts split at top-level `;`.
 */
public final class SqlText {
    private SqlText() {}

    /** A query with `:name` rewritten to `?`; `names[i]` is the parameter of the i-th `?`. */
    public record Rewritten(String sql, List<String> names) {}

    public static Rewritten rewrite(String sql) {
        var out = new StringBuilder(sql.length());
        var names = new ArrayList<String>();
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skip = skipQuotedOrComment(sql, i);
            if (skip > i) {
                out.append(sql, i, skip);
                i = skip;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && isNameStart(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isNamePart(sql.charAt(j))) j++;
                names.add(sql.substring(i + 1, j));
                out.append('?');
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Rewritten(out.toString(), List.copyOf(names));
    }

    /** Splits a schema script into statements at `;` outside strings and comments; blanks dropped. */
    public static List<String> statements(String script) {
        var out = new ArrayList<String>();
        int start = 0, i = 0, n = script.length();
        while (i < n) {
            int skip = skipQuotedOrComment(script, i);
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
            int skip = skipQuotedOrComment(stmt, i);
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

    /** If `i` starts a string, quoted identifier or comment, the index just past it; else `i`. */
    private static int skipQuotedOrComment(String s, int i) {
        char c = s.charAt(i);
        int n = s.length();
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < n) {
                if (s.charAt(j) == c) {
                    if (j + 1 < n && s.charAt(j + 1) == c) j += 2; // doubled quote is an escape
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

    private static boolean isNameStart(char c) { return Character.isLetter(c) || c == '_'; }

    private static boolean isNamePart(char c) { return Character.isLetterOrDigit(c) || c == '_'; }
}
