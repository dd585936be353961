package dev.manaknight.lang.syntax;

import static dev.manaknight.lang.syntax.TokenKind.*;

import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import java.util.ArrayList;
import java.util.List;

/** Written types: `Int`, `List<User>`, `Result<User, String>`. */
final class TypeParser {
    private TypeParser() {}

    // type -> NAME ('<' type (',' type)* '>')?
    static TypeExpr type(Cursor in) {
        in.enter();
        try {
            Ident name = in.ident("a type");
            List<TypeExpr> args = new ArrayList<>();
            if (in.at(LT) && !in.peek().newlineBefore()) {
                Token open = in.advance();
                do {
                    args.add(type(in));
                } while (in.eat(COMMA));
                if (!in.eat(GT)) throw in.unclosed(open, GT, true);
            }
            return new TypeExpr(name, args, in.spanFrom(name.span().start()));
        } finally {
            in.exit();
        }
    }
}
