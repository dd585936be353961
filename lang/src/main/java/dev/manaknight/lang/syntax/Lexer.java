package dev.manaknight.lang.syntax;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Decl.PathSegment;
import dev.manaknight.lang.syntax.ast.Ident;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns source text into tokens on demand. It is pull-based so the parser can ask, right after
 * an `api` method, for a URL path instead of a token ({@link #scanPath}), and so an interpolated
 * `${…}` can be lexed by a second lexer over just that range of the same file.
 */
public final class Lexer {
    private final SourceFile file;
    private final String text;
    private final int end;
    private final List<Diagnostic> diagnostics;
    private int pos;
    private boolean newline;

    /** A lexer over a whole file; it reports into `diagnostics`. */
    public Lexer(SourceFile file, List<Diagnostic> diagnostics) {
        this(file, 0, file.text().length(), diagnostics);
        this.newline = true;
    }

    /** A lexer over `[start, end)` of `file` (the inside of a `${…}`). */
    Lexer(SourceFile file, int start, int end, List<Diagnostic> diagnostics) {
        this.file = file;
        this.text = file.text();
        this.pos = start;
        this.end = end;
        this.diagnostics = diagnostics;
    }

    /** One piece of a string literal: decoded text, or the source range of an interpolation. */
    public sealed interface Segment {
        record Text(String text) implements Segment {}
        record Interp(int start, int end, Span span) implements Segment {}
    }

    /** An `api` path: its segments and the span of the path text. */
    public record Path(List<PathSegment> segments, Span span) {}

    /** The next token; at the end, EOF forever. */
    public Token next() {
        skipTrivia();
        boolean nl = newline;
        newline = false;
        int start = pos;
        if (pos >= end) return token(TokenKind.EOF, start, nl);
        char c = text.charAt(pos);
        if (isIdentStart(c)) return word(start, nl);
        if (isDigit(c)) return number(start, nl);
        if (c == '"') return string(start, nl);
        pos++;
        TokenKind kind = switch (c) {
            case '(' -> TokenKind.LPAREN;
            case ')' -> TokenKind.RPAREN;
            case '[' -> TokenKind.LBRACKET;
            case ']' -> TokenKind.RBRACKET;
            case '{' -> TokenKind.LBRACE;
            case '}' -> TokenKind.RBRACE;
            case ',' -> TokenKind.COMMA;
            case ':' -> TokenKind.COLON;
            case ';' -> TokenKind.SEMICOLON;
            case '?' -> TokenKind.QUESTION;
            case '+' -> TokenKind.PLUS;
            case '*' -> TokenKind.STAR;
            case '/' -> TokenKind.SLASH;
            case '%' -> TokenKind.PERCENT;
            case '.' -> eat('.') ? TokenKind.DOT_DOT : TokenKind.DOT;
            case '-' -> eat('>') ? TokenKind.ARROW : TokenKind.MINUS;
            case '=' -> eat('=') ? TokenKind.EQ_EQ : TokenKind.EQ;
            case '!' -> eat('=') ? TokenKind.BANG_EQ : TokenKind.BANG;
            case '<' -> eat('=') ? TokenKind.LE : TokenKind.LT;
            case '>' -> eat('=') ? TokenKind.GE : TokenKind.GT;
            case '&' -> eat('&') ? TokenKind.AND_AND : null;
            case '|' -> eat('|') ? TokenKind.OR_OR : null;
            default -> null;
        };
        if (kind != null) return token(kind, start, nl);
        return unexpected(start, nl);
    }

    private Token unexpected(int start, boolean nl) {
        int cp = text.codePointAt(start);
        pos = start + Character.charCount(cp);
        String shown = new String(Character.toChars(cp));
        var d = Diagnostic.error(ErrorCode.UNEXPECTED_CHAR, "unexpected character `" + shown + "`",
                file.span(start, pos), "no token starts with this character");
        d = switch (cp) {
            case '&' -> d.withHint("logical and is written `&&`");
            case '|' -> d.withHint("logical or is written `||`");
            case '\'' -> d.withHint("strings are written in double quotes: \"…\"");
            case '#' -> d.withHint("comments start with `//`");
            default -> d;
        };
        diagnostics.add(d);
        return token(TokenKind.ERROR, start, nl);
    }

    private void skipTrivia() {
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '\n') {
                newline = true;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && pos + 1 < end && text.charAt(pos + 1) == '/') {
                while (pos < end && text.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private Token word(int start, boolean nl) {
        while (pos < end && isIdentPart(text.charAt(pos))) pos++;
        String w = text.substring(start, pos);
        return token(w.equals("_") ? TokenKind.UNDERSCORE : TokenKind.word(w), start, nl);
    }

    // number -> digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)?   where digits -> [0-9] [0-9_]*
    private Token number(int start, boolean nl) {
        TokenKind kind = TokenKind.INT;
        digits();
        if (pos + 1 < end && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            pos++;
            digits();
            kind = TokenKind.DECIMAL;
        }
        if (pos < end && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < end && (text.charAt(p) == '+' || text.charAt(p) == '-')) p++;
            if (p < end && isDigit(text.charAt(p))) {
                pos = p;
                digits();
                kind = TokenKind.FLOAT;
            }
        }
        boolean trailingUnderscore = text.charAt(pos - 1) == '_';
        if (pos < end && isIdentPart(text.charAt(pos)) || trailingUnderscore) {
            while (pos < end && isIdentPart(text.charAt(pos))) pos++;
            diagnostics.add(Diagnostic.error(ErrorCode.BAD_NUMBER,
                    "invalid number `" + text.substring(start, pos) + "`", file.span(start, pos),
                    "not a number").withHint("numbers look like `42`, `1_000`, `12.50` or `1.5e3`"));
            return token(TokenKind.ERROR, start, nl);
        }
        return token(kind, start, nl);
    }

    private void digits() {
        while (pos < end && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
    }

    private Token string(int start, boolean nl) {
        int close = scanString(start);
        if (close >= 0) {
            pos = close;
            return token(TokenKind.STRING, start, nl);
        }
        pos = start;
        while (pos < end && text.charAt(pos) != '\n') pos++;
        diagnostics.add(Diagnostic.error(ErrorCode.UNTERMINATED_STRING, "unterminated string",
                        file.span(start, start + 1), "this string has no closing `\"` on its line")
                .withHint("a string ends on the line it starts on; write `\\n` for a line break"));
        return token(TokenKind.ERROR, start, nl);
    }

    /** From an opening quote: the offset after the closing quote, or -1 if the line ends first. */
    private int scanString(int p) {
        return skipNested(p + 1, true);
    }

    /** From just inside `${`: the offset after the matching `}`, or -1. Braces and strings nest. */
    private int scanInterpolation(int p) {
        return skipNested(p, false);
    }

    /**
     * Skips a string body (`inString`) or an interpolation body, with any nesting of strings in
     * interpolations in strings. Iterative, with an explicit stack of the open interpolations'
     * brace depths, so no input can overflow the Java stack. Returns the offset after the
     * construct, or -1 if the line ends first.
     */
    private int skipNested(int p, boolean inString) {
        boolean startedInString = inString;
        int[] braces = new int[8];
        int top = -1;
        if (!inString) braces[++top] = 1;
        while (p < end) {
            char c = text.charAt(p);
            if (c == '\n') return -1;
            if (inString) {
                if (c == '"') {
                    p++;
                    if (top < 0) return p;
                    inString = false;
                } else if (c == '\\') {
                    p += (p + 1 < end && text.charAt(p + 1) != '\n') ? 2 : 1;
                } else if (c == '$' && p + 1 < end && text.charAt(p + 1) == '{') {
                    if (++top == braces.length) braces = java.util.Arrays.copyOf(braces, top * 2);
                    braces[top] = 1;
                    inString = false;
                    p += 2;
                } else {
                    p++;
                }
            } else {
                p++;
                if (c == '"') {
                    inString = true;
                } else if (c == '{') {
                    braces[top]++;
                } else if (c == '}' && --braces[top] == 0) {
                    top--;
                    if (top < 0 && !startedInString) return p;
                    inString = true;
                }
            }
        }
        return -1;
    }

    /**
     * Splits a STRING token into decoded text and interpolations, reporting bad escapes.
     * Adjacent text is merged; an empty string yields no segments.
     */
    public List<Segment> segments(Token string) {
        var out = new ArrayList<Segment>();
        var sb = new StringBuilder();
        int p = string.span().start() + 1;
        int stop = string.span().end() - 1;
        while (p < stop) {
            char c = text.charAt(p);
            if (c == '\\') {
                p = escape(p, sb);
            } else if (c == '$' && p + 1 < stop && text.charAt(p + 1) == '{') {
                int close = scanInterpolation(p + 2);
                if (!sb.isEmpty()) out.add(new Segment.Text(sb.toString()));
                sb.setLength(0);
                out.add(new Segment.Interp(p + 2, close - 1, file.span(p, close)));
                p = close;
            } else {
                sb.append(c);
                p++;
            }
        }
        if (!sb.isEmpty()) out.add(new Segment.Text(sb.toString()));
        return out;
    }

    // escape -> '\' ( 'n' | 't' | 'r' | '"' | '\' | '$' | 'u{' hex{1,6} '}' )
    private int escape(int p, StringBuilder sb) {
        char e = text.charAt(p + 1);
        switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '$' -> sb.append('$');
            case 'u' -> {
                return unicodeEscape(p, sb);
            }
            default -> badEscape(p, p + 2, "unknown escape `\\" + e + "`");
        }
        return p + 2;
    }

    private int unicodeEscape(int p, StringBuilder sb) {
        int q = p + 2;
        if (q >= end || text.charAt(q) != '{') {
            badEscape(p, p + 2, "`\\u` needs braces: `\\u{1F600}`");
            return p + 2;
        }
        int digitsStart = q + 1;
        int r = digitsStart;
        while (r < end && r - digitsStart < 7 && Character.digit(text.charAt(r), 16) >= 0) r++;
        if (r >= end || text.charAt(r) != '}' || r == digitsStart || r - digitsStart > 6) {
            int stopAt = r < end && text.charAt(r) == '}' ? r + 1 : r;
            badEscape(p, stopAt, "`\\u{…}` takes 1 to 6 hex digits");
            return Math.max(stopAt, p + 2);
        }
        int cp = Integer.parseInt(text.substring(digitsStart, r), 16);
        if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            badEscape(p, r + 1, "`\\u{" + text.substring(digitsStart, r) + "}` is not a Unicode scalar value");
        } else {
            sb.appendCodePoint(cp);
        }
        return r + 1;
    }

    private void badEscape(int start, int stop, String title) {
        diagnostics.add(Diagnostic.error(ErrorCode.BAD_ESCAPE, title, file.span(start, stop), "invalid escape")
                .withHint("the escapes are \\n \\t \\r \\\" \\\\ \\$ and \\u{hex}"));
    }

    /**
     * Scans a path (`/users/:id`) from the current position, which must be right after the
     * method token: the parser calls this instead of {@link #next} there.
     */
    public Path scanPath() {
        while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
        int start = pos;
        while (pos < end && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != '{') pos++;
        // `/users/{id}`: swallow the braces so the mistake is reported once, as a path error.
        if (pos < end && text.charAt(pos) == '{' && pos > start && text.charAt(pos - 1) == '/') {
            int close = text.indexOf('}', pos);
            int lineEnd = text.indexOf('\n', pos);
            if (close > 0 && close < end && (lineEnd < 0 || close < lineEnd) && close > pos + 1
                    && text.substring(pos + 1, close).chars().allMatch(Lexer::isIdentPartInt)) {
                pos = close + 1;
            }
        }
        Span span = file.span(start, pos);
        if (pos == start) {
            pathError(span, "expected a path after the method", "expected a path like `/users/:id` here", null);
            return new Path(List.of(), span);
        }
        var segments = new ArrayList<PathSegment>();
        int i = start;
        if (text.charAt(i) == '/') {
            i++;
        } else {
            pathError(file.span(start, start + 1), "a path starts with `/`", "expected `/` here",
                    "write the path as `/" + text.substring(start, pos) + "`");
        }
        if (i == pos && text.charAt(start) == '/') return new Path(List.of(), span);
        while (true) {
            int segStart = i;
            while (i < pos && text.charAt(i) != '/') i++;
            segment(segStart, i, segments);
            if (i >= pos) break;
            i++;
            if (i == pos) {
                pathError(file.span(i - 1, i), "a path does not end with `/`", "remove this `/`", null);
                break;
            }
        }
        return new Path(segments, span);
    }

    private void segment(int start, int stop, List<PathSegment> out) {
        if (start == stop) {
            pathError(file.span(start, start + 1), "empty path segment", "two `/` in a row", "remove one `/`");
            return;
        }
        if (text.charAt(start) == '{') {
            String name = text.substring(start + 1, stop - 1);
            pathError(file.span(start, stop), "path parameters are written `:" + name + "`", "not a path segment",
                    "write `:" + name + "`");
            return;
        }
        if (text.charAt(start) == ':') {
            String name = text.substring(start + 1, stop);
            if (name.isEmpty() || !isIdentStart(name.charAt(0)) || !name.chars().allMatch(Lexer::isIdentPartInt)) {
                pathError(file.span(start, stop), "invalid path parameter `" + text.substring(start, stop) + "`",
                        "not a parameter name", "a parameter is `:` followed by a name, like `:id`");
                return;
            }
            out.add(new PathSegment.Param(new Ident(name, file.span(start + 1, stop))));
            return;
        }
        for (int i = start; i < stop; i++) {
            char c = text.charAt(i);
            if (!isPathChar(c)) {
                String hint = switch (c) {
                    case '?' -> "query parameters are declared in the body: `query name: Type`";
                    case ':' -> "a parameter takes a whole segment: `/:id`";
                    default -> "path segments use letters, digits, `-`, `_`, `.` and `~`";
                };
                int cpEnd = i + Character.charCount(text.codePointAt(i));
                pathError(file.span(i, cpEnd), "`" + text.substring(i, cpEnd) + "` is not allowed in a path",
                        "not allowed here", hint);
                return;
            }
        }
        out.add(new PathSegment.Literal(text.substring(start, stop), file.span(start, stop)));
    }

    private void pathError(Span span, String title, String label, String hint) {
        var d = Diagnostic.error(ErrorCode.BAD_PATH, title, span, label);
        diagnostics.add(hint == null ? d : d.withHint(hint));
    }

    private Token token(TokenKind kind, int start, boolean nl) {
        return new Token(kind, text.substring(start, pos), file.span(start, pos), nl);
    }

    private boolean eat(char c) {
        if (pos < end && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private static boolean isPathChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '~');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isIdentPartInt(int c) {
        return c < 128 && isIdentPart((char) c);
    }
}
