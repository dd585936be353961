package dev.manaknight.lang.syntax.ast;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.model.HttpMethod;
import java.util.List;

/** A top-level declaration. There is no top-level `let`/`var`: no global state is expressible. */
public sealed interface Decl {
    Span span();

    /** `type User { id: Int, name: String }` */
    record TypeDecl(Ident name, List<Field> fields, Span span) implements Decl {
        public TypeDecl { fields = List.copyOf(fields); }
    }

    /** `enum Role { admin, suspended(reason: String) }` */
    record EnumDecl(Ident name, List<Variant> variants, Span span) implements Decl {
        public EnumDecl { variants = List.copyOf(variants); }
    }

    /** `const PAGE_SIZE = 50` (or `const PAGE_SIZE: Int = 50`) */
    record ConstDecl(Ident name, TypeExpr type, Expr value, Span span) implements Decl {}

    /** `fn name(p: T, …): R { uses { … } body }` ; `type` may be null for Unit. */
    record FnDecl(Ident name, List<Param> params, TypeExpr result, List<Ident> uses, Block body, Span span)
            implements Decl {
        public FnDecl { params = List.copyOf(params); uses = List.copyOf(uses); }
    }

    /** `db { query* }` */
    record DbDecl(List<Query> queries, Span span) implements Decl {
        public DbDecl { queries = List.copyOf(queries); }
    }

    /** `config { adminKey: Secret, pageSize: Int = 20 }`: the app's configuration, read at start. */
    record ConfigDecl(List<Setting> settings, Span span) implements Decl {
        public ConfigDecl { settings = List.copyOf(settings); }
    }

    /** `name: Type` or `name: Type = default` in a `config` block; `defaultValue` may be null. */
    record Setting(Ident name, TypeExpr type, Expr defaultValue, Span span) {}

    /** `api METHOD /path { uses { … } inputs* body }` */
    record ApiDecl(HttpMethod method, Ident methodName, List<PathSegment> path, Span pathSpan,
                   List<Ident> uses, List<Input> inputs, Block body, Span span) implements Decl {
        public ApiDecl { path = List.copyOf(path); uses = List.copyOf(uses); inputs = List.copyOf(inputs); }

        /** The path as written: `/users/:id`. */
        public String pathText() {
            if (path.isEmpty()) return "/";
            var sb = new StringBuilder();
            for (PathSegment s : path) sb.append('/').append(s);
            return sb.toString();
        }
    }

    /** `test "name" { uses { … } body }` */
    record TestDecl(String name, List<Ident> uses, Block body, Span span) implements Decl {
        public TestDecl { uses = List.copyOf(uses); }
    }

    /** `name: Type` in a record or variant. */
    record Field(Ident name, TypeExpr type, Span span) {}

    /** `name` or `name(field, …)` in an enum. */
    record Variant(Ident name, List<Field> fields, Span span) {
        public Variant { fields = List.copyOf(fields); }
    }

    /** `name: Type` in a function or query signature. */
    record Param(Ident name, TypeExpr type, Span span) {}

    /** `findUser(id: Int): Option<User> = "SELECT …"`; `sqlSpan` covers the string literal. */
    record Query(Ident name, List<Param> params, TypeExpr result, String sql, Span sqlSpan, Span span) {
        public Query { params = List.copyOf(params); }
    }

    /** One path segment: a literal or a `:param`. */
    sealed interface PathSegment {
        record Literal(String text, Span span) implements PathSegment {
            @Override public String toString() { return text; }
        }
        record Param(Ident name) implements PathSegment {
            @Override public String toString() { return ":" + name.name(); }
        }
    }

    /** A declared handler input: `param id: Int`, `query dryRun: Bool = false`, `header k: String`, `body t: T`. */
    record Input(InputKind kind, Ident name, TypeExpr type, Expr defaultValue, Span span) {}

    enum InputKind { PARAM, QUERY, HEADER, BODY, RAW }
}
