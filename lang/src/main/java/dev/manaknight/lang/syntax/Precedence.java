package dev.manaknight.lang.syntax;

/** Binding power of the expression grammar, lowest first: the Pratt table of {@link ExprParser}. */
public enum Precedence {
    NONE,        // not an infix operator; the floor when parsing a whole expression
    OR,          // ||
    AND,         // &&
    EQUALITY,    // == !=
    COMPARISON,  // < <= > >=      non-associative: `a < b < c` is an error
    TERM,        // + -
    FACTOR,      // * / %
    UNARY,       // ! -            prefix
    POSTFIX;     // f(x) .name .name(x) [i] ? with { … }

    /** The precedence of `kind` used as a binary operator, or NONE. */
    public static Precedence infix(TokenKind kind) {
        return switch (kind) {
            case OR_OR -> OR;
            case AND_AND -> AND;
            case EQ_EQ, BANG_EQ -> EQUALITY;
            case LT, LE, GT, GE -> COMPARISON;
            case PLUS, MINUS -> TERM;
            case STAR, SLASH, PERCENT -> FACTOR;
            default -> NONE;
        };
    }

    public boolean isAssociative() {
        return this != COMPARISON;
    }
}
