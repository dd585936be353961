package dev.manaknight.lang.types;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one body (a `fn`, an `api` handler, a `test`, or a `const` initialiser): infers local
 * types by unification, resolves names and calls, checks capabilities and "every path
 * responds", and lowers the AST to {@link TExpr}. One instance per body.
 */
final class BodyChecker {
    enum Mode { FN, API, TEST, CONST }

    final Checker app;
    final Mode mode;
    private final String file;
    final Unifier unifier = new Unifier();
    int caps;
    boolean hasUses;
    private Ty fnResult;
    private boolean signatureHoldsSecret;
    /** Whether `respond` (and calling a responding function) is allowed: a handler, or a `fn` with `uses { respond }`. */
    boolean mayRespond;
    private final List<CheckedApp.ResponseInfo> responses = new ArrayList<>();
    /** The responding functions this body calls (directly, or through a handler's `?`). */
    final Set<Integer> responders = new java.util.TreeSet<>();
    private final Deque<Map<String, Local>> scopes = new ArrayDeque<>();
    private int nextSlot;
    private int maxSlot;
    private final List<Runnable> deferred = new ArrayList<>();
    private final List<Ty.Var> pathVars = new ArrayList<>();
    /** The types of expressions that had an error: what depends on them is not reported again. */
    private final Set<Ty.Var> poisoned = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /**
     * The loops around the statement being checked, innermost last, up to the nearest lambda
     * (which `break` cannot leave); each holds whether a `break` leaves it.
     */
    private List<boolean[]> loops = new ArrayList<>();
    private int lambdaDepth;
    final Set<Capability> reportedCaps = EnumSet.noneOf(Capability.class);
    private final int errorsBefore;
    final Methods methods;
    final Calls calls;
    final Records records;
    final PatchCases patches;

    /** A local variable: its slot, type and mutability. */
    record Local(String name, int slot, Ty ty, boolean mutable, Span span) {}

    BodyChecker(Checker app, Mode mode, String file) {
        this.app = app;
        this.mode = mode;
        this.file = file;
        this.errorsBefore = app.diags.size();
        this.methods = new Methods(this);
        this.calls = new Calls(this);
        this.records = new Records(this);
        this.patches = new PatchCases(this);
    }

    // ---- entry points ----------------------------------------------------------------------

    CheckedApp.Fn checkFn(Checker.FnSig sig) {
        Decl.FnDecl f = sig.decl();
        caps = sig.capabilities();
        hasUses = !f.uses().isEmpty();
        fnResult = sig.result();
        // a Secret inside the signature was reported where it is written: its values would only repeat it
        signatureHoldsSecret = Ty.holdsSecret(fnResult) || sig.params().stream().anyMatch(Ty::holdsSecret);
        mayRespond = sig.responds();
        pushScope();
        for (int i = 0; i < f.params().size(); i++) {
            Decl.Param p = f.params().get(i);
            declare(p.name(), sig.params().get(i), false);
        }
        boolean unitResult = Ty.is(fnResult, "Unit");
        TExpr.Block body = block(f.body(), null);
        boolean unknownResult = fnResult instanceof Ty.Never && !Checker.isNever(f.result()); // reported: E0202
        if (unknownResult) {
            // what the body ends with cannot be checked against a type that does not exist
        } else if (fnResult instanceof Ty.Never && !(Ty.prune(body.ty()) instanceof Ty.Never)) {
            error("E0504", "`" + f.name().name() + "` can end without responding", closing(f.body()),
                    "the body can reach its end here, but a `Never` function never returns",
                    "end every path with `respond …`, or declare the result type the function returns");
        } else if (!unitResult && !(fnResult instanceof Ty.Never) && !(Ty.prune(body.ty()) instanceof Ty.Never)) {
            TExpr last = body.result();
            if (last == null || (last instanceof TExpr.If i && i.otherwise() == null)) {
                error("E0504", "`" + f.name().name() + "` can end without returning a value", closing(f.body()),
                        "the body can reach its end here without a value of type `" + fnResult + "`",
                        last == null ? "end the body with an expression of type `" + fnResult + "`, or `return` one"
                                : "the last `if` has no `else`: add one, or end the body with a value");
            } else {
                expect(fnResult, body.ty(), last.span());
            }
        }
        popScope();
        finish(body);
        if (mayRespond) app.responders.put(sig.index(), new Checker.Responses(List.copyOf(responses), Set.copyOf(responders)));
        return new CheckedApp.Fn(f.name().name(), file, sig.params(), fnResult, caps, body, maxSlot, f.span());
    }

    CheckedApp.Fn checkTest(Decl.TestDecl t, int capabilities) {
        caps = capabilities;
        hasUses = !t.uses().isEmpty();
        app.respondNotDeclarable(t.uses(), false);
        pushScope();
        TExpr.Block body = block(t.body(), null);
        popScope();
        finish(body);
        return new CheckedApp.Fn("test \"" + t.name() + "\"", file, List.of(), Ty.UNIT, caps, body, maxSlot, t.span());
    }

    /** A config key's default: a constant of the key's type, or null after an error. */
    Constant checkDefault(Expr value, Ty type) {
        pushScope();
        TExpr checked = check(value, type);
        popScope();
        TExpr folded = ConstEval.fold(checked);
        if (folded == null) {
            if (app.diags.size() == errorsBefore)
                error("E0901", "a default must be a constant", value.span(), "computed at run time", null);
            return null;
        }
        return Checker.constantOf(folded);
    }

    TExpr checkConst(Decl.ConstDecl c) {
        pushScope();
        Ty expected = c.type() == null ? null : app.resolve(c.type());
        TExpr value = check(c.value(), expected);
        popScope();
        TExpr folded = ConstEval.fold(value);
        if (folded == null && app.diags.size() == errorsBefore) {
            error("E0901", "`" + c.name().name() + "` is not a constant expression", c.value().span(),
                    "computed at run time", "a `const` is built from literals, other constants and operators on them");
        }
        return folded;
    }

    CheckedApp.Fn checkApi(Decl.ApiDecl api, int fnIndex, List<CheckedApp.RouteInfo> routes) {
        caps = app.capabilities(api.uses());
        hasUses = !api.uses().isEmpty();
        mayRespond = true;
        app.respondNotDeclarable(api.uses(), true);
        pushScope();
        // Declared inputs by name; `param` declarations type path parameters.
        Map<String, Decl.Input> declaredParams = new HashMap<>();
        Set<String> pathNames = new HashSet<>();
        for (Decl.PathSegment s : api.path()) {
            if (s instanceof Decl.PathSegment.Param p && !pathNames.add(p.name().name()))
                error("E0802", "the path parameter `" + p.name().name() + "` appears twice", p.name().span(), "again here", "give each parameter its own name");
        }
        List<Decl.Input> others = new ArrayList<>();
        Decl.Input bodyInput = null, rawInput = null;
        for (Decl.Input in : api.inputs()) {
            if (in.kind() == Decl.InputKind.PARAM) {
                if (!pathNames.contains(in.name().name())) {
                    String near = Names.nearest(in.name().name(), pathNames);
                    error("E0803", "`" + in.name().name() + "` is not a parameter of `" + api.pathText() + "`", in.name().span(), "no `:" + in.name().name() + "` in the path",
                            near != null ? "did you mean `" + near + "`?" : "add `:" + in.name().name() + "` to the path, or use `query`");
                } else if (declaredParams.putIfAbsent(in.name().name(), in) != null) {
                    error("E0802", "`param " + in.name().name() + "` is declared twice", in.name().span(), "again here", null);
                }
            } else {
                if (in.kind() == Decl.InputKind.BODY) {
                    if (bodyInput != null) error("E0806", "a handler has at most one `body`", in.span(), "a second body", "put everything into one body type");
                    else bodyInput = in;
                    if (api.method() == HttpMethod.GET)
                        error("E0805", "a GET handler cannot take a body", in.span(), "GET requests have no body", "use `query` inputs, or POST");
                }
                if (in.kind() == Decl.InputKind.RAW) {
                    if (rawInput != null) error("E0806", "a handler has at most one `raw`", in.span(), "a second raw body", "one `raw` holds the whole body");
                    else rawInput = in;
                    if (api.method() == HttpMethod.GET)
                        error("E0805", "a GET handler cannot take a body", in.span(), "GET requests have no body", "use `query` inputs, or POST");
                }
                others.add(in);
            }
        }
        List<Route.Source> sources = new ArrayList<>();
        List<String> names = new ArrayList<>(), wires = new ArrayList<>();
        List<Ty> types = new ArrayList<>();
        List<Constant> defaults = new ArrayList<>();
        List<Span> inputSpans = new ArrayList<>();
        Set<String> seenPath = new HashSet<>();
        for (Decl.PathSegment s : api.path()) {
            if (!(s instanceof Decl.PathSegment.Param p) || !seenPath.add(p.name().name())) continue;
            Decl.Input declared = declaredParams.get(p.name().name());
            Ty ty;
            if (declared != null) {
                ty = app.resolve(declared.type());
            } else {
                Ty.Var v = unifier.fresh("path parameter `" + p.name().name() + "`");
                pathVars.add(v);
                ty = v;
            }
            declare(p.name(), ty, false);
            sources.add(Route.Source.PATH);
            names.add(p.name().name());
            wires.add(p.name().name());
            types.add(ty);
            defaults.add(null);
            inputSpans.add(declared != null ? declared.type().span() : p.name().span());
        }
        for (Decl.Input in : others) {
            Ty ty = app.resolve(in.type());
            Constant def = null;
            if (in.defaultValue() != null) {
                TExpr checked = check(in.defaultValue(), ty);
                TExpr d = ConstEval.fold(checked);
                if (d != null) def = Checker.constantOf(d);
                else if (checked instanceof TExpr.EnumNew en && en.payload().isEmpty())
                    def = new Constant.StrConst(((TypeDef.EnumDef) app.typeDefs.get(en.enumType())).variants().get(en.variant()).name());
                else error("E0901", "a default must be a constant", in.defaultValue().span(), "computed at run time", null);
                if (in.kind() == Decl.InputKind.BODY || in.kind() == Decl.InputKind.RAW)
                    error("E0804", "a body cannot have a default", in.defaultValue().span(), "not allowed here", null);
            }
            declare(in.name(), ty, false);
            sources.add(Checker.sourceOf(in.kind()));
            names.add(in.name().name());
            wires.add(in.kind() == Decl.InputKind.HEADER ? Checker.headerWireName(in.name().name()) : in.name().name());
            types.add(ty);
            defaults.add(def);
            inputSpans.add(in.type().span());
        }
        List<Ty> params = List.copyOf(types);
        TExpr.Block body = block(api.body(), null);
        if (!(Ty.prune(body.ty()) instanceof Ty.Never)) {
            error("E0501", "this handler can end without `respond`", closing(api.body()),
                    "the handler reaches its end here without responding",
                    "end every path with `respond …`, e.g. `respond status 404`");
        }
        popScope();
        finish(body);
        for (int i = 0; i < types.size(); i++) checkInputType(sources.get(i), types.get(i), inputSpans.get(i), names.get(i));
        addGuardResponses();
        routes.add(new CheckedApp.RouteInfo(fnIndex, sources.toArray(Route.Source[]::new), names, wires, types, defaults,
                api.method(), api.pathText(), caps, List.copyOf(responses), file, api.span().line()));
        return new CheckedApp.Fn(api.method() + " " + api.pathText(), file, params, Ty.UNIT, caps, body, maxSlot, api.span());
    }

    /** What the responding functions this handler reaches may answer: theirs are its responses too (OpenAPI). */
    private void addGuardResponses() {
        var seen = new java.util.HashSet<Integer>();
        var work = new ArrayDeque<>(responders);
        while (!work.isEmpty()) {
            int f = work.pop();
            Checker.Responses r = app.responders.get(f);
            if (!seen.add(f) || r == null) continue;
            responses.addAll(r.own());
            work.addAll(r.callees());
        }
    }

    private void checkInputType(Route.Source source, Ty ty, Span span, String name) {
        Type t = Ty.toType(ty);
        if (t == null) return; // reported as "cannot infer"
        if (source == Route.Source.BODY) return;
        if (source == Route.Source.RAW) {
            if (t != Type.STRING)
                error("E0804", "`" + name + "` cannot be a raw input of type `" + t + "`", span, "unsupported input type",
                        "a `raw` input is the body's text as sent: `raw " + name + ": String`");
            return;
        }
        boolean ok = scalarInput(t)
                || (t instanceof Type.OptionOf o && source != Route.Source.PATH && scalarInput(o.value()))
                || (t instanceof Type.ListOf l && source == Route.Source.QUERY && scalarInput(l.element()));
        if (!ok) {
            error("E0804", "`" + name + "` cannot be a " + source.name().toLowerCase() + " input of type `" + t + "`", span,
                    "unsupported input type",
                    switch (source) {
                        case PATH -> "path parameters are Int, Decimal, Float, Bool, String, Instant, Duration or a plain enum";
                        case QUERY -> "query inputs are scalars, plain enums, Option or List of those";
                        default -> "headers are scalars, plain enums, or an Option of one";
                    });
        }
    }

    private boolean scalarInput(Type t) {
        if (Checker.isSqlScalar(t)) return true;
        return t instanceof Type.Named n && app.enumDef(n.name()) != null && app.enumDef(n.name()).plain();
    }

    /** After the body: default path parameters to String, run deferred checks, find uninferred types. */
    private void finish(TExpr body) {
        if (maxSlot > dev.manaknight.lang.bytecode.Limits.MAX_LOCALS && app.diags.size() == errorsBefore)
            error("E1002", "this body needs " + maxSlot + " local slots", body.span(), "too many locals and temporaries",
                    "at most " + dev.manaknight.lang.bytecode.Limits.MAX_LOCALS + " are allowed; split it into functions");
        for (Ty.Var v : pathVars) if (Ty.prune(v) instanceof Ty.Var) unifier.unify(v, Ty.STRING);
        for (Runnable r : deferred) r.run();
        if (app.diags.size() > errorsBefore) return; // one problem at a time: inference gaps follow from errors
        TWalk.forEach(body, e -> {
            if (Ty.holdsSecret(e.ty()) && !signatureHoldsSecret && app.diags.size() == errorsBefore)
                error("E0410", "a Secret cannot be held in a `" + Ty.show(e.ty()) + "`", e.span(), "a Secret inside another value",
                        "a Secret stays a plain `Secret`: " + Checker.SECRET_USES);
        });
        TWalk.forEach(body, e -> {
            if (Ty.hasVars(e.ty()) && !mentionsPoisoned(e.ty()) && app.diags.size() == errorsBefore) {
                error("E0402", "cannot infer the type of this expression", e.span(), "its type is `" + Ty.show(e.ty()) + "`",
                        "add a type annotation, e.g. `let xs: List<Int> = []`");
            }
        });
    }

    // ---- diagnostics -----------------------------------------------------------------------

    void error(String code, String title, Span span, String label, String hint) {
        app.error(code, title, span, label, hint);
    }

    private static Span closing(Block b) {
        Span s = b.span();
        return new Span(s.file(), Math.max(s.start(), s.end() - 1), s.end());
    }

    /** Unifies `actual` into `expected`, reporting a mismatch at `span`. */
    boolean expect(Ty expected, Ty actual, Span span) {
        if (expected == null || unifier.unify(expected, actual)) return true;
        if (Ty.is(actual, Checker.SECRET) && !Ty.is(expected, Checker.SECRET)) {
            secretAsValue(span, "used as a `" + Ty.show(expected) + "`");
            return false;
        }
        String hint = null;
        if (Ty.is(expected, Checker.SECRET)) hint = "a Secret comes only from `config`; " + Checker.SECRET_USES;
        else if (Conversions.hint(expected, actual, span) != null) hint = Conversions.hint(expected, actual, span);
        else if (Ty.is(expected, "Option") && unifier.compatible(Ty.arg(expected, 0), actual)) hint = "wrap the value: `some(…)`";
        else if (Ty.is(actual, "Option") && unifier.compatible(expected, Ty.arg(actual, 0))) hint = "unwrap it with `match`, `.getOr(…)` or `?`";
        error("E0401", "mismatched types", span, "expected `" + Ty.show(expected) + "`, found `" + Ty.show(actual) + "`", hint);
        return false;
    }

    /** `e`, or E0410 and a poison when it is a Secret. */
    TExpr notSecret(TExpr e, String how) {
        if (!Ty.is(e.ty(), Checker.SECRET)) return e;
        secretAsValue(e.span(), how);
        return poison(e.span());
    }

    /** E0410: a Secret where its text would come out (text, a comparison, JSON, a response). */
    void secretAsValue(Span span, String how) {
        error("E0410", "a Secret cannot be turned into text", span, "a Secret " + how,
                "a Secret is never shown, logged, compared with `==` or answered; " + Checker.SECRET_USES);
    }

    // ---- scopes ----------------------------------------------------------------------------

    private void pushScope() { scopes.push(new LinkedHashMap<>()); }

    private void popScope() {
        Map<String, Local> scope = scopes.pop();
        // Slots of a finished scope are reused; the verifier tracks each slot's kind per path.
        int lowest = nextSlot;
        for (Local l : scope.values()) lowest = Math.min(lowest, l.slot());
        nextSlot = lowest;
    }

    /** A slot that is not a named variable (loop state, scrutinees); freed with its scope. */
    int scratch() {
        int slot = nextSlot++;
        maxSlot = Math.max(maxSlot, nextSlot);
        scopes.peek().put("$" + slot, new Local("$" + slot, slot, Ty.UNIT, false, null));
        return slot;
    }

    Local declare(Ident name, Ty ty, boolean mutable) {
        Map<String, Local> scope = scopes.peek();
        Local prev = scope.get(name.name());
        if (prev != null && !name.name().equals("_")) {
            app.report(Diagnostic.error("E0201", "`" + name.name() + "` is already defined in this block", name.span(), "defined again here")
                    .withLabel(prev.span(), "first defined here").withHint("use another name, or assign to a `var`"));
        }
        int slot = nextSlot++;
        maxSlot = Math.max(maxSlot, nextSlot);
        if (slot == dev.manaknight.lang.bytecode.Limits.MAX_LOCALS)
            error("E1002", "too many local variables", name.span(), "the " + (slot + 1) + "th slot",
                    "a function may use at most " + dev.manaknight.lang.bytecode.Limits.MAX_LOCALS + " local slots; split it into functions");
        Local l = new Local(name.name(), slot, ty, mutable, name.span());
        scope.put(name.name(), l);
        app.localName(name.span());
        return l;
    }

    Local lookup(String name) {
        for (Map<String, Local> s : scopes) {
            Local l = s.get(name);
            if (l != null) return l;
        }
        return null;
    }

    List<String> visibleNames() {
        List<String> out = new ArrayList<>();
        for (Map<String, Local> s : scopes) for (String k : s.keySet()) if (!k.startsWith("$")) out.add(k);
        out.addAll(app.consts.keySet());
        out.addAll(app.fns.keySet());
        return out;
    }

    // ---- blocks and statements -------------------------------------------------------------

    TExpr.Block block(Block b, Ty expected) {
        pushScope();
        List<TStmt> stmts = new ArrayList<>();
        TExpr result = null;
        boolean diverged = false;
        List<Stmt> list = b.stmts();
        for (int i = 0; i < list.size(); i++) {
            Stmt s = list.get(i);
            boolean last = i == list.size() - 1;
            if (last && s instanceof Stmt.ExprStmt es) {
                result = expected == null ? infer(es.expr(), null) : check(es.expr(), expected);
            } else {
                TStmt t = stmt(s);
                stmts.add(t);
                if (diverges(t)) diverged = true;
            }
        }
        popScope();
        Ty ty;
        if (diverged || (result != null && Ty.prune(result.ty()) instanceof Ty.Never)) ty = Ty.Never.NEVER;
        else if (result != null) ty = result.ty();
        else ty = Ty.UNIT;
        if (result == null && !diverged && expected != null && !Ty.is(expected, "Unit") && !(Ty.prune(expected) instanceof Ty.Var)) {
            // Reported by the caller with a better message where it can; here a generic one.
        }
        return new TExpr.Block(stmts, result, ty, b.span());
    }

    static boolean diverges(TStmt t) {
        return switch (t) {
            case TStmt.Eval e -> Ty.prune(e.expr().ty()) instanceof Ty.Never;
            case TStmt.Store s -> Ty.prune(s.value().ty()) instanceof Ty.Never;
            case TStmt.Return r -> true;
            case TStmt.Respond r -> true;
            case TStmt.While w -> w.endless();
            default -> false;
        };
    }

    private TStmt stmt(Stmt s) {
        return switch (s) {
            case Stmt.Let let -> {
                Ty annotated = let.type() == null ? null : app.resolve(let.type());
                TExpr value = annotated == null ? infer(let.value(), null) : check(let.value(), annotated);
                Ty ty = annotated != null ? annotated : value.ty();
                if (Ty.prune(ty) instanceof Ty.Never) ty = unifier.fresh("`" + let.name().name() + "`");
                Local l = declare(let.name(), ty, let.mutable());
                yield new TStmt.Store(l.slot(), value, let.span());
            }
            case Stmt.Assign a -> {
                Local l = lookup(a.target().name());
                if (l == null) {
                    unknownName(a.target());
                    yield new TStmt.Eval(infer(a.value(), null), a.span());
                }
                app.localName(a.target().span());
                if (!l.mutable()) {
                    app.report(Diagnostic.error("E0404", "cannot assign twice to `" + l.name() + "`", a.target().span(), "assigned here")
                            .withLabel(l.span(), "declared with `let`, so it cannot change")
                            .withHint("declare it with `var " + l.name() + "` to make it mutable"));
                }
                TExpr value = check(a.value(), l.ty());
                yield new TStmt.Store(l.slot(), value, a.span());
            }
            case Stmt.ExprStmt es -> new TStmt.Eval(infer(es.expr(), null), es.span());
            case Stmt.For f -> forLoop(f);
            case Stmt.While w -> {
                TExpr cond = check(w.condition(), Ty.BOOL);
                boolean[] broken = {false};
                loops.add(broken);
                TExpr body = block(w.body(), null);
                loops.removeLast();
                // `while true` without a `break` never ends: like `return`, it ends the path
                boolean endless = w.condition() instanceof Expr.BoolLit b && b.value() && !broken[0];
                yield new TStmt.While(cond, body, endless, w.span());
            }
            case Stmt.Break b -> new TStmt.Eval(new TExpr.Diverge(jump(true, b.span()), b.span()), b.span());
            case Stmt.Continue c -> new TStmt.Eval(new TExpr.Diverge(jump(false, c.span()), c.span()), c.span());
            case Stmt.Return r -> new TStmt.Eval(new TExpr.Diverge(returnStmt(r), r.span()), r.span());
            case Stmt.Respond r -> new TStmt.Eval(new TExpr.Diverge(respond(r), r.span()), r.span());
            case Stmt.Expect e -> {
                if (mode != Mode.TEST)
                    error("E0508", "`expect` is only allowed in a `test`", e.span(), "outside a test", "use `if … { respond status 500 }` to fail a request");
                TExpr cond = check(e.condition(), Ty.BOOL);
                Span cs = e.condition().span();
                String text = cs.file().text().substring(cs.start(), cs.end());
                // a comparison as written (not `s.isEmpty()`, which is one inside)
                boolean compares = cond instanceof TExpr.Binary && e.condition() instanceof Expr.Binary b && switch (b.op()) {
                    case EQ, NE, LT, LE, GT, GE -> true;
                    default -> false;
                };
                boolean showRight = compares && !literal(((Expr.Binary) e.condition()).right());
                int[] temps = compares ? new int[] {scratch(), scratch()} : new int[0];
                yield new TStmt.Expect(cond, text, showRight, temps, e.span());
            }
        };
    }

    /** `break` (`leave`) or `continue`: only inside a loop, and not from a lambda's body out of it. */
    private TStmt jump(boolean leave, Span span) {
        if (loops.isEmpty()) {
            String word = leave ? "break" : "continue";
            boolean inLambda = lambdaDepth > 0;
            String label = "not inside `for` or `while`" + (inLambda ? " in this lambda" : "");
            error("E0512", "`" + word + "` outside a loop", span, label,
                    inLambda ? "a lambda's body cannot leave the loop around it: use a `for` loop instead of the list operation"
                            : "`" + word + "` belongs in the body of a `for` or `while` loop");
        }
        else if (leave) loops.getLast()[0] = true;
        return new TStmt.Jump(leave, span);
    }

    /** A literal written in place (`201`, `-1`, `"ok"`, `true`, `none`): a failed `expect` need not repeat its value. */
    private static boolean literal(Expr e) {
        return Checker.isLiteral(e) && !(e instanceof Expr.StringLit s && s.constantText() == null)
                || e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG && Checker.isLiteral(u.operand())
                || e instanceof Expr.Name n && n.ident().name().equals("none");
    }

    private TStmt forLoop(Stmt.For f) {
        if (f.iterable() instanceof Expr.Range r) {
            TExpr from = check(r.from(), Ty.INT), to = check(r.to(), Ty.INT);
            pushScope();
            int bound = scratch();
            Local var = declare(f.var(), Ty.INT, false);
            loops.add(new boolean[1]);
            TExpr body = block(f.body(), null);
            loops.removeLast();
            popScope();
            return new TStmt.ForRange(var.slot(), from, to, body, new int[] {bound}, f.span());
        }
        TExpr list = infer(f.iterable(), null);
        Ty elem = unifier.fresh("list element");
        if (!unifier.unify(Ty.list(elem), list.ty())) {
            error("E0401", "`for` needs a list or a range", f.iterable().span(), "this is `" + Ty.show(list.ty()) + "`",
                    Ty.is(list.ty(), "Map") ? "iterate over `.keys()` or `.values()`" : "write `for i in 0..n` for a range");
        }
        pushScope();
        int listSlot = scratch(), index = scratch();
        Local var = declare(f.var(), elem, false);
        loops.add(new boolean[1]);
        TExpr body = block(f.body(), null);
        loops.removeLast();
        popScope();
        return new TStmt.ForList(var.slot(), list, body, new int[] {listSlot, index}, f.span());
    }

    private TStmt returnStmt(Stmt.Return r) {
        if (mode != Mode.FN) {
            error("E0503", "`return` is only allowed in a `fn`", r.span(), mode == Mode.API ? "handlers end with `respond`" : "not in a function",
                    mode == Mode.API ? "write `respond json(…)` or `respond status …`" : null);
            return new TStmt.Return(r.value() == null ? new TExpr.UnitC(r.span()) : infer(r.value(), null), r.span());
        }
        if (fnResult instanceof Ty.Never) {
            error("E0503", "`return` in a function that never returns", r.span(), "its result type is `Never`",
                    "a `Never` function ends every path with `respond`");
            return new TStmt.Return(r.value() == null ? new TExpr.UnitC(r.span()) : infer(r.value(), null), r.span());
        }
        TExpr value = r.value() == null ? new TExpr.UnitC(r.span()) : check(r.value(), fnResult);
        if (r.value() == null) expect(fnResult, Ty.UNIT, r.span());
        return new TStmt.Return(value, r.span());
    }

    private TStmt respond(Stmt.Respond r) {
        if (!mayRespond) {
            error("E0502", "`respond` is only allowed in a handler or a `fn` that declares `uses { respond }`", r.span(),
                    mode == Mode.FN ? "this function has no `uses { respond }`" : "not in a handler",
                    switch (mode) {
                        case FN -> "add `uses { respond }` to make it a guard that may end the request, or return a value "
                                + "and let the handler respond";
                        case TEST -> "a test checks a route's response with `request`";
                        default -> null;
                    });
        }
        TExpr status;
        if (r.status() != null) status = check(r.status(), Ty.INT);
        else status = new TExpr.IntC(200, r.span());
        if (r.status() == null && r.bodyKind() == Stmt.BodyKind.NONE)
            error("E0509", "`respond` needs a status or a body", r.span(), "nothing to send", "write `respond status 204` or `respond json(…)`");
        TExpr folded = ConstEval.fold(status);
        int code = folded instanceof TExpr.IntC c ? (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.value())) : 0;
        if (folded instanceof TExpr.IntC && (code < 100 || code > 599))
            error("E0510", "`" + code + "` is not an HTTP status", r.status().span(), "outside 100..599", null);
        if (r.keep() != null && mayRespond) keepMeansSomething(r, folded instanceof TExpr.IntC ? code : 0);
        TExpr body = null;
        Route.BodyKind kind = Route.BodyKind.NONE;
        switch (r.bodyKind()) {
            case JSON -> {
                body = notSecret(infer(r.body(), null), "as a JSON body");
                kind = Route.BodyKind.JSON;
            }
            case TEXT -> { body = check(r.body(), Ty.STRING); kind = Route.BodyKind.TEXT; }
            case NONE -> {}
        }
        List<String> names = new ArrayList<>();
        List<TExpr> values = new ArrayList<>();
        headers(r.headers(), names, values);
        responses.add(new CheckedApp.ResponseInfo(code, kind, body == null ? null : body.ty()));
        return new TStmt.Respond(r.keep() != null, status, r.bodyKind(), body, names, values, r.span());
    }

    /**
     * `respond keep` keeps the request's writes on a 4xx, which otherwise rolls back. It means
     * nothing without `uses { db }` (nothing to keep), on a 1xx–3xx (committed anyway) or a 5xx
     * (always rolled back): each is an error, so a `keep` that is written is one that acts.
     *
     * @param code the status when known at compile time (200 when none is written), else 0
     */
    private void keepMeansSomething(Stmt.Respond r, int code) {
        if ((caps & Capability.DB.bit()) == 0) {
            String who = mode == Mode.FN ? "this function" : "this handler";
            error("E0514", "`keep` without `uses { db }`", r.keep(), who + " writes nothing that `keep` could keep",
                    "remove `keep`; it keeps a 4xx request's database writes");
        } else if (code >= 100 && code < 400) {
            error("E0514", "`keep` on a `" + code + "` response means nothing", r.keep(),
                    "a " + (code / 100) + "xx answer commits its writes anyway", "remove `keep`: only a 4xx needs it");
        } else if (code >= 500 && code <= 599) {
            error("E0514", "`keep` on a `" + code + "` response means nothing", r.keep(),
                    "a 5xx answer always rolls back", "answer a 4xx to keep the writes, or remove `keep`");
        }
    }

    /** `headers { "Name": value }` of a `respond` or a test's `request`: token names, String values. */
    private void headers(List<Stmt.Header> headers, List<String> names, List<TExpr> values) {
        for (Stmt.Header h : headers) {
            if (!validHeaderName(h.name()))
                error("E0511", "`" + h.name() + "` is not a valid header name", h.nameSpan(),
                        "header names are tokens (letters, digits, `-`)", null);
            names.add(h.name());
            values.add(check(h.value(), Ty.STRING));
        }
    }

    private static boolean validHeaderName(String n) {
        if (n.isEmpty()) return false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) return false;
        }
        return true;
    }

    // ---- expressions -----------------------------------------------------------------------

    /** Checks `e` against `expected` (which may be null), reporting a mismatch. */
    TExpr check(Expr e, Ty expected) {
        TExpr t = infer(e, expected);
        expect(expected, t.ty(), e.span());
        return t;
    }

    /** Infers `e`'s type; `hint` may guide literals like `none`, `[]`, `{}`. */
    TExpr infer(Expr e, Ty hint) {
        return switch (e) {
            case Expr.IntLit i -> new TExpr.IntC(i.value(), i.span());
            case Expr.DecimalLit d -> new TExpr.DecC(d.value(), d.span());
            case Expr.FloatLit f -> new TExpr.FloatC(f.value(), f.span());
            case Expr.BoolLit b -> new TExpr.BoolC(b.value(), b.span());
            case Expr.UnitLit u -> new TExpr.UnitC(u.span());
            case Expr.StringLit s -> string(s);
            case Expr.ListLit l -> {
                Ty elem = hint != null && Ty.is(hint, "List") ? Ty.arg(hint, 0) : unifier.fresh("list element");
                List<TExpr> items = new ArrayList<>();
                for (Expr item : l.items()) items.add(check(item, elem));
                if (l.items().size() > dev.manaknight.lang.bytecode.Limits.MAX_ITEMS)
                    error("E1003", "too many items in one list literal", l.span(), l.items().size() + " items", null);
                yield new TExpr.ListNew(items, Ty.list(elem), l.span());
            }
            case Expr.MapLit m -> {
                Ty value = hint != null && Ty.is(hint, "Map") ? Ty.arg(hint, 0) : unifier.fresh("map value");
                List<TExpr> keys = new ArrayList<>(), values = new ArrayList<>();
                for (Expr.Entry en : m.entries()) {
                    keys.add(check(en.key(), Ty.STRING));
                    values.add(check(en.value(), value));
                }
                yield new TExpr.MapNew(keys, values, Ty.map(value), m.span());
            }
            case Expr.Name n -> name(n);
            case Expr.Field f -> records.field(f);
            case Expr.Call c -> calls.call(c, hint);
            case Expr.MethodCall m -> calls.methodCall(m, hint);
            case Expr.Index ix -> {
                TExpr list = infer(ix.target(), null);
                Ty elem = unifier.fresh("list element");
                if (!unifier.unify(Ty.list(elem), list.ty())) {
                    error("E0401", "only lists can be indexed", ix.target().span(), "this is `" + Ty.show(list.ty()) + "`",
                            Ty.is(list.ty(), "Map") ? "use `.get(key)`, which returns an Option" : null);
                }
                TExpr index = check(ix.index(), Ty.INT);
                yield new TExpr.Index(list, index, elem, ix.span());
            }
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.If i -> ifExpr(i, hint);
            case Expr.BlockExpr b -> block(b.block(), hint);
            case Expr.Match m -> match(m, hint);
            case Expr.Lambda l -> {
                error("E0506", "a lambda can only be an argument of a list operation", l.span(), "not allowed here",
                        "functions are not values; lambdas go directly into `map`, `filter`, `fold`, `any`, `all`, `find`, `sortBy`");
                yield poison(l.span());
            }
            case Expr.RecordLit r -> records.recordLit(r);
            case Expr.With w -> records.with(w);
            case Expr.Range r -> {
                error("E0401", "a range is only allowed in `for … in a..b`", r.span(), "not allowed here", "build a list with a `for` loop");
                yield poison(r.span());
            }
            case Expr.Try t -> tryExpr(t);
            case Expr.Request r -> request(r);
        };
    }

    private TExpr string(Expr.StringLit s) {
        String constant = s.constantText();
        if (constant != null) return new TExpr.StrC(constant, s.span());
        List<TExpr> parts = new ArrayList<>();
        for (Expr.StringPart p : s.parts()) {
            switch (p) {
                case Expr.StringPart.Text t -> { if (!t.text().isEmpty()) parts.add(new TExpr.StrC(t.text(), s.span())); }
                case Expr.StringPart.Interp in -> {
                    TExpr part = infer(in.expr(), null);
                    if (Ty.is(part.ty(), Checker.SECRET)) {
                        secretAsValue(in.expr().span(), "inside a string");
                        part = poison(in.expr().span());
                    }
                    parts.add(part);
                }
            }
        }
        return new TExpr.Interp(parts, s.span());
    }

    TExpr name(Expr.Name n) {
        String name = n.ident().name();
        Local l = lookup(name);
        if (l != null) {
            app.localName(n.span());
            return new TExpr.Local(l.slot(), l.ty(), n.span());
        }
        if (name.equals("none")) return new TExpr.NoneE(Ty.option(unifier.fresh("option value")), n.span());
        Checker.ConstSlot c = app.constSlot(name);
        if (c != null) {
            TExpr v = app.constValue(c);
            return v == null ? poison(n.span()) : ConstEval.at(v, n.span());
        }
        if (app.fn(name) != null) {
            error("E0203", "`" + name + "` is a function, not a value", n.span(), "functions are not values", "call it: `" + name + "(…)`");
        } else if (Capability.bySourceName(name).isPresent()) {
            error("E0203", "`" + name + "` is a capability, not a value", n.span(), "not a value", "call one of its operations, e.g. `" + name + ".…(…)`");
        } else if (app.typeIndexOf(name) >= 0) {
            error("E0203", "`" + name + "` is a type, not a value", n.span(), "not a value",
                    app.enumDef(name) != null ? "name a variant: `" + name + "." + app.enumDef(name).variants().getFirst().name() + "`" : "build one: `" + name + " { … }`");
        } else {
            unknownName(n.ident());
        }
        return poison(n.span());
    }

    void unknownName(Ident id) {
        String near = Names.nearest(id.name(), visibleNames());
        error("E0203", "unknown name `" + id.name() + "`", id.span(), "not found in this scope",
                near != null ? "did you mean `" + near + "`?" : null);
    }

    /** True when `e` is a bare name that refers to a type (not shadowed by a local). */
    String typeName(Expr e) {
        if (e instanceof Expr.Name n && lookup(n.ident().name()) == null && app.typeIndexOf(n.ident().name()) >= 0) return n.ident().name();
        return null;
    }

    /** True when `e` is the bare name `config` (not a local): `config.key` reads a config key. */
    boolean configName(Expr e) {
        return e instanceof Expr.Name n && n.ident().name().equals(CONFIG) && lookup(CONFIG) == null;
    }

    static final String CONFIG = "config";

    Capability capabilityName(Expr e) {
        if (e instanceof Expr.Name n && lookup(n.ident().name()) == null) return Capability.bySourceName(n.ident().name()).orElse(null);
        return null;
    }

    static String displayType(String name) { return name.equals(Checker.RESPONSE_TYPE) ? "Response" : name; }

    /** The pruned type of a receiver; an uninferred path parameter becomes String here. */
    Ty resolveReceiver(TExpr target) {
        Ty t = Ty.prune(target.ty());
        if (t instanceof Ty.Var v && pathVars.contains(v)) {
            unifier.unify(v, Ty.STRING);
            t = Ty.STRING;
        }
        if (t instanceof Ty.Var && !poisoned(t)) {
            error("E0402", "the type of this value must be known here", target.span(), "its type is not inferred yet",
                    "add a type annotation where it is declared");
        }
        return t;
    }

    private TExpr unary(Expr.Unary u) {
        TExpr operand = infer(u.operand(), null);
        if (u.op() == Expr.UnaryOp.NOT) {
            expect(Ty.BOOL, operand.ty(), u.operand().span());
            return new TExpr.Unary(u.op(), operand, Ty.BOOL, u.span());
        }
        TExpr folded = ConstEval.negate(operand, u.span());
        if (folded != null) return folded;
        Ty t = operand.ty();
        deferred.add(() -> {
            Type r = Ty.toType(t);
            if (r != null && r != Type.INT && r != Type.DECIMAL && r != Type.FLOAT)
                error("E0405", "`-` cannot be applied to `" + r + "`", u.span(), "not a number", null);
        });
        return new TExpr.Unary(u.op(), operand, t, u.span());
    }

    private TExpr binary(Expr.Binary b) {
        if (b.op() == Expr.BinaryOp.AND || b.op() == Expr.BinaryOp.OR) {
            TExpr l = check(b.left(), Ty.BOOL), r = check(b.right(), Ty.BOOL);
            return new TExpr.Logic(b.op() == Expr.BinaryOp.AND, l, r, b.span());
        }
        TExpr l = infer(b.left(), null);
        TExpr r = infer(b.right(), Ty.prune(l.ty()) instanceof Ty.Con ? l.ty() : null);
        if (Ty.is(l.ty(), Checker.SECRET) || Ty.is(r.ty(), Checker.SECRET)) {
            Span at = Ty.is(l.ty(), Checker.SECRET) ? b.left().span() : b.right().span();
            if (b.op() == Expr.BinaryOp.EQ || b.op() == Expr.BinaryOp.NE)
                error("E0410", "a Secret cannot be compared with `" + b.op().symbol + "`", at,
                        "`" + b.op().symbol + "` stops at the first difference, so its time tells the secret",
                        "compare in constant time: `s.constantTimeEquals(text)`");
            else secretAsValue(at, "as an operand of `" + b.op().symbol + "`");
            return poison(b.span());
        }
        if (!unifier.unify(l.ty(), r.ty())) {
            String hint = Conversions.operands(l.ty(), r.ty(), b.left().span(), b.right().span()) != null
                    ? Conversions.operands(l.ty(), r.ty(), b.left().span(), b.right().span())
                    : (Ty.is(l.ty(), "String") || Ty.is(r.ty(), "String")) && b.op() == Expr.BinaryOp.ADD ? "interpolate instead: \"${a}${b}\"" : null;
            error("E0406", "`" + b.op().symbol + "` needs two operands of the same type", b.span(),
                    "`" + Ty.show(l.ty()) + "` " + b.op().symbol + " `" + Ty.show(r.ty()) + "`", hint);
            return poison(b.span());
        }
        Ty operand = l.ty();
        boolean comparison = switch (b.op()) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
        deferred.add(() -> {
            Type t = Ty.toType(operand);
            if (t != null && PrimOp.binary(b.op(), t) == null) {
                error("E0405", "`" + b.op().symbol + "` cannot be used on `" + t + "`", b.span(), "no such operator for `" + t + "`",
                        t == Type.BOOL && !comparison ? "use `&&` / `||` for booleans" : null);
            }
        });
        return new TExpr.Binary(b.op(), l, r, operand, comparison ? Ty.BOOL : operand, b.span());
    }

    private TExpr ifExpr(Expr.If i, Ty hint) {
        TExpr cond = check(i.condition(), Ty.BOOL);
        if (i.otherwise() == null) {
            TExpr then = block(i.then(), null);
            return new TExpr.If(cond, then, null, Ty.UNIT, i.span());
        }
        TExpr then = block(i.then(), hint);
        TExpr otherwise = infer(i.otherwise(), hint);
        Ty ty = join(List.of(then, otherwise), i.span(), "`if` and `else` have different types");
        return new TExpr.If(cond, then, otherwise, ty, i.span());
    }

    /** The common type of branches; Never branches are ignored; all Never gives Never. */
    private Ty join(List<TExpr> branches, Span span, String title) {
        Ty result = null;
        for (TExpr b : branches) {
            if (Ty.prune(b.ty()) instanceof Ty.Never) continue;
            if (result == null) { result = b.ty(); continue; }
            if (!unifier.unify(result, b.ty())) {
                error("E0401", title, b.span(), "this is `" + Ty.show(b.ty()) + "`, the first branch is `" + Ty.show(result) + "`", null);
            }
        }
        return result == null ? Ty.Never.NEVER : result;
    }

    private TExpr match(Expr.Match m, Ty hint) {
        TExpr scrutinee = infer(m.scrutinee(), null);
        pushScope();
        int slot = scratch();
        List<TExpr.TArm> arms = new ArrayList<>();
        int errors = app.diags.size();
        for (Expr.Arm arm : m.arms()) {
            pushScope();
            TPattern p = new Patterns(this, app).check(arm.pattern(), scrutinee.ty());
            TExpr body = block(arm.body(), hint);
            popScope();
            arms.add(new TExpr.TArm(p, body));
        }
        popScope();
        Ty ty = join(arms.stream().map(TExpr.TArm::body).toList(), m.span(), "the arms of this `match` have different types");
        boolean patternErrors = app.diags.size() > errors;
        // Exhaustiveness is only meaningful for well-typed patterns.
        if (!patternErrors) deferred.add(() -> new Exhaustiveness(app, this).check(m, scrutinee.ty(), arms));
        return new TExpr.Match(scrutinee, slot, arms, ty, m.span());
    }

    private TExpr tryExpr(Expr.Try t) {
        TExpr operand = infer(t.operand(), null);
        boolean returns = mode == Mode.FN && (Ty.is(fnResult, "Option") || Ty.is(fnResult, "Result"));
        if (!returns && mayRespond) return tryResponding(t, operand);
        if (!returns) {
            error("E0505", "`?` needs a function that returns an Option or a Result", t.span(), "used here",
                    mode == Mode.FN
                            ? "change the function's result type, add `uses { respond }` to answer from it, or `match` the value"
                            : "`match` the value");
            return poison(t.span());
        }
        boolean option = Ty.is(fnResult, "Option");
        Ty inner = unifier.fresh("`?` value");
        Ty wanted = option ? Ty.option(inner) : Ty.result(inner, Ty.arg(fnResult, 1));
        if (!unifier.unify(wanted, operand.ty())) {
            error("E0505", "`?` on `" + Ty.show(operand.ty()) + "` in a function returning `" + Ty.show(fnResult) + "`", t.operand().span(),
                    "expected `" + Ty.show(wanted) + "`", option ? null : "the error types must be the same");
        }
        return new TExpr.Try(operand, option, scratch(), new TExpr.TryExit.Return(), inner, t.span());
    }

    /**
     * `?` where a response is allowed (a handler, a `fn` with `uses { respond }` that returns
     * neither an Option nor a Result): a none answers 404; an err(e) calls the one function that
     * answers e's type, `fn …(e: E): Never` with `uses { respond }`.
     */
    private TExpr tryResponding(Expr.Try t, TExpr operand) {
        Ty ty = Ty.prune(operand.ty());
        if (Ty.is(ty, "Option")) {
            responses.add(new CheckedApp.ResponseInfo(404, Route.BodyKind.NONE, null));
            return new TExpr.Try(operand, true, scratch(), new TExpr.TryExit.NotFound(), Ty.arg(ty, 0), t.span());
        }
        if (!Ty.is(ty, "Result")) {
            if (operand instanceof TExpr.Poison) return poison(t.span()); // reported already
            if (ty instanceof Ty.Var && !poisoned(ty))
                error("E0402", "the type of this value must be known here", t.operand().span(), "its type is not inferred yet",
                        "add a type annotation where it is declared");
            else
                error("E0505", "`?` needs an Option or a Result", t.operand().span(), "this is `" + Ty.show(ty) + "`",
                        "`?` unwraps `some(v)` / `ok(v)`, and answers for `none` / `err(e)`");
            return poison(t.span());
        }
        Ty error = Ty.arg(ty, 1);
        Type errorType = Ty.toType(error);
        if (errorType == null) {
            error("E0402", "the error type of this `?` must be known", t.operand().span(), "its type is `" + Ty.show(ty) + "`",
                    "annotate where the Result is made, e.g. `let r: Result<Int, String> = …`");
            return poison(t.span());
        }
        List<Checker.FnSig> answers = new ArrayList<>();
        for (Checker.FnSig sig : app.fns.values()) {
            if (sig.responds() && sig.result() instanceof Ty.Never && sig.params().size() == 1
                    && errorType.equals(Ty.toType(sig.params().getFirst()))) answers.add(sig);
        }
        if (answers.size() != 1) {
            String shown = BodyChecker.displayType(errorType.toString());
            if (answers.isEmpty()) {
                error("E0513", "nothing answers `err(" + shown + ")` for this `?`", t.span(), "an err here has no response",
                        "declare how: `fn answer(e: " + shown + "): Never { uses { respond } … }`, or `match` the value");
            } else {
                var d = Diagnostic.error("E0513", "two functions answer `err(" + shown + ")` for this `?`", t.span(),
                        "which one is meant is unclear");
                for (Checker.FnSig a : answers)
                    d = d.withLabel(a.decl().name().span(), "`" + a.decl().name().name() + "` answers it");
                app.report(d.withHint("keep one function `(e: " + shown + "): Never` per error type"));
            }
            return poison(t.span());
        }
        Checker.FnSig answer = answers.getFirst();
        calls.callable(answer, t.span());
        return new TExpr.Try(operand, false, scratch(), new TExpr.TryExit.Answer(answer.index(), error), Ty.arg(ty, 0), t.span());
    }

    private TExpr request(Expr.Request r) {
        if (mode != Mode.TEST) error("E0508", "`request` is only allowed in a `test`", r.span(), "outside a test", null);
        TExpr path = check(r.path(), Ty.STRING);
        TExpr body = switch (r.bodyKind()) {
            case JSON -> notSecret(infer(r.body(), null), "as a JSON body");
            case TEXT -> check(r.body(), Ty.STRING);
            case NONE -> null;
        };
        List<String> names = new ArrayList<>();
        List<TExpr> values = new ArrayList<>();
        headers(r.headers(), names, values);
        return new TExpr.Request(r.method(), path, body, r.bodyKind() == Stmt.BodyKind.TEXT, names, values,
                Ty.named(Checker.RESPONSE_TYPE), r.span());
    }

    /**
     * Checks the arguments of a call that had an error, for the errors inside them; a lambda is
     * skipped, since outside the call it belongs to it would only add "a lambda is not allowed here".
     */
    void inferArguments(List<Expr> args) {
        for (Expr a : args) if (!(a instanceof Expr.Lambda)) infer(a, null);
    }

    boolean arity(List<Expr> args, int n, Span span, String what) {
        if (args.size() == n) return true;
        error("E0403", what + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size(), span, "wrong number of arguments", null);
        inferArguments(args);
        return false;
    }

    /** A lambda argument with `params` parameter types, checked in a new scope. */
    record Lambda(List<Integer> slots, TExpr body) {}

    Lambda lambda(Expr arg, List<Ty> params, Ty result, String op) {
        if (!(arg instanceof Expr.Lambda l)) {
            error("E0506", "`" + op + "` takes a lambda", arg.span(), "not a lambda",
                    "write it inline, e.g. `" + op + "(x -> …)`; functions are not values");
            infer(arg, null);
            return null;
        }
        if (l.params().size() != params.size()) {
            error("E0403", "the lambda of `" + op + "` takes " + params.size() + " parameter" + (params.size() == 1 ? "" : "s"), l.span(),
                    "written with " + l.params().size(), params.size() == 2 ? "write `(acc, x) -> …`" : "write `x -> …`");
            return null;
        }
        pushScope();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) slots.add(declare(l.params().get(i), params.get(i), false).slot());
        List<boolean[]> outerLoops = loops;
        loops = new ArrayList<>();
        lambdaDepth++;
        TExpr body = result == null ? infer(l.body(), null) : check(l.body(), result);
        lambdaDepth--;
        loops = outerLoops;
        popScope();
        return new Lambda(slots, body);
    }

    void defer(Runnable r) { deferred.add(r); }

    /** A placeholder for an expression that had an error; its type marks what depends on it. */
    TExpr poison(Span span) { return new TExpr.Poison(poisonedVar(), span); }

    private Ty.Var poisonedVar() {
        Ty.Var v = unifier.fresh(null);
        poisoned.add(v);
        return v;
    }

    /**
     * A record field's type for checking. Where its declaration named an unknown type (reported),
     * that part is a poisoned variable: whatever the field is used as fits, and nothing is reported again.
     */
    Ty fieldTy(TypeDef.RecordDef r, int idx) {
        Ty declared = app.unknownFieldType(r, idx);
        return declared == null ? Ty.of(r.fields().get(idx).type()) : poisonUnknown(declared);
    }

    private boolean mentionsPoisoned(Ty t) {
        Ty p = Ty.prune(t);
        return p instanceof Ty.Var ? poisoned(p) : p instanceof Ty.Con c && c.args().stream().anyMatch(this::mentionsPoisoned);
    }

    private Ty poisonUnknown(Ty t) {
        return switch (t) {
            case Ty.Never n -> poisonedVar();
            case Ty.Con c -> new Ty.Con(c.name(), c.args().stream().map(this::poisonUnknown).toList());
            case Ty.Var v -> v;
        };
    }

    /** Whether `t` is still the unknown type of an expression that had an error (reported already). */
    boolean poisoned(Ty t) {
        Ty p = Ty.prune(t);
        if (!(p instanceof Ty.Var)) return false;
        for (Ty.Var v : poisoned) if (Ty.prune(v) == p) return true;
        return false;
    }

    Checker app() { return app; }
}
