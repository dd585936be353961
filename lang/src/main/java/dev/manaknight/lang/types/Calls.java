package dev.manaknight.lang.types;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls in a body: declared functions (with the capability rule: a caller declares everything
 * its callees use), `some`/`ok`/`err`, effect operations (`db.findUser`, `log.info`), enum
 * variant constructors, and built-in methods (through {@link Methods}).
 */
final class Calls {
    private final BodyChecker body;

    Calls(BodyChecker body) {
        this.body = body;
    }

    TExpr call(Expr.Call c, Ty hint) {
        String name = c.callee().name();
        if (body.lookup(name) == null) {
            switch (name) {
                case "some" -> {
                    if (!body.arity(c.args(), 1, c.span(), "`some`")) return body.poison(c.span());
                    Ty inner = hint != null && Ty.is(hint, "Option") ? Ty.arg(hint, 0) : null;
                    TExpr v = inner == null ? body.infer(c.args().getFirst(), null) : body.check(c.args().getFirst(), inner);
                    return new TExpr.SomeE(v, Ty.option(v.ty()), c.span());
                }
                case "ok", "err" -> {
                    if (!body.arity(c.args(), 1, c.span(), "`" + name + "`")) return body.poison(c.span());
                    boolean ok = name.equals("ok");
                    Ty okT = hint != null && Ty.is(hint, "Result") ? Ty.arg(hint, 0) : body.unifier.fresh("ok type");
                    Ty errT = hint != null && Ty.is(hint, "Result") ? Ty.arg(hint, 1) : body.unifier.fresh("err type");
                    TExpr v = body.check(c.args().getFirst(), ok ? okT : errT);
                    Ty ty = Ty.result(okT, errT);
                    return ok ? new TExpr.OkE(v, ty, c.span()) : new TExpr.ErrE(v, ty, c.span());
                }
                case "json", "text" -> {
                    body.error("E0502", "`" + name + "(…)` is only a body of `respond`", c.span(), "not a value", "write `respond " + name + "(…)`");
                    return body.poison(c.span());
                }
                default -> {}
            }
        }
        Checker.FnSig sig = body.app.fn(name);
        if (sig == null) {
            if (body.lookup(name) != null) body.error("E0203", "`" + name + "` is not a function", c.callee().span(), "a local value", null);
            else {
                String near = Names.nearest(name, body.app.fns.keySet());
                body.error("E0203", "unknown function `" + name + "`", c.callee().span(), "no function of this name",
                        near != null ? "did you mean `" + near + "`?" : null);
            }
            body.inferArguments(c.args());
            return body.poison(c.span());
        }
        if (body.mode == BodyChecker.Mode.CONST) body.error("E0901", "a constant cannot call a function", c.span(), "computed at run time", null);
        else callable(sig, c.callee().span());
        List<TExpr> args = new ArrayList<>();
        if (c.args().size() != sig.params().size()) {
            body.error("E0403", "`" + name + "` takes " + sig.params().size() + " argument" + (sig.params().size() == 1 ? "" : "s") + ", not " + c.args().size(),
                    c.span(), "wrong number of arguments", null);
            body.inferArguments(c.args());
            return new TExpr.Call(sig.index(), List.of(), sig.result(), c.span());
        }
        for (int i = 0; i < c.args().size(); i++) args.add(body.check(c.args().get(i), sig.params().get(i)));
        return new TExpr.Call(sig.index(), args, sig.result(), c.span());
    }

    /**
     * Whether this body may call `sig` (a call written at `at`, or a handler's `?` that calls an
     * answering function): it declares every capability the callee uses, and may respond when the
     * callee may. Reports what is missing.
     */
    void callable(Checker.FnSig sig, Span at) {
        String name = sig.decl().name().name();
        int missing = sig.capabilities() & ~body.caps;
        for (Capability cap : Capability.values()) {
            if ((missing & cap.bit()) == 0) continue;
            String title = "`" + name + "` uses `" + cap.sourceName() + "`, which " + where() + " does not declare";
            body.app.report(Diagnostic.error("E0302", title, at, where() + " has no `uses { " + cap.sourceName() + " }`")
                    .withLabel(sig.decl().name().span(), "`" + name + "` is declared with `uses { " + cap.sourceName() + " }`")
                    .withHint(capHint(cap)));
        }
        if (!sig.responds()) return;
        body.responders.add(sig.index());
        if (body.mayRespond) return;
        body.app.report(Diagnostic.error("E0302", "`" + name + "` may respond, which " + where() + " does not declare", at,
                        body.mode == BodyChecker.Mode.TEST ? "a test cannot respond" : where() + " has no `uses { respond }`")
                .withLabel(sig.decl().name().span(), "`" + name + "` is declared with `uses { respond }`")
                .withHint(body.mode == BodyChecker.Mode.TEST
                        ? "call `" + name + "` from a handler, and test the route with `request`"
                        : body.hasUses ? "add `respond` to its `uses { … }`, so that it may end the request too"
                                : "add `uses { respond }` at the top of the function, so that it may end the request too"));
    }

    String where() {
        return switch (body.mode) {
            case API -> "this handler";
            case FN -> "this function";
            case TEST -> "this test";
            case CONST -> "a constant";
        };
    }

    String capHint(Capability cap) {
        return body.hasUses ? "add `" + cap.sourceName() + "` to its `uses { … }`"
                : "add `uses { " + cap.sourceName() + " }` at the top of the " + switch (body.mode) {
                    case API -> "handler";
                    case FN -> "function";
                    case TEST -> "test";
                    case CONST -> "constant";
                };
    }

    /** Reports (once per capability) an effect used without `uses`. */
    void requireCapability(Capability cap, Span at) {
        if ((body.caps & cap.bit()) != 0) return;
        if (!body.reportedCaps.add(cap)) return;
        if (body.mode == BodyChecker.Mode.CONST) {
            body.error("E0901", "a constant cannot use `" + cap.sourceName() + "`", at, "effects happen at run time", null);
            return;
        }
        body.error("E0301", "`" + cap.sourceName() + "` is used but not declared", at, where() + " has no `uses { " + cap.sourceName() + " }`", capHint(cap));
    }

    TExpr methodCall(Expr.MethodCall m, Ty hint) {
        Capability cap = body.capabilityName(m.target());
        if (cap != null) return effect(cap, m);
        if (m.target() instanceof Expr.Name n && n.ident().name().equals("Json") && body.lookup("Json") == null)
            return body.methods.jsonStatic(m);
        if (body.patches.isPatch(m.target())) return body.patches.call(m);
        String typeName = body.typeName(m.target());
        if (typeName != null && m.name().name().equals(FROM_JSON)) return fromJson(typeName, m);
        if (typeName != null) {
            TypeDef.EnumDef e = body.app.enumDef(typeName);
            if (e == null) {
                body.error("E0207", "`" + typeName + "` is a record, not an enum", m.target().span(), "has no variants", "build one: `" + typeName + " { … }`");
                body.inferArguments(m.args());
                return body.poison(m.span());
            }
            int v = body.records.variantIndex(e, m.name());
            if (v < 0) {
                body.inferArguments(m.args());
                return body.poison(m.span());
            }
            List<TypeDef.FieldDef> fields = e.variants().get(v).fields();
            if (!body.arity(m.args(), fields.size(), m.span(), "`" + typeName + "." + m.name().name() + "`")) return body.poison(m.span());
            List<TExpr> payload = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) payload.add(body.check(m.args().get(i), Ty.of(fields.get(i).type())));
            return new TExpr.EnumNew(body.app.typeIndexOf(typeName), v, payload, Ty.named(typeName), m.span());
        }
        TExpr target = body.infer(m.target(), null);
        return body.methods.call(target, m, hint);
    }

    /** What `T.fromJson(j)` is called: read a `Json` value as a T, as a request body is read. */
    static final String FROM_JSON = "fromJson";

    /** `T.fromJson(j)`: `Result<T, String>`; an enum's variant of that name is an error (it would be ambiguous). */
    private TExpr fromJson(String typeName, Expr.MethodCall m) {
        TypeDef.EnumDef e = body.app.enumDef(typeName);
        if (e != null && e.variantIndex(FROM_JSON) >= 0 || typeName.equals(Checker.DB_ERROR)) {
            body.error("E0207", "`" + typeName + ".fromJson` is ambiguous or not allowed", m.name().span(), "not a decodable type",
                    "decode into a record of your own");
            body.inferArguments(m.args());
            return body.poison(m.span());
        }
        if (!body.arity(m.args(), 1, m.span(), "`" + typeName + ".fromJson`")) return body.poison(m.span());
        TExpr json = body.check(m.args().getFirst(), Ty.JSON);
        return new TExpr.FromJson(json, Ty.result(Ty.named(typeName), Ty.STRING), m.span());
    }

    TExpr effect(Capability cap, Expr.MethodCall m) {
        requireCapability(cap, m.target().span());
        Integer op = cap == Capability.DB ? body.app.queries.get(m.name().name()) : body.app.builtinEffects.get(cap.sourceName() + "." + m.name().name());
        if (op == null) {
            List<String> names = new ArrayList<>();
            if (cap == Capability.DB) names.addAll(body.app.queries.keySet());
            else for (String k : body.app.builtinEffects.keySet()) if (k.startsWith(cap.sourceName() + ".")) names.add(k.substring(k.indexOf('.') + 1));
            String near = Names.nearest(m.name().name(), names);
            body.error("E0207", "`" + cap.sourceName() + "` has no operation `" + m.name().name() + "`", m.name().span(), "unknown operation",
                    near != null ? "did you mean `" + near + "`?" : cap == Capability.DB ? "declare it in a `db { … }` block" : "its operations are " + String.join(", ", names));
            body.inferArguments(m.args());
            return body.poison(m.span());
        }
        EffectOp eop = body.app.effects.get(op);
        if (eop.testOnly() && body.mode != BodyChecker.Mode.TEST)
            body.error("E0508", "`" + eop.qualifiedName() + "` is only allowed in a `test`", m.span(), "outside a test",
                    "declare the stub in the test that sends the request; a handler calls `http.send`");
        if (!body.arity(m.args(), eop.params().size(), m.span(), "`" + eop.qualifiedName() + "`")) return body.poison(m.span());
        List<TExpr> args = new ArrayList<>();
        for (int i = 0; i < eop.params().size(); i++) args.add(body.check(m.args().get(i), Ty.of(eop.params().get(i).type())));
        return new TExpr.Effect(op, args, Ty.of(eop.result()), m.span());
    }
}
