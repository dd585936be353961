package dev.manaknight.lang.syntax;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Pattern;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.syntax.ast.Stmt;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks span invariants over a whole tree: every identifier's span spells its name, and every
 * node's span lies inside its parent's. Returns the violations as text.
 */
final class SpanWalker {
    private final List<String> problems = new ArrayList<>();

    static List<String> check(SourceUnit unit) {
        var w = new SpanWalker();
        for (Decl d : unit.decls()) w.decl(d);
        return w.problems;
    }

    private void inside(Span parent, Span child, Object what) {
        if (child.start() < parent.start() || child.end() > parent.end()) {
            problems.add(what + " at " + child + " [" + text(child) + "] is outside its parent [" + text(parent) + "]");
        }
        if (child.end() == child.start()) problems.add(what + " has an empty span at " + child);
    }

    private static String text(Span s) {
        return s.file().text().substring(s.start(), s.end());
    }

    private void ident(Span parent, Ident id) {
        if (!text(id.span()).equals(id.name())) problems.add("ident " + id.name() + " spans [" + text(id.span()) + "]");
        inside(parent, id.span(), "ident " + id.name());
    }

    private void type(Span parent, TypeExpr t) {
        if (t == null) return;
        inside(parent, t.span(), "type " + t);
        ident(t.span(), t.name());
        for (TypeExpr a : t.args()) type(t.span(), a);
    }

    private void decl(Decl d) {
        Span s = d.span();
        switch (d) {
            case Decl.TypeDecl t -> {
                ident(s, t.name());
                for (var f : t.fields()) { inside(s, f.span(), "field"); ident(f.span(), f.name()); type(f.span(), f.type()); }
            }
            case Decl.EnumDecl e -> {
                ident(s, e.name());
                for (var v : e.variants()) {
                    inside(s, v.span(), "variant");
                    ident(v.span(), v.name());
                    for (var f : v.fields()) { inside(v.span(), f.span(), "field"); type(f.span(), f.type()); }
                }
            }
            case Decl.ConstDecl c -> { ident(s, c.name()); type(s, c.type()); expr(s, c.value()); }
            case Decl.FnDecl f -> {
                ident(s, f.name());
                for (var p : f.params()) { inside(s, p.span(), "param"); ident(p.span(), p.name()); type(p.span(), p.type()); }
                type(s, f.result());
                for (var u : f.uses()) ident(s, u);
                block(s, f.body());
            }
            case Decl.DbDecl db -> {
                for (var q : db.queries()) {
                    inside(s, q.span(), "query");
                    ident(q.span(), q.name());
                    type(q.span(), q.result());
                    inside(q.span(), q.sqlSpan(), "sql");
                }
            }
            case Decl.ConfigDecl c -> {
                for (var k : c.settings()) {
                    inside(s, k.span(), "setting");
                    ident(k.span(), k.name());
                    type(k.span(), k.type());
                    if (k.defaultValue() != null) expr(k.span(), k.defaultValue());
                }
            }
            case Decl.ApiDecl a -> {
                ident(s, a.methodName());
                inside(s, a.pathSpan(), "path");
                for (var seg : a.path()) {
                    switch (seg) {
                        case Decl.PathSegment.Literal l -> {
                            inside(a.pathSpan(), l.span(), "segment");
                            if (!text(l.span()).equals(l.text())) problems.add("segment " + l.text());
                        }
                        case Decl.PathSegment.Param p -> ident(a.pathSpan(), p.name());
                    }
                }
                for (var u : a.uses()) ident(s, u);
                for (var i : a.inputs()) {
                    inside(s, i.span(), "input");
                    ident(i.span(), i.name());
                    type(i.span(), i.type());
                    if (i.defaultValue() != null) expr(i.span(), i.defaultValue());
                }
                block(s, a.body());
            }
            case Decl.TestDecl t -> { for (var u : t.uses()) ident(s, u); block(s, t.body()); }
        }
    }

    private void block(Span parent, Block b) {
        inside(parent, b.span(), "block");
        for (Stmt st : b.stmts()) stmt(b.span(), st);
    }

    private void stmt(Span parent, Stmt st) {
        Span s = st.span();
        inside(parent, s, st.getClass().getSimpleName());
        switch (st) {
            case Stmt.Let l -> { ident(s, l.name()); type(s, l.type()); expr(s, l.value()); }
            case Stmt.Assign a -> { ident(s, a.target()); expr(s, a.value()); }
            case Stmt.ExprStmt e -> expr(s, e.expr());
            case Stmt.For f -> { ident(s, f.var()); expr(s, f.iterable()); block(s, f.body()); }
            case Stmt.While w -> { expr(s, w.condition()); block(s, w.body()); }
            case Stmt.Break b -> { }
            case Stmt.Continue c -> { }
            case Stmt.Return r -> { if (r.value() != null) expr(s, r.value()); }
            case Stmt.Expect e -> expr(s, e.condition());
            case Stmt.Respond r -> {
                if (r.keep() != null) inside(s, r.keep(), "keep");
                if (r.status() != null) expr(s, r.status());
                if (r.body() != null) expr(s, r.body());
                for (var h : r.headers()) { inside(s, h.nameSpan(), "header"); expr(s, h.value()); }
            }
        }
    }

    private void expr(Span parent, Expr e) {
        Span s = e.span();
        inside(parent, s, e.getClass().getSimpleName());
        switch (e) {
            case Expr.IntLit x -> { }
            case Expr.DecimalLit x -> { }
            case Expr.FloatLit x -> { }
            case Expr.BoolLit x -> { }
            case Expr.UnitLit x -> { }
            case Expr.StringLit x -> {
                for (var p : x.parts()) if (p instanceof Expr.StringPart.Interp i) expr(s, i.expr());
            }
            case Expr.ListLit x -> x.items().forEach(i -> expr(s, i));
            case Expr.MapLit x -> x.entries().forEach(en -> { expr(s, en.key()); expr(s, en.value()); });
            case Expr.Name x -> ident(s, x.ident());
            case Expr.Field x -> { expr(s, x.target()); ident(s, x.name()); }
            case Expr.Call x -> { ident(s, x.callee()); x.args().forEach(a -> expr(s, a)); }
            case Expr.MethodCall x -> { expr(s, x.target()); ident(s, x.name()); x.args().forEach(a -> expr(s, a)); }
            case Expr.Index x -> { expr(s, x.target()); expr(s, x.index()); }
            case Expr.Unary x -> expr(s, x.operand());
            case Expr.Binary x -> { expr(s, x.left()); expr(s, x.right()); }
            case Expr.If x -> { expr(s, x.condition()); block(s, x.then()); if (x.otherwise() != null) expr(s, x.otherwise()); }
            case Expr.BlockExpr x -> block(s, x.block());
            case Expr.Match x -> {
                expr(s, x.scrutinee());
                for (var a : x.arms()) { inside(s, a.span(), "arm"); pattern(a.span(), a.pattern()); block(a.span(), a.body()); }
            }
            case Expr.Lambda x -> { x.params().forEach(p -> ident(s, p)); expr(s, x.body()); }
            case Expr.RecordLit x -> { ident(s, x.type()); x.fields().forEach(f -> { ident(s, f.name()); expr(s, f.value()); }); }
            case Expr.With x -> { expr(s, x.target()); x.fields().forEach(f -> { ident(s, f.name()); expr(s, f.value()); }); }
            case Expr.Range x -> { expr(s, x.from()); expr(s, x.to()); }
            case Expr.Try x -> expr(s, x.operand());
            case Expr.Request x -> {
                expr(s, x.path());
                if (x.body() != null) expr(s, x.body());
                x.headers().forEach(h -> expr(s, h.value()));
            }
        }
    }

    private void pattern(Span parent, Pattern p) {
        Span s = p.span();
        inside(parent, s, p.getClass().getSimpleName());
        switch (p) {
            case Pattern.Wildcard w -> { }
            case Pattern.None n -> { }
            case Pattern.Binding b -> ident(s, b.name());
            case Pattern.Literal l -> expr(s, l.value());
            case Pattern.Some x -> pattern(s, x.inner());
            case Pattern.Ok x -> pattern(s, x.inner());
            case Pattern.Err x -> pattern(s, x.inner());
            case Pattern.Variant v -> { ident(s, v.enumName()); ident(s, v.variant()); v.args().forEach(a -> pattern(s, a)); }
            case Pattern.Record r -> {
                ident(s, r.type());
                r.fields().forEach(f -> { ident(s, f.field()); pattern(s, f.pattern()); });
            }
        }
    }
}
