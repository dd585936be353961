package dev.manaknight.lang.types;

import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Pattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks one `match` arm's pattern against the scrutinee's type and binds its variables. */
final class Patterns {
    private final BodyChecker body;
    private final Checker app;
    private final Set<String> bound = new HashSet<>();

    Patterns(BodyChecker body, Checker app) {
        this.body = body;
        this.app = app;
    }

    TPattern check(Pattern p, Ty t) {
        return switch (p) {
            case Pattern.Wildcard w -> new TPattern.Wild(t, w.span());
            case Pattern.Binding b -> {
                if (!bound.add(b.name().name()))
                    body.error("E0201", "`" + b.name().name() + "` is bound twice in this pattern", b.span(), "again here", null);
                yield new TPattern.Bind(body.declare(b.name(), t, false).slot(), t, b.span());
            }
            case Pattern.Literal l -> {
                TExpr v = ConstEval.fold(body.infer(l.value(), null));
                if (v == null) {
                    body.error("E0603", "a pattern literal must be a constant", l.span(), "not a literal", null);
                    yield new TPattern.Wild(t, l.span());
                }
                body.expect(t, v.ty(), l.span());
                if (v instanceof TExpr.BoolC b) yield new TPattern.Ctor(TPattern.CtorKind.BOOL, b.value() ? 1 : 0, String.valueOf(b.value()), List.of(), t, l.span());
                yield new TPattern.Lit(v, t, l.span());
            }
            case Pattern.Some s -> {
                Ty inner = shape(t, Ty.option(body.unifier.fresh("option value")), "some(…)", s);
                yield new TPattern.Ctor(TPattern.CtorKind.OPTION, 1, "some", List.of(check(s.inner(), orFresh(inner))), t, s.span());
            }
            case Pattern.None n -> {
                shape(t, Ty.option(body.unifier.fresh("option value")), "none", n);
                yield new TPattern.Ctor(TPattern.CtorKind.OPTION, 0, "none", List.of(), t, n.span());
            }
            case Pattern.Ok o -> {
                Ty inner = shape(t, Ty.result(body.unifier.fresh("ok value"), body.unifier.fresh("err value")), "ok(…)", o);
                Ty ok = inner == null ? null : Ty.arg(t, 0);
                yield new TPattern.Ctor(TPattern.CtorKind.RESULT, 0, "ok", List.of(check(o.inner(), orFresh(ok))), t, o.span());
            }
            case Pattern.Err e -> {
                Ty inner = shape(t, Ty.result(body.unifier.fresh("ok value"), body.unifier.fresh("err value")), "err(…)", e);
                Ty err = inner == null ? null : Ty.arg(t, 1);
                yield new TPattern.Ctor(TPattern.CtorKind.RESULT, 1, "err", List.of(check(e.inner(), orFresh(err))), t, e.span());
            }
            case Pattern.Variant v -> variant(v, t);
            case Pattern.Record r -> record(r, t);
        };
    }

    private Ty orFresh(Ty t) { return t != null ? t : body.unifier.fresh(null); }

    /** Unifies `t` with `wanted`; returns wanted's first argument, or null (reported) on mismatch. */
    private Ty shape(Ty t, Ty.Con wanted, String what, Pattern p) {
        if (!body.unifier.unify(t, wanted)) {
            body.error("E0603", "`" + what + "` cannot match a `" + Ty.show(t) + "`", p.span(), "pattern of another type", null);
            return null;
        }
        return Ty.arg(wanted, 0);
    }

    private TPattern variant(Pattern.Variant v, Ty t) {
        String name = v.enumName() == null ? null : v.enumName().name();
        if (Checker.PATCH.equals(name)) return body.patches.pattern(v, t, this::check);
        TypeDef.EnumDef e = name == null ? null : app.enumDef(name);
        if (e == null) {
            body.error("E0202", "unknown enum `" + name + "`", v.enumName() == null ? v.span() : v.enumName().span(), "no enum of this name", null);
            for (Pattern a : v.args()) check(a, body.unifier.fresh("payload"));
            return new TPattern.Wild(t, v.span());
        }
        if (!body.unifier.unify(t, Ty.named(name))) {
            body.error("E0603", "`" + name + "." + v.variant().name() + "` cannot match a `" + Ty.show(t) + "`", v.span(), "pattern of another type", null);
        }
        int idx = e.variantIndex(v.variant().name());
        if (idx < 0) {
            String near = Names.nearest(v.variant().name(), e.variants().stream().map(TypeDef.VariantDef::name).toList());
            body.error("E0208", "`" + name + "` has no variant `" + v.variant().name() + "`", v.variant().span(), "unknown variant",
                    near != null ? "did you mean `" + near + "`?" : null);
            return new TPattern.Wild(t, v.span());
        }
        List<TypeDef.FieldDef> fields = e.variants().get(idx).fields();
        List<TPattern> args = new ArrayList<>();
        if (v.args().size() != fields.size()) {
            body.error("E0403", "`" + name + "." + v.variant().name() + "` has " + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                    + ", the pattern has " + v.args().size(), v.span(), "wrong number of sub-patterns",
                    fields.isEmpty() ? "write `" + name + "." + v.variant().name() + "`" : "use `_` for fields you do not need");
            for (TypeDef.FieldDef f : fields) args.add(new TPattern.Wild(Ty.of(f.type()), v.span()));
        } else {
            for (int i = 0; i < fields.size(); i++) args.add(check(v.args().get(i), Ty.of(fields.get(i).type())));
        }
        return new TPattern.Ctor(TPattern.CtorKind.ENUM, idx, name + "." + v.variant().name(), args, t, v.span());
    }

    private TPattern record(Pattern.Record r, Ty t) {
        String name = r.type().name();
        TypeDef.RecordDef def = app.recordDef(name);
        if (def == null || name.equals(Checker.RESPONSE_TYPE)) {
            body.error("E0202", "unknown record type `" + name + "`", r.type().span(), "no record of this name", null);
            return new TPattern.Wild(t, r.span());
        }
        if (!body.unifier.unify(t, Ty.named(name)))
            body.error("E0603", "`" + name + " { … }` cannot match a `" + Ty.show(t) + "`", r.span(), "pattern of another type", null);
        List<Integer> fields = new ArrayList<>();
        List<TPattern> patterns = new ArrayList<>();
        for (Pattern.FieldPattern fp : r.fields()) {
            int idx = def.fieldIndex(fp.field().name());
            if (idx < 0) {
                body.error("E0205", "`" + name + "` has no field `" + fp.field().name() + "`", fp.field().span(), "unknown field", null);
                continue;
            }
            Ty ft = Ty.of(def.fields().get(idx).type());
            Pattern sub = fp.pattern() != null ? fp.pattern() : new Pattern.Binding(fp.field(), fp.field().span());
            fields.add(idx);
            patterns.add(check(sub, ft));
        }
        return new TPattern.Rec(app.typeIndexOf(name), fields, patterns, t, r.span());
    }
}
