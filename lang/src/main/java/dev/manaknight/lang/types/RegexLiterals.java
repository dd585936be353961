package dev.manaknight.lang.types;

import dev.manaknight.lang.regex.PatternError;
import dev.manaknight.lang.regex.Regex;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;

/**
 * The compile-time check of a regular expression: the pattern of `matches`, `find`, `findAll`,
 * `replaceAll` and `captures` must be a string literal, and is compiled here by the same {@link Regex} the
 * VM runs, so a bad pattern is error E0407 with a caret on the offending chars inside the literal
 * (the pattern's offsets mapped back through the literal's escapes).
 */
final class RegexLiterals {
    private RegexLiterals() {}

    /** Reports E0407 when `arg` is no literal or no valid pattern. */
    static void check(BodyChecker body, Expr arg, String method) {
        if (!(arg instanceof Expr.StringLit lit) || lit.constantText() == null) {
            String example = "s." + method + "(\"[0-9]+\"" + (method.equals("replaceAll") ? ", \"#\"" : "") + ")";
            body.error("E0407", "the pattern of `" + method + "` must be a string literal", arg.span(), "not a literal",
                    "write the pattern in the call, e.g. `" + example + "`, so the compiler can check it");
            return;
        }
        String pattern = lit.constantText();
        try {
            Regex.compile(pattern, method.equals("captures"));
        } catch (PatternError e) {
            body.error("E0407", "bad regular expression: " + e.getMessage(), inside(lit, e.start(), e.end()), "here", e.hint());
        }
    }

    /** The source span of the decoded chars `start..end` of a literal without interpolation. */
    static Span inside(Expr.StringLit lit, int start, int end) {
        Span s = lit.span();
        String text = s.file().text();
        if (s.start() >= text.length() || text.charAt(s.start()) != '"') return s;
        int src = s.start() + 1, decoded = 0, from = -1, to = -1;
        int stop = s.end() - 1;
        while (src < stop) {
            if (decoded == start && from < 0) from = src;
            if (decoded == end && to < 0) to = src;
            int next;
            int units = 1;
            if (text.charAt(src) == '\\' && src + 1 < stop) {
                if (text.charAt(src + 1) == 'u') {
                    int close = text.indexOf('}', src);
                    next = close < 0 || close >= stop ? src + 2 : close + 1;
                    try {
                        units = Character.charCount(Integer.parseInt(text.substring(src + 3, next - 1), 16));
                    } catch (RuntimeException ignored) {
                        units = 1;
                    }
                } else next = src + 2;
            } else next = src + 1;
            decoded += units;
            src = next;
        }
        if (from < 0) from = stop;
        if (to < 0 || to <= from) to = Math.max(from + 1, Math.min(stop, to < 0 ? stop : to));
        return new Span(s.file(), from, Math.min(to, s.end()));
    }
}
