package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** `{ stmt* }`: a block's value is its last statement's, when that is an expression. */
public record Block(List<Stmt> stmts, Span span) {
    public Block {
        stmts = List.copyOf(stmts);
    }
}
