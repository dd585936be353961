package dev.manaknight.lang.types;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Visits every expression of a checked tree, parents before children. */
public final class TWalk {
    private TWalk() {}

    public static void forEach(TExpr e, Consumer<TExpr> visit) {
        if (e == null) return;
        visit.accept(e);
        for (TExpr c : children(e)) forEach(c, visit);
    }

    static List<TExpr> children(TExpr e) {
        List<TExpr> out = new ArrayList<>();
        switch (e) {
            case TExpr.IntC x -> {}
            case TExpr.DecC x -> {}
            case TExpr.FloatC x -> {}
            case TExpr.BoolC x -> {}
            case TExpr.StrC x -> {}
            case TExpr.UnitC x -> {}
            case TExpr.Local x -> {}
            case TExpr.ConfigGet x -> {}
            case TExpr.NoneE x -> {}
            case TExpr.Poison x -> {}
            case TExpr.Interp x -> out.addAll(x.parts());
            case TExpr.ListNew x -> out.addAll(x.items());
            case TExpr.MapNew x -> { out.addAll(x.keys()); out.addAll(x.values()); }
            case TExpr.Binary x -> { out.add(x.left()); out.add(x.right()); }
            case TExpr.Unary x -> out.add(x.operand());
            case TExpr.Logic x -> { out.add(x.left()); out.add(x.right()); }
            case TExpr.Call x -> out.addAll(x.args());
            case TExpr.CallBuiltin x -> out.addAll(x.args());
            case TExpr.ToJson x -> out.add(x.value());
            case TExpr.FromJson x -> out.add(x.json());
            case TExpr.Effect x -> out.addAll(x.args());
            case TExpr.LambdaOp x -> { out.add(x.receiver()); if (x.extra() != null) out.add(x.extra()); out.add(x.body()); }
            case TExpr.SumOp x -> { out.add(x.receiver()); if (x.arg() != null) out.add(x.arg()); }
            case TExpr.GetField x -> out.add(x.target());
            case TExpr.With x -> { out.add(x.target()); out.addAll(x.values()); }
            case TExpr.RecordNew x -> out.addAll(x.fields());
            case TExpr.EnumNew x -> out.addAll(x.payload());
            case TExpr.SomeE x -> out.add(x.value());
            case TExpr.OkE x -> out.add(x.value());
            case TExpr.ErrE x -> out.add(x.value());
            case TExpr.Index x -> { out.add(x.list()); out.add(x.index()); }
            case TExpr.If x -> { out.add(x.condition()); out.add(x.then()); if (x.otherwise() != null) out.add(x.otherwise()); }
            case TExpr.Match x -> { out.add(x.scrutinee()); for (TExpr.TArm a : x.arms()) out.add(a.body()); }
            case TExpr.Block x -> { for (TStmt s : x.stmts()) out.addAll(children(s)); if (x.result() != null) out.add(x.result()); }
            case TExpr.Try x -> out.add(x.operand());
            case TExpr.Request x -> {
                out.add(x.path());
                if (x.body() != null) out.add(x.body());
                out.addAll(x.headerValues());
            }
            case TExpr.Diverge x -> out.addAll(children(x.stmt()));
        }
        return out;
    }

    static List<TExpr> children(TStmt s) {
        List<TExpr> out = new ArrayList<>();
        switch (s) {
            case TStmt.Store x -> out.add(x.value());
            case TStmt.Eval x -> out.add(x.expr());
            case TStmt.ForList x -> { out.add(x.list()); out.add(x.body()); }
            case TStmt.ForRange x -> { out.add(x.from()); out.add(x.to()); out.add(x.body()); }
            case TStmt.While x -> { out.add(x.condition()); out.add(x.body()); }
            case TStmt.Jump x -> {}
            case TStmt.Return x -> out.add(x.value());
            case TStmt.Respond x -> { out.add(x.status()); if (x.body() != null) out.add(x.body()); out.addAll(x.headerValues()); }
            case TStmt.Expect x -> out.add(x.condition());
        }
        return out;
    }
}
