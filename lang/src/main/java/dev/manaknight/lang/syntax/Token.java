package dev.manaknight.lang.syntax;

import dev.manaknight.lang.source.Span;

/**
 * One token: its kind, its source text, where it is, and whether a line break separates it from
 * the previous token (statements end at line breaks, so the parser needs to know). The first
 * token of a file counts as starting a line.
 */
public record Token(TokenKind kind, String text, Span span, boolean newlineBefore) {

    /** How a message names this token: "`foo`", "a string", "end of file". */
    public String describe() {
        return switch (kind) {
            case STRING, EOF, ERROR -> kind.describe();
            default -> "`" + text + "`";
        };
    }

    /** An IDENT spelled `word` (a contextual keyword such as `uses` or `status`). */
    public boolean isWord(String word) {
        return kind == TokenKind.IDENT && text.equals(word);
    }

    @Override public String toString() {
        return kind + "(" + text + ")@" + span.start();
    }
}
