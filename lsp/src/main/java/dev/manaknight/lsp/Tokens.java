package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.Lexer;
import dev.manaknight.lang.syntax.Token;
import dev.manaknight.lang.syntax.TokenKind;
import java.util.ArrayList;
import java.util.List;

/** The compiler's tokens around an offset: which name the cursor is on, and what is before it. */
final class Tokens {
    private Tokens() {}

    /** The name at `offset` (the cursor inside it or just after it) and the two tokens before it. */
    record NameAt(Token name, Token before, Token beforeThat) {
        /** `db.name`, `log.name`, `x.name`: the name after a `.`, or null when not after one. */
        Token receiver() {
            return before != null && before.kind() == TokenKind.DOT ? beforeThat : null;
        }
    }

    static NameAt nameAt(SourceFile file, int offset) {
        var lexer = new Lexer(file, new ArrayList<>());
        List<Token> seen = new ArrayList<>();
        for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) {
            if (t.span().start() > offset) break;
            seen.add(t);
            if (t.span().end() >= offset && (t.kind() == TokenKind.IDENT || t.kind().isKeyword())) {
                int i = seen.size() - 1;
                return new NameAt(t, i >= 1 ? seen.get(i - 1) : null, i >= 2 ? seen.get(i - 2) : null);
            }
        }
        return null;
    }
}
