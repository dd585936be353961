package dev.manaknight.lang.syntax;

import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Pattern;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.syntax.ast.Stmt;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints the AST as compact s-expressions, the expected values of the parser tests. */
final class AstPrinter {
    private AstPrinter() {}

    static String unit(SourceUnit unit) {
        return join(unit.decls(), AstPrinter::decl, "\n");
    }

    static String decl(Decl d) {
        return switch (d) {
            case Decl.TypeDecl t -> "(type " + t.name() + sp(t.fields(), AstPrinter::field) + ")";
            case Decl.EnumDecl e -> "(enum " + e.name() + sp(e.variants(), v -> v.fields().isEmpty()
                    ? v.name().name() : "(" + v.name() + sp(v.fields(), AstPrinter::field) + ")") + ")";
            case Decl.ConstDecl c -> "(const " + c.name() + opt(c.type()) + " " + expr(c.value()) + ")";
            case Decl.FnDecl f -> "(fn " + f.name() + " (" + join(f.params(), AstPrinter::param, " ") + ")"
                    + opt(f.result()) + uses(f.uses()) + " " + block(f.body()) + ")";
            case Decl.DbDecl db -> "(db" + sp(db.queries(), q -> "(" + q.name() + " ("
                    + join(q.params(), AstPrinter::param, " ") + ") " + q.result() + " " + quote(q.sql()) + ")") + ")";
            case Decl.ConfigDecl c -> "(config" + sp(c.settings(), s -> "(" + s.name() + " " + s.type()
                    + (s.defaultValue() == null ? "" : " " + expr(s.defaultValue())) + ")") + ")";
            case Decl.ApiDecl a -> "(api " + a.method() + " " + a.pathText() + uses(a.uses())
                    + sp(a.inputs(), AstPrinter::input) + " " + block(a.body()) + ")";
            case Decl.TestDecl t -> "(test " + quote(t.name()) + uses(t.uses()) + " " + block(t.body()) + ")";
        };
    }

    private static String input(Decl.Input i) {
        return "(" + i.kind().name().toLowerCase() + " " + i.name() + " " + i.type()
                + (i.defaultValue() == null ? "" : " " + expr(i.defaultValue())) + ")";
    }

    private static String uses(List<Ident> uses) {
        return uses.isEmpty() ? "" : " (uses " + join(uses, Ident::name, " ") + ")";
    }

    private static String field(Decl.Field f) {
        return "(" + f.name() + " " + f.type() + ")";
    }

    private static String param(Decl.Param p) {
        return "(" + p.name() + " " + p.type() + ")";
    }

    static String block(Block b) {
        return "{" + join(b.stmts(), AstPrinter::stmt, "; ") + "}";
    }

    static String stmt(Stmt s) {
        return switch (s) {
            case Stmt.Let l -> "(" + (l.mutable() ? "var " : "let ") + l.name() + opt(l.type()) + " "
                    + expr(l.value()) + ")";
            case Stmt.Assign a -> "(= " + a.target() + " " + expr(a.value()) + ")";
            case Stmt.ExprStmt e -> expr(e.expr());
            case Stmt.For f -> "(for " + f.var() + " " + expr(f.iterable()) + " " + block(f.body()) + ")";
            case Stmt.While w -> "(while " + expr(w.condition()) + " " + block(w.body()) + ")";
            case Stmt.Break b -> "(break)";
            case Stmt.Continue c -> "(continue)";
            case Stmt.Return r -> r.value() == null ? "(return)" : "(return " + expr(r.value()) + ")";
            case Stmt.Expect e -> "(expect " + expr(e.condition()) + ")";
            case Stmt.Respond r -> "(respond" + (r.keep() == null ? "" : " keep")
                    + (r.status() == null ? "" : " (status " + expr(r.status()) + ")")
                    + switch (r.bodyKind()) {
                        case NONE -> "";
                        case JSON -> " (json " + expr(r.body()) + ")";
                        case TEXT -> " (text " + expr(r.body()) + ")";
                    }
                    + (r.headers().isEmpty() ? "" : " (headers" + sp(r.headers(),
                            h -> "(" + quote(h.name()) + " " + expr(h.value()) + ")") + ")") + ")";
        };
    }

    static String expr(Expr e) {
        return switch (e) {
            case Expr.IntLit i -> Long.toString(i.value());
            case Expr.DecimalLit d -> d.value().toPlainString() + "d";
            case Expr.FloatLit f -> f.value() + "f";
            case Expr.BoolLit b -> Boolean.toString(b.value());
            case Expr.UnitLit u -> "()";
            case Expr.StringLit s -> s.constantText() != null ? quote(s.constantText())
                    : "(str" + sp(s.parts(), p -> switch (p) {
                        case Expr.StringPart.Text t -> quote(t.text());
                        case Expr.StringPart.Interp in -> expr(in.expr());
                    }) + ")";
            case Expr.ListLit l -> "[" + join(l.items(), AstPrinter::expr, " ") + "]";
            case Expr.MapLit m -> "(map" + sp(m.entries(), en -> "(" + expr(en.key()) + " " + expr(en.value()) + ")") + ")";
            case Expr.Name n -> n.ident().name();
            case Expr.Field f -> "(. " + expr(f.target()) + " " + f.name() + ")";
            case Expr.Call c -> "(" + c.callee() + sp(c.args(), AstPrinter::expr) + ")";
            case Expr.MethodCall m -> "(." + m.name() + " " + expr(m.target()) + sp(m.args(), AstPrinter::expr) + ")";
            case Expr.Index i -> "(index " + expr(i.target()) + " " + expr(i.index()) + ")";
            case Expr.Unary u -> "(" + (u.op() == Expr.UnaryOp.NEG ? "-" : "!") + " " + expr(u.operand()) + ")";
            case Expr.Binary b -> "(" + b.op().symbol + " " + expr(b.left()) + " " + expr(b.right()) + ")";
            case Expr.If i -> "(if " + expr(i.condition()) + " " + block(i.then())
                    + (i.otherwise() == null ? "" : " " + expr(i.otherwise())) + ")";
            case Expr.BlockExpr b -> block(b.block());
            case Expr.Match m -> "(match " + expr(m.scrutinee()) + sp(m.arms(),
                    a -> "(" + pattern(a.pattern()) + " " + block(a.body()) + ")") + ")";
            case Expr.Lambda l -> "(lambda (" + join(l.params(), Ident::name, " ") + ") " + expr(l.body()) + ")";
            case Expr.RecordLit r -> "(record " + r.type() + sp(r.fields(), AstPrinter::fieldInit) + ")";
            case Expr.With w -> "(with " + expr(w.target()) + sp(w.fields(), AstPrinter::fieldInit) + ")";
            case Expr.Range r -> "(.. " + expr(r.from()) + " " + expr(r.to()) + ")";
            case Expr.Try t -> "(? " + expr(t.operand()) + ")";
            case Expr.Request r -> "(request " + r.method() + " " + expr(r.path())
                    + (r.body() == null ? "" : r.bodyKind() == Stmt.BodyKind.TEXT ? " (text " + expr(r.body()) + ")"
                            : " " + expr(r.body()))
                    + r.headers().stream().map(h -> " (header \"" + h.name() + "\" " + expr(h.value()) + ")")
                            .collect(java.util.stream.Collectors.joining()) + ")";
        };
    }

    private static String fieldInit(Expr.FieldInit f) {
        return "(" + f.name() + " " + expr(f.value()) + ")";
    }

    static String pattern(Pattern p) {
        return switch (p) {
            case Pattern.Wildcard w -> "_";
            case Pattern.Binding b -> b.name().name();
            case Pattern.Literal l -> expr(l.value());
            case Pattern.Some s -> "(some " + pattern(s.inner()) + ")";
            case Pattern.None n -> "none";
            case Pattern.Ok o -> "(ok " + pattern(o.inner()) + ")";
            case Pattern.Err e -> "(err " + pattern(e.inner()) + ")";
            case Pattern.Variant v -> v.args().isEmpty() ? v.enumName() + "." + v.variant()
                    : "(" + v.enumName() + "." + v.variant() + sp(v.args(), AstPrinter::pattern) + ")";
            case Pattern.Record r -> "(" + r.type() + sp(r.fields(), f -> f.pattern() instanceof Pattern.Binding b
                    && b.name().name().equals(f.field().name()) ? f.field().name()
                    : "(" + f.field() + " " + pattern(f.pattern()) + ")") + ")";
        };
    }

    private static String opt(TypeExpr t) {
        return t == null ? "" : " : " + t;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + '"';
    }

    private static <T> String sp(List<T> items, Function<T, String> f) {
        return items.stream().map(i -> " " + f.apply(i)).collect(Collectors.joining());
    }

    private static <T> String join(List<T> items, Function<T, String> f, String sep) {
        return items.stream().map(f).collect(Collectors.joining(sep));
    }
}
