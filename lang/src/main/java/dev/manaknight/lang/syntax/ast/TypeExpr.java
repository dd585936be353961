package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import java.util.List;

/** A written type: `Int`, `List<User>`, `Result<User, String>`. */
public record TypeExpr(Ident name, List<TypeExpr> args, Span span) {
    public TypeExpr {
        args = List.copyOf(args);
    }

    @Override public String toString() {
        if (args.isEmpty()) return name.name();
        var sb = new StringBuilder(name.name()).append('<');
        for (int i = 0; i < args.size(); i++) sb.append(i == 0 ? "" : ", ").append(args.get(i));
        return sb.append('>').toString();
    }
}
