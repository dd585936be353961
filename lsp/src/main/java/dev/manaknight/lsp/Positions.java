package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Offsets to LSP positions and back. LSP counts columns in UTF-16 code units by default, as
 * Java strings index, so a column is an offset from the line's start.
 */
final class Positions {
    private Positions() {}

    static Position position(SourceFile file, int offset) {
        int line = file.line(offset);
        return new Position(line - 1, offset - file.lineStart(line));
    }

    static Range range(Span span) {
        return new Range(position(span.file(), span.start()), position(span.file(), span.end()));
    }

    /** The offset of `p` in `file`, clamped to the file and to the end of its line. */
    static int offset(SourceFile file, Position p) {
        if (p.getLine() >= file.lineCount()) return file.text().length();
        int start = file.lineStart(p.getLine() + 1);
        int end = p.getLine() + 1 < file.lineCount() ? file.lineStart(p.getLine() + 2) - 1 : file.text().length();
        return Math.min(start + Math.max(0, p.getCharacter()), end);
    }

    static boolean contains(Span span, int offset) {
        return span.start() <= offset && offset <= span.end();
    }
}
