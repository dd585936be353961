package dev.manaknight.lang.format;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.syntax.TokenKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where one line's pieces get a space between them. The rule reads the pieces only, never the
 * original spacing, which is what makes formatting idempotent. Two readings need context: a `-`
 * is unary unless a value ends just before it, and a `<` after a capitalised name whose `>`
 * closes over names and commas only is a type's argument list (`List<User>`), written tight.
 */
final class Spacing {
    private Spacing() {}

    /** Tokens a value can end with: a `-` after one of these is binary. */
    private static final Set<TokenKind> VALUE_END = EnumSet.of(IDENT, INT, DECIMAL, FLOAT, STRING, TRUE, FALSE,
            RPAREN, RBRACKET, RBRACE, QUESTION, UNDERSCORE);
    /** Never a space before these. */
    private static final Set<TokenKind> TIGHT_BEFORE = EnumSet.of(COMMA, SEMICOLON, COLON, RPAREN, RBRACKET, DOT,
            DOT_DOT, QUESTION);
    /** Never a space after these. */
    private static final Set<TokenKind> TIGHT_AFTER = EnumSet.of(LPAREN, LBRACKET, DOT, DOT_DOT);
    /** A call's or an index's bracket follows these without a space. */
    private static final Set<TokenKind> CALLEE_END = EnumSet.of(IDENT, RPAREN, RBRACKET, QUESTION);

    /** For each piece but the first, whether a space goes before it. */
    static boolean[] spaces(List<Piece> line) {
        int n = line.size();
        boolean[] generic = typeArgumentBrackets(line);
        boolean[] unary = new boolean[n];
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            Piece c = line.get(i);
            Piece p = i > 0 ? line.get(i - 1) : null;
            unary[i] = c.is(BANG) || c.is(MINUS) && (p == null || p.path() || !VALUE_END.contains(p.kind()));
            // A member name may be a keyword (`m.with(k, v)`): after `.` it calls like a name.
            boolean member = i > 1 && line.get(i - 2).is(DOT);
            if (i > 0) out[i] = space(p, c, unary[i - 1], generic[i - 1], generic[i], member);
        }
        return out;
    }

    private static boolean space(Piece p, Piece c, boolean prevUnary, boolean prevGeneric, boolean curGeneric,
                                 boolean prevMember) {
        if (c.path() || p.path()) return true;
        TokenKind a = p.kind(), b = c.kind();
        if (curGeneric || prevGeneric && a == LT) return false;
        if (TIGHT_BEFORE.contains(b) || TIGHT_AFTER.contains(a) || prevUnary) return false;
        if (b == RBRACE) return a != LBRACE;
        if (b == LPAREN || b == LBRACKET) return !(CALLEE_END.contains(a) || prevMember || prevGeneric && b == LPAREN);
        return true;
    }

    /** Whether the line's last piece closes a written type's arguments (`List<User>`), not a comparison. */
    static boolean endsWithTypeArguments(List<Piece> line) {
        return typeArgumentBrackets(line)[line.size() - 1];
    }

    /** Marks each `<` and `>` that brackets a written type's arguments. */
    private static boolean[] typeArgumentBrackets(List<Piece> line) {
        boolean[] out = new boolean[line.size()];
        for (int i = 1; i < line.size(); i++) {
            if (!line.get(i).is(LT) || out[i]) continue;
            Piece name = line.get(i - 1);
            if (!name.is(IDENT) || !Character.isUpperCase(name.text().charAt(0))) continue;
            int close = closingAngle(line, i);
            if (close < 0) continue;
            for (int j = i; j <= close; j++) if (line.get(j).is(LT) || line.get(j).is(GT)) out[j] = true;
        }
        return out;
    }

    /** The index of the `>` that closes the `<` at `open` over names, commas and nested lists only, or -1. */
    private static int closingAngle(List<Piece> line, int open) {
        int depth = 0;
        for (int j = open; j < line.size(); j++) {
            Piece t = line.get(j);
            if (t.is(LT)) depth++;
            else if (t.is(GT)) {
                if (--depth == 0) return j;
            } else if (!t.is(IDENT) && !t.is(COMMA)) {
                return -1;
            }
        }
        return -1;
    }
}
