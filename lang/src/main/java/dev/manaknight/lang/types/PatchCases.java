package dev.manaknight.lang.types;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Pattern;
import java.util.List;

/**
 * The three cases of `Patch<T>`, a PATCH body's field: `Patch.absent` (left out), `Patch.null`
 * (sent as `null`) and `Patch.set(v)`, as expressions and as patterns. The VM holds them as
 * none, some(none) and some(some(v)); the tags here (0, 1, 2) are the checker's only.
 */
final class PatchCases {
    static final String ABSENT = "absent";
    static final String NULL = "null";
    static final String SET = "set";
    private static final List<String> NAMES = List.of(ABSENT, NULL, SET);

    private final BodyChecker body;

    PatchCases(BodyChecker body) {
        this.body = body;
    }

    /** True when `e` is the bare name `Patch` (not a local). */
    boolean isPatch(Expr e) {
        return e instanceof Expr.Name n && n.ident().name().equals(Checker.PATCH) && body.lookup(Checker.PATCH) == null;
    }

    /** `Patch.absent`, `Patch.null`. */
    TExpr field(Expr.Field f) {
        Ty inner = body.unifier.fresh("patch value");
        return switch (f.name().name()) {
            case ABSENT -> new TExpr.NoneE(Ty.patch(inner), f.span());
            case NULL -> new TExpr.SomeE(new TExpr.NoneE(Ty.option(inner), f.span()), Ty.patch(inner), f.span());
            case SET -> {
                body.error("E0403", "`Patch.set` needs 1 argument", f.span(), "this case carries the value", "write `Patch.set(…)`");
                yield body.poison(f.span());
            }
            default -> unknown(f.name().name(), f.name().span(), f.span());
        };
    }

    /** `Patch.set(v)`. */
    TExpr call(Expr.MethodCall m) {
        String name = m.name().name();
        if (!name.equals(SET)) {
            if (NAMES.contains(name))
                body.error("E0403", "`Patch." + name + "` takes no arguments", m.span(), "this case carries no value", "write `Patch." + name + "`");
            else unknown(name, m.name().span(), m.span());
            body.inferArguments(m.args());
            return body.poison(m.span());
        }
        if (!body.arity(m.args(), 1, m.span(), "`Patch.set`")) return body.poison(m.span());
        TExpr v = body.infer(m.args().getFirst(), null);
        return new TExpr.SomeE(new TExpr.SomeE(v, Ty.option(v.ty()), m.span()), Ty.patch(v.ty()), m.span());
    }

    /** A `Patch.…` pattern against a value of type `t`; `sub` checks a sub-pattern. */
    TPattern pattern(Pattern.Variant v, Ty t, java.util.function.BiFunction<Pattern, Ty, TPattern> sub) {
        Ty inner = body.unifier.fresh("patch value");
        String name = v.variant().name();
        int tag = NAMES.indexOf(name);
        if (tag < 0) {
            unknown(name, v.variant().span(), v.span());
            return new TPattern.Wild(t, v.span());
        }
        if (!body.unifier.unify(t, Ty.patch(inner))) {
            body.error("E0603", "`Patch." + name + "` cannot match a `" + Ty.show(t) + "`", v.span(), "pattern of another type", null);
            return new TPattern.Wild(t, v.span());
        }
        int wanted = tag == 2 ? 1 : 0;
        if (v.args().size() != wanted) {
            body.error("E0403", "`Patch." + name + "` has " + wanted + " field" + (wanted == 1 ? "" : "s") + ", the pattern has " + v.args().size(),
                    v.span(), "wrong number of sub-patterns", tag == 2 ? "write `Patch.set(v)`" : "write `Patch." + name + "`");
            return new TPattern.Wild(t, v.span());
        }
        List<TPattern> args = tag == 2 ? List.of(sub.apply(v.args().getFirst(), Ty.arg(t, 0))) : List.of();
        return new TPattern.Ctor(TPattern.CtorKind.PATCH, tag, "Patch." + name, args, t, v.span());
    }

    private TExpr unknown(String name, Span at, Span whole) {
        String near = Names.nearest(name, NAMES);
        body.error("E0208", "`Patch` has no case `" + name + "`", at, "unknown case",
                near != null ? "did you mean `" + near + "`?" : "its cases are `Patch.absent`, `Patch.null` and `Patch.set(v)`");
        return body.poison(whole);
    }
}
