package dev.manaknight.lang.codegen;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder.Label;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.types.PrimOp;
import dev.manaknight.lang.types.TExpr;
import dev.manaknight.lang.types.TPattern;
import dev.manaknight.lang.types.TStmt;
import dev.manaknight.lang.types.Ty;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates one function's code. Every expression leaves exactly one value of its type's lane
 * on the stack (none when it is typed Never); statements leave the stack as they found it.
 */
final class FunctionGen {
    private final Codegen module;
    private final CheckedApp.Fn fn;
    private final Emitter out = new Emitter();
    /** The `for`/`while` loops around the code being generated, innermost last. */
    private final List<Loop> loops = new ArrayList<>();

    /** Where `continue` (next) and `break` (end) go, and the operand stack's height at the loop. */
    private record Loop(Label next, Label end, int depth) {}

    FunctionGen(Codegen module, CheckedApp.Fn fn) {
        this.module = module;
        this.fn = fn;
    }

    Function generate() {
        out.line(fn.span().line());
        expr(fn.body());
        Kind result = Codegen.kind(fn.result());
        if (Ty.is(fn.result(), "Unit") && !Ty.is(fn.body().ty(), "Unit")) {
            // A Unit function's trailing value is dropped.
            pop(fn.body().ty());
            out.op(Opcode.UNIT);
        }
        out.op(result == Kind.P ? Opcode.RET_P : Opcode.RET_R);
        byte[] code = out.bytes();
        if (code.length > Limits.MAX_CODE) throw new IllegalStateException("function " + fn.name() + " is too large");
        List<Type> params = new ArrayList<>();
        for (Ty p : fn.params()) params.add(Codegen.type(p));
        return new Function(fn.name(), fn.file(), params, Codegen.type(fn.result()), Math.max(fn.locals(), params.size()),
                out.maxDepth(),
                fn.capabilities(), code, out.lines());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static boolean never(Ty t) { return Ty.prune(t) instanceof Ty.Never; }

    private static Kind kind(Ty t) { return Codegen.kind(t); }

    private void load(int slot, Ty t) { out.op(kind(t) == Kind.P ? Opcode.LOAD_P : Opcode.LOAD_R, slot); }

    private void store(int slot, Ty t) { out.op(kind(t) == Kind.P ? Opcode.STORE_P : Opcode.STORE_R, slot); }

    private void pop(Ty t) {
        if (never(t)) return;
        out.op(kind(t) == Kind.P ? Opcode.POP_P : Opcode.POP_R);
    }

    /** Boxes a primitive value on top of the stack for a generic container. */
    private void box(Ty t) {
        if (never(t)) return;
        Type type = Codegen.type(t);
        if (type == Type.INT) out.op(Opcode.BOX_INT);
        else if (type == Type.BOOL) out.op(Opcode.BOX_BOOL);
        else if (type == Type.FLOAT) out.op(Opcode.BOX_FLT);
    }

    private void unbox(Ty t) {
        Type type = Codegen.type(t);
        if (type == Type.INT) out.op(Opcode.UNBOX_INT);
        else if (type == Type.BOOL) out.op(Opcode.UNBOX_BOOL);
        else if (type == Type.FLOAT) out.op(Opcode.UNBOX_FLT);
    }

    private void boxed(TExpr e) {
        expr(e);
        box(e.ty());
    }

    private void intConst(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) out.op(Opcode.SMALL_INT, (int) v);
        else out.op(Opcode.CONST_INT, module.constant(new Constant.IntConst(v)));
    }

    private void string(String s) { out.op(Opcode.CONST, module.constant(new Constant.StrConst(s))); }

    private TypeDef.RecordDef recordDef(int index) { return (TypeDef.RecordDef) module.app.types().get(index); }

    private TypeDef.EnumDef enumDef(int index) { return (TypeDef.EnumDef) module.app.types().get(index); }

    // ---- statements ------------------------------------------------------------------------

    private void stmt(TStmt s) {
        out.line(s.span().line());
        switch (s) {
            case TStmt.Store st -> {
                expr(st.value());
                if (!never(st.value().ty())) store(st.slot(), st.value().ty());
            }
            case TStmt.Eval ev -> discard(ev.expr());
            case TStmt.ForList f -> forList(f);
            case TStmt.ForRange f -> forRange(f);
            case TStmt.While w -> whileLoop(w);
            case TStmt.Jump j -> {
                // from inside an expression the stack may hold operands: drop them, then leave
                Loop loop = loops.getLast();
                out.unwindTo(loop.depth());
                out.jump(Opcode.JUMP, j.leave() ? loop.end() : loop.next());
            }
            case TStmt.Return r -> {
                expr(r.value());
                if (Ty.is(fn.result(), "Unit") && !Ty.is(r.value().ty(), "Unit")) {
                    pop(r.value().ty());
                    out.op(Opcode.UNIT);
                }
                out.op(kind(fn.result()) == Kind.P ? Opcode.RET_P : Opcode.RET_R);
            }
            case TStmt.Respond r -> respond(r);
            case TStmt.Expect e -> expect(e);
        }
    }

    /**
     * `expect cond`. A comparison keeps its operands in two scratch slots and, when it fails, says
     * what it found: for `==` both values (`expected 201, got 200`), for another comparison
     * `got <left>`, and `, want <op> <right>` unless the right side is a literal. Values are
     * shown in source form, Strings quoted; the text is built only on failure.
     */
    private void expect(TStmt.Expect e) {
        int text = module.constant(new Constant.StrConst(e.text()));
        if (e.temps().length == 0) {
            expr(e.condition());
            out.op(Opcode.EXPECT, text);
            return;
        }
        var b = (TExpr.Binary) e.condition();
        int left = e.temps()[0], right = e.temps()[1];
        Ty type = b.left().ty();
        expr(b.left());
        store(left, type);
        expr(b.right());
        store(right, type);
        var l = new TExpr.Local(left, type, b.left().span());
        var r = new TExpr.Local(right, type, b.right().span());
        binary(new TExpr.Binary(b.op(), l, r, b.operand(), b.ty(), b.span()));
        Label passed = out.label();
        out.jump(Opcode.JUMP_IF_TRUE, passed);
        boolean equality = b.op() == dev.manaknight.lang.syntax.ast.Expr.BinaryOp.EQ;
        if (equality) { // both values, whatever the right side is: `expected 201, got 200`
            string("expected ");
            show(right, type);
            string(", got ");
            show(left, type);
        } else {
            string("got ");
            show(left, type);
            if (e.showRight()) {
                string(", want " + b.op().symbol + " ");
                show(right, type);
            }
        }
        int parts = equality || e.showRight() ? 4 : 2;
        out.variable(Opcode.CONCAT, parts, "R", parts);
        out.op(Opcode.EXPECT_FAILED, text);
        out.bind(passed);
    }

    /** The value in `slot` in source form (a String quoted), for a failed `expect`. */
    private void show(int slot, Ty type) {
        if (Codegen.type(type) instanceof Type.PatchOf) {
            showPatch(slot);
            return;
        }
        load(slot, type);
        box(type);
        out.variable(Opcode.BUILTIN, 1, "R", Builtin.VALUE_SHOW.id());
    }

    /**
     * A `Patch` in `slot` by its case, `Patch.absent`, `Patch.null` or `Patch.set(v)`, not as the
     * `none`, `some(none)`, `some(some(v))` the VM holds it as (VALUE_SHOW sees no types).
     */
    private void showPatch(int slot) {
        Label some = out.label(), set = out.label(), end = out.label();
        out.op(Opcode.LOAD_R, slot);
        out.op(Opcode.VARIANT); // none 0, some 1
        out.jump(Opcode.JUMP_IF_TRUE, some);
        string("Patch.absent");
        out.jump(Opcode.JUMP, end);
        out.bind(some);
        out.op(Opcode.LOAD_R, slot);
        out.op(Opcode.PAYLOAD, 1, 0);
        out.op(Opcode.VARIANT);
        out.jump(Opcode.JUMP_IF_TRUE, set);
        string("Patch.null");
        out.jump(Opcode.JUMP, end);
        out.bind(set);
        string("Patch.set(");
        out.op(Opcode.LOAD_R, slot);
        out.op(Opcode.PAYLOAD, 1, 0);
        out.op(Opcode.PAYLOAD, 1, 0);
        out.variable(Opcode.BUILTIN, 1, "R", Builtin.VALUE_SHOW.id());
        string(")");
        out.variable(Opcode.CONCAT, 3, "R", 3);
        out.bind(end);
    }

    private void respond(TStmt.Respond r) {
        expr(r.status());
        switch (r.bodyKind()) {
            case JSON -> {
                boxed(r.body());
                out.op(Opcode.JSON, module.typeRef(Codegen.type(r.body().ty())));
            }
            case TEXT -> {
                expr(r.body());
                out.op(Opcode.TEXT);
            }
            case NONE -> out.op(Opcode.UNIT);
        }
        for (int i = 0; i < r.headerNames().size(); i++) {
            string(r.headerNames().get(i));
            expr(r.headerValues().get(i));
        }
        int n = r.headerNames().size();
        out.variable(r.keep() ? Opcode.RESPOND_KEEP : Opcode.RESPOND, 2 + 2 * n, "", n);
    }

    /** Loads element `index` of the list in `listSlot` into `var` (unboxed by its type). */
    private void element(int listSlot, int indexSlot, int var, Ty elem) {
        out.op(Opcode.LOAD_R, listSlot);
        out.op(Opcode.LOAD_P, indexSlot);
        out.op(Opcode.LIST_INDEX);
        unbox(elem);
        store(var, elem);
    }

    /** `i < len(list)`, then JUMP_IF_FALSE to `end`. */
    private void loopTest(int listSlot, int indexSlot, Label end) {
        out.op(Opcode.LOAD_P, indexSlot);
        out.op(Opcode.LOAD_R, listSlot);
        out.op(Opcode.LIST_LEN);
        out.op(Opcode.LT_INT);
        out.jump(Opcode.JUMP_IF_FALSE, end);
    }

    private void increment(int slot) {
        out.op(Opcode.LOAD_P, slot);
        out.op(Opcode.SMALL_INT, 1);
        out.op(Opcode.ADD_INT);
        out.op(Opcode.STORE_P, slot);
    }

    private void forList(TStmt.ForList f) {
        int list = f.temps()[0], index = f.temps()[1];
        expr(f.list());
        out.op(Opcode.STORE_R, list);
        out.op(Opcode.SMALL_INT, 0);
        out.op(Opcode.STORE_P, index);
        Label head = out.label(), next = out.label(), end = out.label();
        out.bind(head);
        loopTest(list, index, end);
        element(list, index, f.var(), Ty.arg(f.list().ty(), 0));
        body(f.body(), next, end);
        increment(index);
        out.jump(Opcode.LOOP, head);
        out.bind(end);
    }

    /** A loop's body, with `continue` going to `next` and `break` to `end`; binds `next` after it. */
    private void body(TExpr body, Label next, Label end) {
        loops.add(new Loop(next, end, out.depth()));
        discard(body);
        loops.removeLast();
        out.bind(next);
    }

    /** `while c { body }`: the test at the head, fuel at the back-edge; `while true` has no test. */
    private void whileLoop(TStmt.While w) {
        Label head = out.label(), next = out.label(), end = out.label();
        out.bind(head);
        if (!(w.condition() instanceof TExpr.BoolC c && c.value())) {
            expr(w.condition());
            out.jump(Opcode.JUMP_IF_FALSE, end);
        }
        body(w.body(), next, end);
        out.jump(Opcode.LOOP, head);
        out.bind(end);
    }

    private void forRange(TStmt.ForRange f) {
        int bound = f.temps()[0];
        expr(f.from());
        out.op(Opcode.STORE_P, f.var());
        expr(f.to());
        out.op(Opcode.STORE_P, bound);
        Label head = out.label(), next = out.label(), end = out.label();
        out.bind(head);
        out.op(Opcode.LOAD_P, f.var());
        out.op(Opcode.LOAD_P, bound);
        out.op(Opcode.LT_INT);
        out.jump(Opcode.JUMP_IF_FALSE, end);
        body(f.body(), next, end);
        increment(f.var());
        out.jump(Opcode.LOOP, head);
        out.bind(end);
    }

    // ---- expressions -----------------------------------------------------------------------

    private void expr(TExpr e) {
        out.line(e.span().line());
        switch (e) {
            case TExpr.IntC c -> intConst(c.value());
            case TExpr.DecC c -> out.op(Opcode.CONST, module.constant(new Constant.DecConst(c.value())));
            case TExpr.FloatC c -> out.op(Opcode.CONST_FLOAT, module.constant(new Constant.FloatConst(c.value())));
            case TExpr.BoolC c -> out.op(c.value() ? Opcode.TRUE : Opcode.FALSE);
            case TExpr.StrC c -> string(c.value());
            case TExpr.UnitC c -> out.op(Opcode.UNIT);
            case TExpr.Interp i -> interpolate(i.parts());
            case TExpr.ListNew l -> {
                for (TExpr item : l.items()) boxed(item);
                out.variable(Opcode.LIST_NEW, l.items().size(), "R", l.items().size());
            }
            case TExpr.MapNew m -> {
                for (int i = 0; i < m.keys().size(); i++) {
                    expr(m.keys().get(i));
                    boxed(m.values().get(i));
                }
                out.variable(Opcode.MAP_NEW, 2 * m.keys().size(), "R", m.keys().size());
            }
            case TExpr.Local l -> load(l.slot(), l.ty());
            case TExpr.ConfigGet c -> out.op(kind(c.ty()) == Kind.P ? Opcode.CONFIG_P : Opcode.CONFIG_R, c.key());
            case TExpr.Binary b -> binary(b);
            case TExpr.Unary u -> {
                expr(u.operand());
                Type t = Codegen.type(u.operand().ty());
                out.op(switch (u.op()) {
                    case NOT -> Opcode.NOT;
                    case NEG -> t == Type.INT ? Opcode.NEG_INT : t == Type.FLOAT ? Opcode.NEG_FLT : Opcode.NEG_DEC;
                });
            }
            case TExpr.Logic l -> logic(l);
            case TExpr.Call c -> {
                for (TExpr a : c.args()) expr(a);
                out.variable(Opcode.CALL, c.args().size(), kind(c.ty()) == Kind.P ? "P" : "R", c.function());
                if (never(c.ty())) neverReturns(c.function());
            }
            case TExpr.CallBuiltin c -> builtin(c);
            case TExpr.ToJson j -> {
                boxed(j.value());
                out.op(Opcode.TO_JSON, module.typeRef(Codegen.type(j.value().ty())));
            }
            case TExpr.FromJson f -> {
                expr(f.json());
                out.op(Opcode.FROM_JSON, module.typeRef(Codegen.type(Ty.arg(f.ty(), 0))));
            }
            case TExpr.Effect ef -> {
                for (TExpr a : ef.args()) boxed(a);
                out.variable(Opcode.EFFECT, ef.args().size(), "R", ef.op());
                unbox(ef.ty());
            }
            case TExpr.LambdaOp l -> lambdaOp(l);
            case TExpr.SumOp so -> sumOp(so);
            case TExpr.GetField g -> {
                expr(g.target());
                out.op(Opcode.GET_FIELD, g.record(), g.field());
                unbox(g.ty());
            }
            case TExpr.With w -> {
                expr(w.target());
                for (int i = 0; i < w.fields().size(); i++) {
                    boxed(w.values().get(i));
                    out.op(Opcode.WITH_FIELD, w.record(), w.fields().get(i));
                }
            }
            case TExpr.RecordNew r -> {
                for (TExpr f : r.fields()) boxed(f);
                out.variable(Opcode.RECORD_NEW, r.fields().size(), "R", r.record());
            }
            case TExpr.EnumNew en -> {
                for (TExpr p : en.payload()) boxed(p);
                out.variable(Opcode.ENUM_NEW, en.payload().size(), "R", en.enumType(), en.variant());
            }
            case TExpr.SomeE s -> { boxed(s.value()); out.op(Opcode.SOME); }
            case TExpr.OkE s -> { boxed(s.value()); out.op(Opcode.OK); }
            case TExpr.ErrE s -> { boxed(s.value()); out.op(Opcode.ERR); }
            case TExpr.NoneE n -> out.op(Opcode.NONE);
            case TExpr.Index ix -> {
                expr(ix.list());
                expr(ix.index());
                out.op(Opcode.LIST_INDEX);
                unbox(ix.ty());
            }
            case TExpr.If i -> ifExpr(i);
            case TExpr.Match m -> match(m);
            case TExpr.Block b -> {
                for (TStmt s : b.stmts()) stmt(s);
                if (b.result() != null) expr(b.result());
                else if (!never(b.ty())) out.op(Opcode.UNIT);
            }
            case TExpr.Try t -> tryExpr(t);
            case TExpr.Request r -> {
                expr(r.path());
                if (r.body() == null) out.op(Opcode.UNIT);
                else if (r.text()) {
                    expr(r.body());
                    out.op(Opcode.TEXT);
                } else {
                    boxed(r.body());
                    out.op(Opcode.JSON, module.typeRef(Codegen.type(r.body().ty())));
                }
                for (int i = 0; i < r.headerNames().size(); i++) {
                    string(r.headerNames().get(i));
                    expr(r.headerValues().get(i));
                }
                int n = r.headerNames().size();
                out.variable(Opcode.MAP_NEW, 2 * n, "R", n);
                out.op(Opcode.REQUEST, r.method().code());
            }
            case TExpr.Diverge d -> stmt(d.stmt());
            case TExpr.Poison p -> throw new IllegalStateException("codegen: code with errors");
        }
    }

    /** Evaluates `e` for its effects only: a block's statements without pushing its Unit. */
    private void discard(TExpr e) {
        if (e instanceof TExpr.Block b) {
            out.line(b.span().line());
            for (TStmt s : b.stmts()) stmt(s);
            if (b.result() != null) discard(b.result());
            return;
        }
        expr(e);
        pop(e.ty());
    }

    private void interpolate(List<TExpr> parts) {
        if (parts.isEmpty()) {
            string("");
            return;
        }
        int onStack = 0;
        for (TExpr p : parts) {
            expr(p);
            Type t = Codegen.type(p.ty());
            if (t == Type.INT) out.op(Opcode.STR_INT);
            else if (t == Type.FLOAT) out.op(Opcode.STR_FLT);
            else if (t == Type.BOOL) out.op(Opcode.STR_BOOL);
            else if (t != Type.STRING) out.op(Opcode.STR_ANY);
            onStack++;
            if (onStack == Limits.MAX_CONCAT) {
                out.variable(Opcode.CONCAT, onStack, "R", onStack);
                onStack = 1;
            }
        }
        if (onStack > 1) out.variable(Opcode.CONCAT, onStack, "R", onStack);
    }

    private void binary(TExpr.Binary b) {
        expr(b.left());
        expr(b.right());
        PrimOp op = PrimOp.binary(b.op(), Codegen.type(b.operand()));
        if (op == null) throw new IllegalStateException("codegen: no operator " + b.op() + " for " + Ty.show(b.operand()));
        if (op == PrimOp.CONCAT_STR) {
            out.variable(Opcode.CONCAT, 2, "R", 2);
            return;
        }
        out.op(op.first);
        if (op.second != null) out.op(op.second);
    }

    private void logic(TExpr.Logic l) {
        Label shortCircuit = out.label(), end = out.label();
        expr(l.left());
        out.jump(l.and() ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, shortCircuit);
        expr(l.right());
        out.jump(Opcode.JUMP, end);
        out.bind(shortCircuit);
        out.op(l.and() ? Opcode.FALSE : Opcode.TRUE);
        out.bind(end);
    }

    private void builtin(TExpr.CallBuiltin c) {
        if (c.builtin() == null) {
            expr(c.args().getFirst());
            out.op(Opcode.LIST_LEN);
            return;
        }
        Builtin b = c.builtin();
        for (int i = 0; i < c.args().size(); i++) {
            TExpr a = c.args().get(i);
            expr(a);
            if (b.pops.charAt(i) == 'R') box(a.ty());
        }
        out.variable(Opcode.BUILTIN, b.pops.length(), b.pushes, b.id());
        if (b.pushes.equals("R")) unbox(c.ty());
    }

    private void ifExpr(TExpr.If i) {
        Label otherwise = out.label(), end = out.label();
        expr(i.condition());
        out.jump(Opcode.JUMP_IF_FALSE, otherwise);
        if (i.otherwise() == null) {
            discard(i.then());
            out.bind(otherwise);
            out.op(Opcode.UNIT);
            return;
        }
        expr(i.then());
        out.jump(Opcode.JUMP, end);
        out.bind(otherwise);
        expr(i.otherwise());
        out.bind(end);
    }

    private void tryExpr(TExpr.Try t) {
        Label present = out.label();
        expr(t.operand());
        out.op(Opcode.STORE_R, t.slot());
        out.op(Opcode.LOAD_R, t.slot());
        out.op(Opcode.VARIANT);
        // some is 1, ok is 0
        out.jump(t.option() ? Opcode.JUMP_IF_TRUE : Opcode.JUMP_IF_FALSE, present);
        switch (t.exit()) {
            case TExpr.TryExit.Return r -> {
                if (t.option()) {
                    out.op(Opcode.NONE);
                } else {
                    // err(e) is returned as a new err(e): the function's Result type differs in its ok
                    // type, and the verifier sees types, not which variant a value holds.
                    out.op(Opcode.LOAD_R, t.slot());
                    out.op(Opcode.PAYLOAD, 1, 0);
                    out.op(Opcode.ERR);
                }
                out.op(Opcode.RET_R);
            }
            case TExpr.TryExit.NotFound n -> {
                intConst(404);
                out.op(Opcode.UNIT);
                out.variable(Opcode.RESPOND, 2, "", 0);
            }
            case TExpr.TryExit.Answer a -> {
                out.op(Opcode.LOAD_R, t.slot());
                out.op(Opcode.PAYLOAD, 1, 0);
                unbox(a.error());
                out.variable(Opcode.CALL, 1, "R", a.function());
                neverReturns(a.function());
            }
        }
        out.bind(present);
        out.op(Opcode.LOAD_R, t.slot());
        out.op(Opcode.PAYLOAD, t.option() ? 1 : 0, 0);
        unbox(t.ty());
    }

    /**
     * After a CALL of a function whose result is Never (it ends every path with RESPOND): a FAIL,
     * so that code generation and the verifier see the path end here, as the checker does. The
     * VM never gets there; a hand-made callee that returned would fail the run with this message.
     */
    private void neverReturns(int function) {
        String name = module.app.functions().get(function).name();
        out.op(Opcode.FAIL, module.constant(new Constant.StrConst("`" + name + "` returned, but it never returns")));
    }

    // ---- match -----------------------------------------------------------------------------

    /**
     * How to reach a sub-value from the scrutinee slot: a field step (`owner` is the record type)
     * or a payload step (`owner` is the variant tag the pattern matched).
     */
    private record Step(boolean field, int owner, int index) {}

    private void match(TExpr.Match m) {
        Ty st = m.scrutinee().ty();
        expr(m.scrutinee());
        if (never(st)) return;
        store(m.slot(), st);
        Label end = out.label();
        List<TExpr.TArm> arms = m.arms();
        for (int i = 0; i < arms.size(); i++) {
            TExpr.TArm arm = arms.get(i);
            // The checker proved the match exhaustive, so a value that reaches the last arm
            // matches it: that arm only binds.
            boolean last = i == arms.size() - 1;
            Label next = last ? null : out.label();
            out.line(arm.pattern().span().line());
            test(arm.pattern(), m.slot(), st, List.of(), next);
            expr(arm.body());
            if (last) break;
            out.jump(Opcode.JUMP, end);
            out.bind(next);
        }
        out.bind(end);
    }

    /** Pushes the value at `path` below the scrutinee, in its own lane. */
    private void loadPath(int slot, Ty rootType, List<Step> path, Ty type) {
        if (path.isEmpty()) {
            load(slot, rootType);
            return;
        }
        out.op(Opcode.LOAD_R, slot);
        for (Step s : path) {
            if (s.field()) out.op(Opcode.GET_FIELD, s.owner(), s.index());
            else out.op(Opcode.PAYLOAD, s.owner(), s.index());
        }
        unbox(type);
    }

    private static List<Step> append(List<Step> path, Step s) {
        List<Step> out = new ArrayList<>(path);
        out.add(s);
        return out;
    }

    /**
     * Emits the tests of `p`, jumping to `fail` when the value does not match, and binds its
     * variables. With `fail` null the value is known to match: only the bindings are emitted.
     */
    private void test(TPattern p, int slot, Ty rootType, List<Step> path, Label fail) {
        if (fail == null && !binds(p)) return;
        switch (p) {
            case TPattern.Wild w -> {}
            case TPattern.Bind b -> {
                loadPath(slot, rootType, path, b.ty());
                store(b.slot(), b.ty());
            }
            case TPattern.Lit l -> {
                if (fail == null) return;
                loadPath(slot, rootType, path, l.ty());
                expr(l.value());
                Type t = Codegen.type(l.ty());
                out.op(t == Type.INT || t == Type.BOOL ? Opcode.EQ_INT : t == Type.FLOAT ? Opcode.EQ_FLT : Opcode.EQ_R);
                out.jump(Opcode.JUMP_IF_FALSE, fail);
            }
            case TPattern.Ctor c when c.kind() == TPattern.CtorKind.PATCH -> test(heldAs(c), slot, rootType, path, fail);
            case TPattern.Ctor c -> {
                if (fail != null) {
                    loadPath(slot, rootType, path, c.ty());
                    if (c.kind() == TPattern.CtorKind.BOOL) {
                        out.jump(c.tag() == 1 ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, fail);
                        return;
                    }
                    out.op(Opcode.VARIANT);
                    intConst(c.tag());
                    out.op(Opcode.EQ_INT);
                    out.jump(Opcode.JUMP_IF_FALSE, fail);
                }
                for (int i = 0; i < c.args().size(); i++) {
                    test(c.args().get(i), slot, rootType, append(path, new Step(false, c.tag(), i)), fail);
                }
            }
            case TPattern.Rec r -> {
                for (int i = 0; i < r.fields().size(); i++) {
                    test(r.patterns().get(i), slot, rootType, append(path, new Step(true, r.record(), r.fields().get(i))), fail);
                }
            }
        }
    }

    /**
     * A `Patch.…` pattern as the Option<Option<T>> the VM holds: `Patch.absent` is `none`,
     * `Patch.null` `some(none)`, `Patch.set(p)` `some(some(p))`.
     */
    private static TPattern heldAs(TPattern.Ctor c) {
        Ty inner = Ty.option(Ty.arg(c.ty(), 0));
        var none = new TPattern.Ctor(TPattern.CtorKind.OPTION, 0, "none", List.of(), inner, c.span());
        return switch (c.tag()) {
            case 0 -> new TPattern.Ctor(TPattern.CtorKind.OPTION, 0, "none", List.of(), c.ty(), c.span());
            case 1 -> new TPattern.Ctor(TPattern.CtorKind.OPTION, 1, "some", List.of(none), c.ty(), c.span());
            default -> new TPattern.Ctor(TPattern.CtorKind.OPTION, 1, "some",
                    List.of(new TPattern.Ctor(TPattern.CtorKind.OPTION, 1, "some", c.args(), inner, c.span())), c.ty(), c.span());
        };
    }

    private static boolean binds(TPattern p) {
        return switch (p) {
            case TPattern.Wild w -> false;
            case TPattern.Bind b -> true;
            case TPattern.Lit l -> false;
            case TPattern.Ctor c -> c.args().stream().anyMatch(FunctionGen::binds);
            case TPattern.Rec r -> r.patterns().stream().anyMatch(FunctionGen::binds);
        };
    }

    // ---- lambda operations -----------------------------------------------------------------

    private void lambdaOp(TExpr.LambdaOp l) {
        int[] t = l.temps();
        Ty recvTy = l.receiver().ty();
        switch (l.kind()) {
            case OPTION_MAP, OPTION_AND_THEN, RESULT_MAP, RESULT_MAP_ERR, RESULT_AND_THEN -> {
                sumLambda(l);
                return;
            }
            default -> {}
        }
        int list = t[0], index = t[1];
        Ty elem = Ty.arg(recvTy, 0);
        int x = l.params().get(l.kind() == TExpr.LambdaKind.FOLD ? 1 : 0);
        expr(l.receiver());
        out.op(Opcode.STORE_R, list);
        switch (l.kind()) {
            case MAP, FILTER, SORT_BY -> {
                Ty built = l.kind() == TExpr.LambdaKind.FILTER ? elem : l.body().ty(); // SORT_BY builds the keys
                out.op(Opcode.BUILDER_NEW, module.typeRef(Codegen.type(built)));
                out.op(Opcode.STORE_R, t[2]);
            }
            case FOLD -> {
                expr(l.extra());
                store(l.params().getFirst(), l.extra().ty());
            }
            default -> {}
        }
        out.op(Opcode.SMALL_INT, 0);
        out.op(Opcode.STORE_P, index);
        Label head = out.label(), end = out.label(), hit = out.label(), done = out.label();
        out.bind(head);
        loopTest(list, index, end);
        element(list, index, x, elem);
        switch (l.kind()) {
            case MAP, SORT_BY -> {
                out.op(Opcode.LOAD_R, t[2]);
                boxed(l.body());
                out.op(Opcode.BUILDER_ADD);
            }
            case FILTER -> {
                Label skip = out.label();
                expr(l.body());
                out.jump(Opcode.JUMP_IF_FALSE, skip);
                out.op(Opcode.LOAD_R, t[2]);
                load(x, elem);
                box(elem);
                out.op(Opcode.BUILDER_ADD);
                out.bind(skip);
            }
            case FOLD -> {
                expr(l.body());
                store(l.params().getFirst(), l.extra().ty());
            }
            case ANY, FIND -> {
                expr(l.body());
                out.jump(Opcode.JUMP_IF_TRUE, hit);
            }
            case ALL -> {
                expr(l.body());
                out.jump(Opcode.JUMP_IF_FALSE, hit);
            }
            default -> throw new IllegalStateException(l.kind() + " is not a list operation");
        }
        increment(index);
        out.jump(Opcode.LOOP, head);
        out.bind(end);
        switch (l.kind()) {
            case MAP, FILTER -> {
                out.op(Opcode.LOAD_R, t[2]);
                out.op(Opcode.BUILDER_LIST);
            }
            case SORT_BY -> {
                out.op(Opcode.LOAD_R, list);
                out.op(Opcode.LOAD_R, t[2]);
                out.op(Opcode.BUILDER_LIST);
                out.variable(Opcode.BUILTIN, 2, "R", Builtin.LIST_SORT_BY_KEYS.id());
            }
            case FOLD -> load(l.params().getFirst(), l.extra().ty());
            case ANY -> {
                out.op(Opcode.FALSE);
                out.jump(Opcode.JUMP, done);
                out.bind(hit);
                out.op(Opcode.TRUE);
                out.bind(done);
            }
            case ALL -> {
                out.op(Opcode.TRUE);
                out.jump(Opcode.JUMP, done);
                out.bind(hit);
                out.op(Opcode.FALSE);
                out.bind(done);
            }
            case FIND -> {
                out.op(Opcode.NONE);
                out.jump(Opcode.JUMP, done);
                out.bind(hit);
                load(x, elem);
                box(elem);
                out.op(Opcode.SOME);
                out.bind(done);
            }
            default -> throw new IllegalStateException(l.kind() + " is not a list operation");
        }
    }

    // ---- Option and Result operations --------------------------------------------------------

    /**
     * `map`, `andThen`, `mapErr` on an Option or a Result: the lambda runs on the payload of the
     * variant it applies to (some; ok; err for mapErr); the other variant passes through, rebuilt
     * (`err(e)` as a new `err(e)`: its ok type differs, and the verifier sees types, not variants).
     */
    private void sumLambda(TExpr.LambdaOp l) {
        int t = l.temps()[0];
        boolean option = l.kind() == TExpr.LambdaKind.OPTION_MAP || l.kind() == TExpr.LambdaKind.OPTION_AND_THEN;
        int tag = option ? 1 : l.kind() == TExpr.LambdaKind.RESULT_MAP_ERR ? 1 : 0; // the variant the lambda takes
        Label other = out.label(), done = out.label();
        expr(l.receiver());
        out.op(Opcode.STORE_R, t);
        out.op(Opcode.LOAD_R, t);
        out.op(Opcode.VARIANT);
        out.jump(tag == 1 ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, other);
        Ty param = Ty.arg(l.receiver().ty(), option ? 0 : tag);
        out.op(Opcode.LOAD_R, t);
        out.op(Opcode.PAYLOAD, tag, 0);
        unbox(param);
        store(l.params().getFirst(), param);
        switch (l.kind()) {
            case OPTION_MAP -> { boxed(l.body()); out.op(Opcode.SOME); }
            case RESULT_MAP -> { boxed(l.body()); out.op(Opcode.OK); }
            case RESULT_MAP_ERR -> { boxed(l.body()); out.op(Opcode.ERR); }
            default -> expr(l.body()); // andThen: the lambda's value is the result
        }
        out.jump(Opcode.JUMP, done);
        out.bind(other);
        if (option) {
            out.op(Opcode.NONE);
        } else {
            out.op(Opcode.LOAD_R, t);
            out.op(Opcode.PAYLOAD, 1 - tag, 0);
            out.op(tag == 0 ? Opcode.ERR : Opcode.OK);
        }
        out.bind(done);
    }

    /** `isOk()`, `isErr()`, `o.okOr(e)`, `r.getOr(v)`; an argument is evaluated before the test, whatever the variant. */
    private void sumOp(TExpr.SumOp s) {
        expr(s.receiver());
        switch (s.kind()) {
            case IS_OK -> { out.op(Opcode.VARIANT); out.op(Opcode.NOT); } // ok is 0
            case IS_ERR -> out.op(Opcode.VARIANT);
            case OK_OR, RESULT_GET_OR -> {
                int value = s.temps()[0], arg = s.temps()[1];
                boolean okOr = s.kind() == TExpr.SumKind.OK_OR;
                Ty argTy = s.arg().ty();
                out.op(Opcode.STORE_R, value);
                if (okOr) {
                    boxed(s.arg());
                    out.op(Opcode.STORE_R, arg);
                } else {
                    expr(s.arg());
                    store(arg, argTy);
                }
                Label fallback = out.label(), done = out.label();
                out.op(Opcode.LOAD_R, value);
                out.op(Opcode.VARIANT);
                out.jump(okOr ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, fallback); // none is 0; err is 1
                out.op(Opcode.LOAD_R, value);
                out.op(Opcode.PAYLOAD, okOr ? 1 : 0, 0);
                if (okOr) out.op(Opcode.OK);
                else unbox(s.ty());
                out.jump(Opcode.JUMP, done);
                out.bind(fallback);
                if (okOr) {
                    out.op(Opcode.LOAD_R, arg);
                    out.op(Opcode.ERR);
                } else {
                    load(arg, argTy);
                }
                out.bind(done);
            }
        }
    }

}
