package dev.manaknight.lang.format;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ParseResult;
import dev.manaknight.lang.syntax.Parser;
import dev.manaknight.lang.syntax.TokenKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * `manaknight fmt`'s layout: the one way a `.mnk` file is written. Line breaks end statements in
 * this language, so every line that holds code or a comment stays a line of its own; the
 * formatter sets its indentation (two spaces per open bracket, four more for a continued
 * expression), the spacing inside it ({@link Spacing}), at most one blank line in a row (none
 * at the start or end of a file or of a bracket), and one `\n` at the end. Comments are kept
 * word for word. See format.md.
 */
public final class Formatter {
    private Formatter() {}

    /** Spaces per indentation level. */
    static final int INDENT = 2;
    /** Extra levels for a line that continues the expression of the line before it. */
    static final int CONTINUATION = 2;

    /** A line ending in one of these continues on the next line. */
    private static final Set<TokenKind> CONTINUES_AFTER = EnumSet.of(EQ, EQ_EQ, BANG_EQ, LT, LE, GT, GE, PLUS,
            MINUS, STAR, SLASH, PERCENT, AND_AND, OR_OR, ARROW, COLON, DOT);
    /** A line starting with one of these continues the one before it (as the parser reads it). */
    private static final Set<TokenKind> CONTINUES_BEFORE = EnumSet.of(DOT, AND_AND, OR_OR);

    /**
     * `file` in the canonical layout. A file with syntax errors is not formatted: the parser's
     * diagnostics come back as the exception.
     */
    public static String format(SourceFile file) throws CompileException {
        ParseResult parsed = Parser.parse(file);
        if (!parsed.ok()) throw new CompileException(parsed.diagnostics());
        List<Line> lines = LineReader.read(file);
        String out = print(lines);
        List<Line> again = LineReader.read(new SourceFile(file.name(), out));
        if (!nonBlank(again).equals(nonBlank(lines))) {
            // The layout only moves blanks; anything else would be a formatter bug, never written out.
            throw new IllegalStateException(file.name() + ": formatting would change the tokens or comments");
        }
        return out;
    }

    /** Whether `file` is already in the canonical layout. */
    public static boolean isFormatted(SourceFile file) throws CompileException {
        return format(file).equals(file.text());
    }

    private static List<Line> nonBlank(List<Line> lines) {
        return lines.stream().filter(l -> !l.blank()).toList();
    }

    private static String print(List<Line> lines) {
        var out = new ArrayList<Printed>();
        // The indentation (in levels) of the line each open bracket is on, innermost on top.
        Deque<Integer> open = new ArrayDeque<>();
        // Blank and comment-only lines since the last code line: placed once the next code line is known.
        var pending = new ArrayList<Line>();
        Line previous = null;
        for (Line line : lines) {
            if (line.blank() && !pending.isEmpty() && pending.getLast().blank()) continue;
            if (line.blank() || line.commentOnly()) {
                pending.add(line);
                continue;
            }
            boolean closer = line.first().closes();
            int level = closer ? open.isEmpty() ? 0 : open.peek()
                    : (open.isEmpty() ? 0 : open.peek() + 1) + (continues(previous, line) ? CONTINUATION : 0);
            if (closer) while (!pending.isEmpty() && pending.getLast().blank()) pending.removeLast();
            // A comment just before a closing bracket belongs to what the bracket closes.
            flush(out, pending, previous, closer ? level + 1 : level);
            out.add(new Printed(code(level, line), line.comment()));
            for (Piece p : line.pieces()) {
                if (p.opens()) open.push(level);
                else if (p.closes() && !open.isEmpty()) open.pop();
            }
            previous = line;
        }
        while (!pending.isEmpty() && pending.getLast().blank()) pending.removeLast();
        flush(out, pending, previous, open.isEmpty() ? 0 : open.peek() + 1);
        return Printed.join(out);
    }

    /** Adds the pending blank and comment lines; no blank at the start or just inside an open bracket. */
    private static void flush(List<Printed> out, List<Line> pending, Line previous, int level) {
        boolean blankAllowed = previous != null ? !previous.last().opens() : !out.isEmpty();
        for (Line l : pending) {
            if (!l.blank()) {
                out.add(new Printed(" ".repeat(level * INDENT) + l.comment(), null));
                blankAllowed = true;
            } else if (blankAllowed) {
                out.add(Printed.BLANK);
            }
        }
        pending.clear();
    }

    private static boolean continues(Line previous, Line line) {
        if (previous == null) return false;
        Piece last = previous.last();
        return !last.path() && CONTINUES_AFTER.contains(last.kind()) && !Spacing.endsWithTypeArguments(previous.pieces())
                || !line.first().path() && CONTINUES_BEFORE.contains(line.first().kind())
                || startsHeaders(line);
    }

    /** `headers { … }` on a line of its own belongs to the `respond` or `request` before it (the parser reads it so). */
    private static boolean startsHeaders(Line line) {
        var p = line.pieces();
        return p.size() >= 2 && p.get(0).is(TokenKind.IDENT) && p.get(0).text().equals("headers") && p.get(1).is(TokenKind.LBRACE);
    }

    /** The line's code, indented and spaced, without its comment. */
    private static String code(int level, Line line) {
        var out = new StringBuilder().repeat(' ', level * INDENT);
        boolean[] spaces = Spacing.spaces(line.pieces());
        for (int i = 0; i < line.pieces().size(); i++) {
            if (spaces[i]) out.append(' ');
            out.append(line.pieces().get(i).text());
        }
        return out.toString();
    }
}
