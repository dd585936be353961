package dev.manaknight.lsp;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/** The outline of a file: routes (`GET /users/:id`), types and their fields, enums, functions, constants, queries, tests. */
final class Symbols {
    private Symbols() {}

    static List<DocumentSymbol> of(SourceUnit unit) {
        var out = new ArrayList<DocumentSymbol>();
        for (Decl d : unit.decls()) {
            switch (d) {
                case Decl.TypeDecl t -> {
                    var s = symbol(t.name().name(), SymbolKind.Struct, t.span(), t.name().span());
                    var fields = new ArrayList<DocumentSymbol>();
                    for (Decl.Field f : t.fields())
                        fields.add(symbol(f.name().name(), SymbolKind.Field, f.span(), f.name().span(), f.type().toString()));
                    s.setChildren(fields);
                    out.add(s);
                }
                case Decl.EnumDecl e -> {
                    var s = symbol(e.name().name(), SymbolKind.Enum, e.span(), e.name().span());
                    var variants = new ArrayList<DocumentSymbol>();
                    for (Decl.Variant v : e.variants())
                        variants.add(symbol(v.name().name(), SymbolKind.EnumMember, v.span(), v.name().span()));
                    s.setChildren(variants);
                    out.add(s);
                }
                case Decl.FnDecl f -> out.add(symbol(f.name().name(), SymbolKind.Function, f.span(), f.name().span(),
                        f.result() == null ? "Unit" : f.result().toString()));
                case Decl.ConstDecl c -> out.add(symbol(c.name().name(), SymbolKind.Constant, c.span(), c.name().span()));
                case Decl.DbDecl db -> {
                    var s = symbol("db", SymbolKind.Module, db.span(), new Span(db.span().file(), db.span().start(),
                            Math.min(db.span().end(), db.span().start() + 2)));
                    var queries = new ArrayList<DocumentSymbol>();
                    for (Decl.Query q : db.queries())
                        queries.add(symbol(q.name().name(), SymbolKind.Function, q.span(), q.name().span(),
                                String.valueOf(q.result())));
                    s.setChildren(queries);
                    out.add(s);
                }
                case Decl.ConfigDecl c -> {
                    var s = symbol("config", SymbolKind.Module, c.span(), new Span(c.span().file(), c.span().start(),
                            Math.min(c.span().end(), c.span().start() + 6)));
                    var keys = new ArrayList<DocumentSymbol>();
                    for (Decl.Setting k : c.settings())
                        keys.add(symbol(k.name().name(), SymbolKind.Property, k.span(), k.name().span(), k.type().toString()));
                    s.setChildren(keys);
                    out.add(s);
                }
                case Decl.ApiDecl a -> out.add(symbol(a.methodName().name() + " " + a.pathText(), SymbolKind.Method, a.span(),
                        a.methodName().span().to(a.pathSpan())));
                case Decl.TestDecl t -> out.add(symbol("test \"" + t.name() + "\"", SymbolKind.Event, t.span(),
                        new Span(t.span().file(), t.span().start(), Math.min(t.span().end(), t.span().start() + 4))));
            }
        }
        return out;
    }

    private static DocumentSymbol symbol(String name, SymbolKind kind, Span range, Span selection) {
        return symbol(name, kind, range, selection, null);
    }

    private static DocumentSymbol symbol(String name, SymbolKind kind, Span range, Span selection, String detail) {
        var s = new DocumentSymbol(name, kind, Positions.range(range), Positions.range(selection));
        if (detail != null) s.setDetail(detail);
        return s;
    }
}
