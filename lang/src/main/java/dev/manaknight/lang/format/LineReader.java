package dev.manaknight.lang.format;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.Lexer;
import dev.manaknight.lang.syntax.Token;
import dev.manaknight.lang.syntax.TokenKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file into {@link Line}s of pieces and comments, with the compiler's own lexer: the
 * text between two tokens holds only blanks, line breaks and `//` comments, so comments are read
 * from those gaps. An `api` path is scanned as the parser scans it, right after the method.
 */
final class LineReader {
    private final String text;
    private final List<Line> lines = new ArrayList<>();
    private List<Piece> pieces = new ArrayList<>();
    private String comment;

    private LineReader(String text) {
        this.text = text;
    }

    /** The lines of `file`, which must have lexed without diagnostics (the caller parsed it first). */
    static List<Line> read(SourceFile file) {
        var diagnostics = new ArrayList<Diagnostic>();
        var lexer = new Lexer(file, diagnostics);
        var reader = new LineReader(file.text());
        int prevEnd = 0;
        Token before = null;
        while (true) {
            Token t = lexer.next();
            reader.gap(prevEnd, t.span().start());
            if (t.kind() == TokenKind.EOF) break;
            reader.pieces.add(Piece.token(t.kind(), t.text()));
            prevEnd = t.span().end();
            // apiDecl -> 'api' METHOD PATH: the parser asks for the path instead of a token here.
            if (before != null && before.kind() == TokenKind.API && t.kind() == TokenKind.IDENT && !t.newlineBefore()) {
                Lexer.Path path = lexer.scanPath();
                if (path.span().end() > path.span().start()) {
                    reader.gap(prevEnd, path.span().start());
                    reader.pieces.add(Piece.path(file.text().substring(path.span().start(), path.span().end())));
                    prevEnd = path.span().end();
                }
            }
            before = t;
        }
        reader.endLine();
        if (!diagnostics.isEmpty()) throw new IllegalArgumentException("lexer diagnostics: " + diagnostics);
        return reader.lines;
    }

    /** Reads the comments and line breaks in `[from, to)`, which holds no token. */
    private void gap(int from, int to) {
        int p = from;
        while (p < to) {
            char c = text.charAt(p);
            if (c == '\n') {
                endLine();
                p++;
            } else if (c == '/' && p + 1 < to && text.charAt(p + 1) == '/') {
                int stop = p;
                while (stop < to && text.charAt(stop) != '\n') stop++;
                comment = text.substring(p, stop).stripTrailing();
                p = stop;
            } else {
                p++;
            }
        }
    }

    private void endLine() {
        lines.add(new Line(pieces, comment));
        pieces = new ArrayList<>();
        comment = null;
    }
}
