package dev.manaknight.lsp;

import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The app's named declarations — types, enums, functions, constants and `db` queries — from its
 * parsed files (a file with syntax errors still gives what could be parsed).
 */
final class Declarations {
    private Declarations() {}

    enum Kind { TYPE, ENUM, FUNCTION, CONSTANT, QUERY }

    record Named(Kind kind, Ident name, Decl decl, Decl.Query query) {
        /** The declaration's span: the query's for a query, else the whole declaration's. */
        dev.manaknight.lang.source.Span span() {
            return query != null ? query.span() : decl.span();
        }
    }

    static List<Named> of(Analysis app) {
        var out = new ArrayList<Named>();
        for (SourceUnit u : app.units().values()) {
            for (Decl d : u.decls()) {
                switch (d) {
                    case Decl.TypeDecl t -> out.add(new Named(Kind.TYPE, t.name(), d, null));
                    case Decl.EnumDecl e -> out.add(new Named(Kind.ENUM, e.name(), d, null));
                    case Decl.FnDecl f -> out.add(new Named(Kind.FUNCTION, f.name(), d, null));
                    case Decl.ConstDecl c -> out.add(new Named(Kind.CONSTANT, c.name(), d, null));
                    case Decl.DbDecl db -> {
                        for (Decl.Query q : db.queries()) out.add(new Named(Kind.QUERY, q.name(), d, q));
                    }
                    case Decl.ConfigDecl c -> {} // config keys are read as `config.name`, not declared names
                    case Decl.ApiDecl a -> {}
                    case Decl.TestDecl t -> {}
                }
            }
        }
        return out;
    }

    /** The declaration `name` refers to: a query after `db.`, otherwise a type, enum, function or constant. */
    static Named find(Analysis app, String name, boolean afterDb) {
        for (Named n : of(app)) {
            if (!n.name().name().equals(name)) continue;
            if (afterDb == (n.kind() == Kind.QUERY)) return n;
        }
        return null;
    }
}
