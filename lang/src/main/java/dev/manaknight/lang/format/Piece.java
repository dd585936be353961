package dev.manaknight.lang.format;

import dev.manaknight.lang.syntax.TokenKind;

/**
 * One unit the formatter lays out: a token, or an `api` path (scanned from the text, not
 * tokenized, so it is kept whole). Its text is written exactly as it was read.
 */
record Piece(TokenKind kind, String text, boolean path) {

    static Piece token(TokenKind kind, String text) {
        return new Piece(kind, text, false);
    }

    /** An `api` path such as `/users/:id`; it is spaced as a name is. */
    static Piece path(String text) {
        return new Piece(TokenKind.IDENT, text, true);
    }

    boolean is(TokenKind k) {
        return kind == k && !path;
    }

    boolean opens() {
        return !path && (kind == TokenKind.LPAREN || kind == TokenKind.LBRACKET || kind == TokenKind.LBRACE);
    }

    boolean closes() {
        return !path && (kind == TokenKind.RPAREN || kind == TokenKind.RBRACKET || kind == TokenKind.RBRACE);
    }
}
