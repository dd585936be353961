package dev.manaknight.lang.types;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Block;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import dev.manaknight.lang.syntax.ast.Pattern;
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

    private final Checker app;
    private final Mode mode;
    private final String file;
    final Unifier unifier = new Unifier();
    private int caps;
    private boolean hasUses;
    private Ty fnResult;
    private final List<CheckedApp.ResponseInfo> responses = new ArrayList<>();
    private final Deque<Map<String, Local>> scopes = new ArrayDeque<>();
    private int nextSlot;
    private int maxSlot;
    private final List<Runnable> deferred = new ArrayList<>();
    private final List<Ty.Var> pathVars = new ArrayList<>();
    private final Set<Capability> reportedCaps = EnumSet.noneOf(Capability.class);
    private final int errorsBefore;
    private final Methods methods;

    /** A local variable: its slot, type and mutability. */
    record Local(String name, int slot, Ty ty, boolean mutable, Span span) {}

    BodyChecker(Checker app, Mode mode, String file) {
        this.app = app;
        this.mode = mode;
        this.file = file;
        this.errorsBefore = app.diags.size();
        this.methods = new Methods(this);
    }

    // ---- entry points ----------------------------------------------------------------------

    CheckedApp.Fn checkFn(Checker.FnSig sig) {
        Decl.FnDecl f = sig.decl();
        caps = sig.capabilities();
        hasUses = !f.uses().isEmpty();
        fnResult = sig.result();
        pushScope();
        for (int i = 0; i < f.params().size(); i++) {
            Decl.Param p = f.params().get(i);
            declare(p.name(), sig.params().get(i), false);
        }
        boolean unitResult = Ty.is(fnResult, "Unit");
        TExpr.Block body = block(f.body(), null);
        if (!unitResult && !(Ty.prune(body.ty()) instanceof Ty.Never)) {
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
        return new CheckedApp.Fn(f.name().name(), file, sig.params(), fnResult, caps, body, maxSlot, f.span());
    }

    CheckedApp.Fn checkTest(Decl.TestDecl t, int capabilities) {
        caps = capabilities;
        hasUses = !t.uses().isEmpty();
        pushScope();
        TExpr.Block body = block(t.body(), null);
        popScope();
        finish(body);
        return new CheckedApp.Fn("test \"" + t.name() + "\"", file, List.of(), Ty.UNIT, caps, body, maxSlot, t.span());
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
        pushScope();
        // Declared inputs by name; `param` declarations type path parameters.
        Map<String, Decl.Input> declaredParams = new HashMap<>();
        Set<String> pathNames = new HashSet<>();
        for (Decl.PathSegment s : api.path()) {
            if (s instanceof Decl.PathSegment.Param p && !pathNames.add(p.name().name()))
                error("E0802", "the path parameter `" + p.name().name() + "` appears twice", p.name().span(), "again here", "give each parameter its own name");
        }
        List<Decl.Input> others = new ArrayList<>();
        Decl.Input bodyInput = null;
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
                if (in.kind() == Decl.InputKind.BODY)
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
        routes.add(new CheckedApp.RouteInfo(fnIndex, sources.toArray(Route.Source[]::new), names, wires, types, defaults,
                api.method(), api.pathText(), caps, List.copyOf(responses), file, api.span().line()));
        return new CheckedApp.Fn(api.method() + " " + api.pathText(), file, params, Ty.UNIT, caps, body, maxSlot, api.span());
    }

    private void checkInputType(Route.Source source, Ty ty, Span span, String name) {
        Type t = Ty.toType(ty);
        if (t == null) return; // reported as "cannot infer"
        if (source == Route.Source.BODY) return;
        boolean ok = scalarInput(t)
                || (t instanceof Type.OptionOf o && source != Route.Source.PATH && scalarInput(o.value()))
                || (t instanceof Type.ListOf l && source == Route.Source.QUERY && scalarInput(l.element()));
        if (!ok) {
            error("E0804", "`" + name + "` cannot be a " + source.name().toLowerCase() + " input of type `" + t + "`", span,
                    "unsupported input type",
                    switch (source) {
                        case PATH -> "path parameters are Int, Decimal, Float, Bool, String or a plain enum";
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
            if (Ty.hasVars(e.ty()) && app.diags.size() == errorsBefore) {
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
        String hint = null;
        if (numericPair(expected, actual)) hint = "there are no implicit conversions: use `.toDecimal()`, `.toFloat()` or `.toInt()`";
        else if (Ty.is(expected, "Option") && unifier.compatible(Ty.arg(expected, 0), actual)) hint = "wrap the value: `some(…)`";
        else if (Ty.is(actual, "Option") && unifier.compatible(expected, Ty.arg(actual, 0))) hint = "unwrap it with `match`, `.getOr(…)` or `?`";
        error("E0401", "mismatched types", span, "expected `" + Ty.show(expected) + "`, found `" + Ty.show(actual) + "`", hint);
        return false;
    }

    private static boolean numericPair(Ty a, Ty b) {
        Set<String> nums = Set.of("Int", "Decimal", "Float");
        return Ty.prune(a) instanceof Ty.Con x && Ty.prune(b) instanceof Ty.Con y && nums.contains(x.name()) && nums.contains(y.name());
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
        return l;
    }

    Local lookup(String name) {
        for (Map<String, Local> s : scopes) {
            Local l = s.get(name);
            if (l != null) return l;
        }
        return null;
    }

    private List<String> visibleNames() {
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
            case Stmt.Return r -> new TStmt.Eval(new TExpr.Diverge(returnStmt(r), r.span()), r.span());
            case Stmt.Respond r -> new TStmt.Eval(new TExpr.Diverge(respond(r), r.span()), r.span());
            case Stmt.Expect e -> {
                if (mode != Mode.TEST)
                    error("E0508", "`expect` is only allowed in a `test`", e.span(), "outside a test", "use `if … { respond status 500 }` to fail a request");
                TExpr cond = check(e.condition(), Ty.BOOL);
                Span cs = e.condition().span();
                yield new TStmt.Expect(cond, cs.file().text().substring(cs.start(), cs.end()), e.span());
            }
        };
    }

    private TStmt forLoop(Stmt.For f) {
        if (f.iterable() instanceof Expr.Range r) {
            TExpr from = check(r.from(), Ty.INT), to = check(r.to(), Ty.INT);
            pushScope();
            int bound = scratch();
            Local var = declare(f.var(), Ty.INT, false);
            TExpr body = block(f.body(), null);
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
        TExpr body = block(f.body(), null);
        popScope();
        return new TStmt.ForList(var.slot(), list, body, new int[] {listSlot, index}, f.span());
    }

    private TStmt returnStmt(Stmt.Return r) {
        if (mode != Mode.FN) {
            error("E0503", "`return` is only allowed in a `fn`", r.span(), mode == Mode.API ? "handlers end with `respond`" : "not in a function",
                    mode == Mode.API ? "write `respond json(…)` or `respond status …`" : null);
            return new TStmt.Return(r.value() == null ? new TExpr.UnitC(r.span()) : infer(r.value(), null), r.span());
        }
        TExpr value = r.value() == null ? new TExpr.UnitC(r.span()) : check(r.value(), fnResult);
        if (r.value() == null) expect(fnResult, Ty.UNIT, r.span());
        return new TStmt.Return(value, r.span());
    }

    private TStmt respond(Stmt.Respond r) {
        if (mode != Mode.API) {
            error("E0502", "`respond` is only allowed in an `api` handler", r.span(), "not in a handler",
                    mode == Mode.FN ? "return a value and let the handler respond" : null);
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
        TExpr body = null;
        Route.BodyKind kind = Route.BodyKind.NONE;
        switch (r.bodyKind()) {
            case JSON -> { body = infer(r.body(), null); kind = Route.BodyKind.JSON; }
            case TEXT -> { body = check(r.body(), Ty.STRING); kind = Route.BodyKind.TEXT; }
            case NONE -> {}
        }
        List<String> names = new ArrayList<>();
        List<TExpr> values = new ArrayList<>();
        for (Stmt.Header h : r.headers()) {
            if (!validHeaderName(h.name()))
                error("E0511", "`" + h.name() + "` is not a valid header name", h.nameSpan(), "header names are tokens (letters, digits, `-`)", null);
            names.add(h.name());
            values.add(check(h.value(), Ty.STRING));
        }
        responses.add(new CheckedApp.ResponseInfo(code, kind, body == null ? null : body.ty()));
        return new TStmt.Respond(status, r.bodyKind(), body, -1, names, values, r.span());
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
            case Expr.Field f -> field(f);
            case Expr.Call c -> call(c, hint);
            case Expr.MethodCall m -> methodCall(m, hint);
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
            case Expr.RecordLit r -> recordLit(r);
            case Expr.With w -> with(w);
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
                case Expr.StringPart.Interp in -> parts.add(infer(in.expr(), null));
            }
        }
        return new TExpr.Interp(parts, s.span());
    }

    private TExpr name(Expr.Name n) {
        String name = n.ident().name();
        Local l = lookup(name);
        if (l != null) return new TExpr.Local(l.slot(), l.ty(), n.span());
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

    private void unknownName(Ident id) {
        String near = Names.nearest(id.name(), visibleNames());
        error("E0203", "unknown name `" + id.name() + "`", id.span(), "not found in this scope",
                near != null ? "did you mean `" + near + "`?" : null);
    }

    /** True when `e` is a bare name that refers to a type (not shadowed by a local). */
    private String typeName(Expr e) {
        if (e instanceof Expr.Name n && lookup(n.ident().name()) == null && app.typeIndexOf(n.ident().name()) >= 0) return n.ident().name();
        return null;
    }

    private Capability capabilityName(Expr e) {
        if (e instanceof Expr.Name n && lookup(n.ident().name()) == null) return Capability.bySourceName(n.ident().name()).orElse(null);
        return null;
    }

    private TExpr field(Expr.Field f) {
        String typeName = typeName(f.target());
        if (typeName != null) {
            TypeDef.EnumDef e = app.enumDef(typeName);
            if (e == null) {
                error("E0207", "`" + typeName + "` is a record, not an enum", f.target().span(), "has no variants", "build one: `" + typeName + " { … }`");
                return poison(f.span());
            }
            int v = variantIndex(e, f.name());
            if (v < 0) return poison(f.span());
            if (!e.variants().get(v).fields().isEmpty()) {
                error("E0403", "`" + typeName + "." + f.name().name() + "` needs " + e.variants().get(v).fields().size() + " argument(s)", f.span(),
                        "this variant carries data", "write `" + typeName + "." + f.name().name() + "(…)`");
            }
            return new TExpr.EnumNew(app.typeIndexOf(typeName), v, List.of(), Ty.named(typeName), f.span());
        }
        TExpr target = infer(f.target(), null);
        Ty t = resolveReceiver(target);
        if (t instanceof Ty.Con c) {
            TypeDef.RecordDef r = app.recordDef(c.name());
            if (r != null) {
                int idx = r.fieldIndex(f.name().name());
                if (idx < 0) {
                    String near = Names.nearest(f.name().name(), r.fields().stream().map(TypeDef.FieldDef::name).toList());
                    error("E0205", "`" + displayType(c.name()) + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field",
                            near != null ? "did you mean `" + near + "`?" : "its fields are " + String.join(", ", r.fields().stream().map(TypeDef.FieldDef::name).toList()));
                    return poison(f.span());
                }
                return new TExpr.GetField(target, app.typeIndexOf(c.name()), idx, Ty.of(r.fields().get(idx).type()), f.span());
            }
            if (Methods.isMethod(c.name(), f.name().name())) {
                error("E0207", "`" + f.name().name() + "` is a method", f.name().span(), "not a field", "call it: `." + f.name().name() + "()`");
                return poison(f.span());
            }
        }
        if (!(t instanceof Ty.Var)) {
            error("E0205", "`" + Ty.show(t) + "` has no fields", f.name().span(), "no field `" + f.name().name() + "`", null);
        }
        return poison(f.span());
    }

    static String displayType(String name) { return name.equals(Checker.RESPONSE_TYPE) ? "Response" : name; }

    /** The pruned type of a receiver; an uninferred path parameter becomes String here. */
    Ty resolveReceiver(TExpr target) {
        Ty t = Ty.prune(target.ty());
        if (t instanceof Ty.Var v && pathVars.contains(v)) {
            unifier.unify(v, Ty.STRING);
            t = Ty.STRING;
        }
        if (t instanceof Ty.Var) {
            error("E0402", "the type of this value must be known here", target.span(), "its type is not inferred yet",
                    "add a type annotation where it is declared");
        }
        return t;
    }

    private int variantIndex(TypeDef.EnumDef e, Ident variant) {
        int v = e.variantIndex(variant.name());
        if (v < 0) {
            String near = Names.nearest(variant.name(), e.variants().stream().map(TypeDef.VariantDef::name).toList());
            error("E0208", "`" + e.name() + "` has no variant `" + variant.name() + "`", variant.span(), "unknown variant",
                    near != null ? "did you mean `" + near + "`?" : "its variants are " + String.join(", ", e.variants().stream().map(TypeDef.VariantDef::name).toList()));
        }
        return v;
    }

    private TExpr call(Expr.Call c, Ty hint) {
        String name = c.callee().name();
        if (lookup(name) == null) {
            switch (name) {
                case "some" -> {
                    if (!arity(c.args(), 1, c.span(), "`some`")) return poison(c.span());
                    Ty inner = hint != null && Ty.is(hint, "Option") ? Ty.arg(hint, 0) : null;
                    TExpr v = inner == null ? infer(c.args().getFirst(), null) : check(c.args().getFirst(), inner);
                    return new TExpr.SomeE(v, Ty.option(v.ty()), c.span());
                }
                case "ok", "err" -> {
                    if (!arity(c.args(), 1, c.span(), "`" + name + "`")) return poison(c.span());
                    boolean ok = name.equals("ok");
                    Ty okT = hint != null && Ty.is(hint, "Result") ? Ty.arg(hint, 0) : unifier.fresh("ok type");
                    Ty errT = hint != null && Ty.is(hint, "Result") ? Ty.arg(hint, 1) : unifier.fresh("err type");
                    TExpr v = check(c.args().getFirst(), ok ? okT : errT);
                    Ty ty = Ty.result(okT, errT);
                    return ok ? new TExpr.OkE(v, ty, c.span()) : new TExpr.ErrE(v, ty, c.span());
                }
                case "json", "text" -> {
                    error("E0502", "`" + name + "(…)` is only a body of `respond`", c.span(), "not a value", "write `respond " + name + "(…)`");
                    return poison(c.span());
                }
                default -> {}
            }
        }
        Checker.FnSig sig = app.fn(name);
        if (sig == null) {
            if (lookup(name) != null) error("E0203", "`" + name + "` is not a function", c.callee().span(), "a local value", null);
            else {
                String near = Names.nearest(name, app.fns.keySet());
                error("E0203", "unknown function `" + name + "`", c.callee().span(), "no function of this name",
                        near != null ? "did you mean `" + near + "`?" : null);
            }
            for (Expr a : c.args()) infer(a, null);
            return poison(c.span());
        }
        if (mode == Mode.CONST) error("E0901", "a constant cannot call a function", c.span(), "computed at run time", null);
        int missing = sig.capabilities() & ~caps;
        if (missing != 0 && mode != Mode.CONST) {
            for (Capability cap : Capability.values()) {
                if ((missing & cap.bit()) == 0) continue;
                app.report(Diagnostic.error("E0302", "`" + name + "` uses `" + cap.sourceName() + "`, which " + where() + " does not declare", c.callee().span(),
                                where() + " has no `uses { " + cap.sourceName() + " }`")
                        .withLabel(sig.decl().name().span(), "`" + name + "` is declared with `uses { " + cap.sourceName() + " }`")
                        .withHint(capHint(cap)));
            }
        }
        List<TExpr> args = new ArrayList<>();
        if (c.args().size() != sig.params().size()) {
            error("E0403", "`" + name + "` takes " + sig.params().size() + " argument" + (sig.params().size() == 1 ? "" : "s") + ", not " + c.args().size(),
                    c.span(), "wrong number of arguments", null);
            for (Expr a : c.args()) infer(a, null);
            return new TExpr.Call(sig.index(), List.of(), sig.result(), c.span());
        }
        for (int i = 0; i < c.args().size(); i++) args.add(check(c.args().get(i), sig.params().get(i)));
        return new TExpr.Call(sig.index(), args, sig.result(), c.span());
    }

    boolean arity(List<Expr> args, int n, Span span, String what) {
        if (args.size() == n) return true;
        error("E0403", what + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size(), span, "wrong number of arguments", null);
        for (Expr a : args) infer(a, null);
        return false;
    }

    String where() {
        return switch (mode) {
            case API -> "this handler";
            case FN -> "this function";
            case TEST -> "this test";
            case CONST -> "a constant";
        };
    }

    private String capHint(Capability cap) {
        return hasUses ? "add `" + cap.sourceName() + "` to its `uses { … }`"
                : "add `uses { " + cap.sourceName() + " }` at the top of the " + switch (mode) {
                    case API -> "handler";
                    case FN -> "function";
                    case TEST -> "test";
                    case CONST -> "constant";
                };
    }

    /** Reports (once per capability) an effect used without `uses`. */
    void requireCapability(Capability cap, Span at) {
        if ((caps & cap.bit()) != 0) return;
        if (!reportedCaps.add(cap)) return;
        if (mode == Mode.CONST) {
            error("E0901", "a constant cannot use `" + cap.sourceName() + "`", at, "effects happen at run time", null);
            return;
        }
        error("E0301", "`" + cap.sourceName() + "` is used but not declared", at, where() + " has no `uses { " + cap.sourceName() + " }`", capHint(cap));
    }

    private TExpr methodCall(Expr.MethodCall m, Ty hint) {
        Capability cap = capabilityName(m.target());
        if (cap != null) return effect(cap, m);
        String typeName = typeName(m.target());
        if (typeName != null) {
            TypeDef.EnumDef e = app.enumDef(typeName);
            if (e == null) {
                error("E0207", "`" + typeName + "` is a record, not an enum", m.target().span(), "has no variants", "build one: `" + typeName + " { … }`");
                for (Expr a : m.args()) infer(a, null);
                return poison(m.span());
            }
            int v = variantIndex(e, m.name());
            if (v < 0) {
                for (Expr a : m.args()) infer(a, null);
                return poison(m.span());
            }
            List<TypeDef.FieldDef> fields = e.variants().get(v).fields();
            if (!arity(m.args(), fields.size(), m.span(), "`" + typeName + "." + m.name().name() + "`")) return poison(m.span());
            List<TExpr> payload = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) payload.add(check(m.args().get(i), Ty.of(fields.get(i).type())));
            return new TExpr.EnumNew(app.typeIndexOf(typeName), v, payload, Ty.named(typeName), m.span());
        }
        TExpr target = infer(m.target(), null);
        return methods.call(target, m, hint);
    }

    private TExpr effect(Capability cap, Expr.MethodCall m) {
        requireCapability(cap, m.target().span());
        Integer op = cap == Capability.DB ? app.queries.get(m.name().name()) : app.builtinEffects.get(cap.sourceName() + "." + m.name().name());
        if (op == null) {
            List<String> names = new ArrayList<>();
            if (cap == Capability.DB) names.addAll(app.queries.keySet());
            else for (String k : app.builtinEffects.keySet()) if (k.startsWith(cap.sourceName() + ".")) names.add(k.substring(k.indexOf('.') + 1));
            String near = Names.nearest(m.name().name(), names);
            error("E0207", "`" + cap.sourceName() + "` has no operation `" + m.name().name() + "`", m.name().span(), "unknown operation",
                    near != null ? "did you mean `" + near + "`?" : cap == Capability.DB ? "declare it in a `db { … }` block" : "its operations are " + String.join(", ", names));
            for (Expr a : m.args()) infer(a, null);
            return poison(m.span());
        }
        EffectOp eop = app.effects.get(op);
        if (!arity(m.args(), eop.params().size(), m.span(), "`" + eop.qualifiedName() + "`")) return poison(m.span());
        List<TExpr> args = new ArrayList<>();
        for (int i = 0; i < eop.params().size(); i++) args.add(check(m.args().get(i), Ty.of(eop.params().get(i).type())));
        return new TExpr.Effect(op, args, Ty.of(eop.result()), m.span());
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
        if (!unifier.unify(l.ty(), r.ty())) {
            String hint = numericPair(l.ty(), r.ty()) ? "there are no implicit conversions: convert one side, e.g. `x.toDecimal()`"
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

    private TExpr recordLit(Expr.RecordLit r) {
        String name = r.type().name();
        TypeDef.RecordDef def = app.recordDef(name);
        if (def == null || name.equals(Checker.RESPONSE_TYPE)) {
            if (app.enumDef(name) != null)
                error("E0207", "`" + name + "` is an enum", r.type().span(), "not a record", "name a variant: `" + name + ".…`");
            else error("E0202", "unknown record type `" + name + "`", r.type().span(), "no record of this name", null);
            for (Expr.FieldInit f : r.fields()) infer(f.value(), null);
            return poison(r.span());
        }
        TExpr[] values = new TExpr[def.fields().size()];
        for (Expr.FieldInit f : r.fields()) {
            int idx = def.fieldIndex(f.name().name());
            if (idx < 0) {
                String near = Names.nearest(f.name().name(), def.fields().stream().map(TypeDef.FieldDef::name).toList());
                error("E0205", "`" + name + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field", near != null ? "did you mean `" + near + "`?" : null);
                infer(f.value(), null);
                continue;
            }
            if (values[idx] != null) {
                error("E0209", "the field `" + f.name().name() + "` is given twice", f.name().span(), "again here", null);
                continue;
            }
            values[idx] = check(f.value(), Ty.of(def.fields().get(idx).type()));
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) continue;
            Type ft = def.fields().get(i).type();
            if (ft instanceof Type.OptionOf) values[i] = new TExpr.NoneE(Ty.of(ft), r.span());
            else missing.add(def.fields().get(i).name());
        }
        if (!missing.isEmpty()) {
            error("E0206", "missing field" + (missing.size() == 1 ? " `" : "s `") + String.join("`, `", missing) + "` in `" + name + "`", r.span(),
                    "every field without an Option type must be given", null);
            return poison(r.span());
        }
        return new TExpr.RecordNew(app.typeIndexOf(name), List.of(values), Ty.named(name), r.span());
    }

    private TExpr with(Expr.With w) {
        TExpr target = infer(w.target(), null);
        Ty t = resolveReceiver(target);
        TypeDef.RecordDef def = t instanceof Ty.Con c ? app.recordDef(c.name()) : null;
        if (def == null) {
            if (!(t instanceof Ty.Var)) error("E0401", "`with` needs a record", w.target().span(), "this is `" + Ty.show(t) + "`", null);
            for (Expr.FieldInit f : w.fields()) infer(f.value(), null);
            return poison(w.span());
        }
        List<Integer> fields = new ArrayList<>();
        List<TExpr> values = new ArrayList<>();
        for (Expr.FieldInit f : w.fields()) {
            int idx = def.fieldIndex(f.name().name());
            if (idx < 0) {
                String near = Names.nearest(f.name().name(), def.fields().stream().map(TypeDef.FieldDef::name).toList());
                error("E0205", "`" + def.name() + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field", near != null ? "did you mean `" + near + "`?" : null);
                infer(f.value(), null);
                continue;
            }
            if (fields.contains(idx)) error("E0209", "the field `" + f.name().name() + "` is given twice", f.name().span(), "again here", null);
            fields.add(idx);
            values.add(check(f.value(), Ty.of(def.fields().get(idx).type())));
        }
        return new TExpr.With(target, app.typeIndexOf(def.name()), fields, values, t, w.span());
    }

    private TExpr tryExpr(Expr.Try t) {
        TExpr operand = infer(t.operand(), null);
        if (mode != Mode.FN || !(Ty.is(fnResult, "Option") || Ty.is(fnResult, "Result"))) {
            error("E0505", "`?` needs a function that returns an Option or a Result", t.span(), "used here",
                    mode == Mode.API ? "in a handler, `match` the value and `respond`" : "change the function's result type, or `match` the value");
            return poison(t.span());
        }
        boolean option = Ty.is(fnResult, "Option");
        Ty inner = unifier.fresh("`?` value");
        Ty wanted = option ? Ty.option(inner) : Ty.result(inner, Ty.arg(fnResult, 1));
        if (!unifier.unify(wanted, operand.ty())) {
            error("E0505", "`?` on `" + Ty.show(operand.ty()) + "` in a function returning `" + Ty.show(fnResult) + "`", t.operand().span(),
                    "expected `" + Ty.show(wanted) + "`", option ? null : "the error types must be the same");
        }
        return new TExpr.Try(operand, option, scratch(), inner, t.span());
    }

    private TExpr request(Expr.Request r) {
        if (mode != Mode.TEST) error("E0508", "`request` is only allowed in a `test`", r.span(), "outside a test", null);
        TExpr path = check(r.path(), Ty.STRING);
        TExpr body = r.body() == null ? null : infer(r.body(), null);
        return new TExpr.Request(r.method(), path, body, -1, Ty.named(Checker.RESPONSE_TYPE), r.span());
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
        TExpr body = result == null ? infer(l.body(), null) : check(l.body(), result);
        popScope();
        return new Lambda(slots, body);
    }

    void defer(Runnable r) { deferred.add(r); }

    /** A placeholder for an expression that had an error. */
    TExpr poison(Span span) { return new TExpr.Poison(unifier.fresh(null), span); }

    Checker app() { return app; }
}
