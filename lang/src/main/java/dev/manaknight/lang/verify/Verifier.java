package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.QueryTypes;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.Setting;
import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.model.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/** Checks a module before anything runs and returns every problem it finds (see verifier.md). */
public final class Verifier {
    /** Every bit a capability set may have. */
    static final int ALL_CAPABILITIES = allCapabilities();

    private final Module module;
    private final ModuleTypes types;
    private final List<VerifyError> errors = new ArrayList<>();
    private final Set<String> typeNames = new HashSet<>();
    /** False once some type names a record or enum that is not declared: then code is not typed. */
    private boolean typesResolve = true;

    private Verifier(Module module) {
        this.module = module;
        this.types = new ModuleTypes(module);
    }

    /** Every problem of the module, module-level ones first, then per function in index order; empty when it is sound. */
    public static List<VerifyError> verify(Module module) {
        var v = new Verifier(module);
        v.run();
        return List.copyOf(v.errors);
    }

    private void run() {
        tableSizes();
        typeTable();
        for (int i = 0; i < module.typeRefs().size(); i++) typeResolves(module.typeRefs().get(i), "type reference J" + i);
        effects();
        settings();
        signatures();
        routeTypes();
        var summaries = new ArrayList<CodeVerifier.Summary>();
        for (int i = 0; i < module.functions().size(); i++)
            summaries.add(CodeVerifier.verify(module, types, i, typesResolve, errors));
        routes(summaries);
        tests();
        requestsOutsideTests(summaries);
        responsesOutsideHandlers(summaries);
    }

    private void tableSizes() {
        size("constant pool", module.constants().size(), Limits.MAX_INDEX);
        size("type table", module.types().size(), Limits.MAX_INDEX);
        size("type references", module.typeRefs().size(), Limits.MAX_INDEX);
        size("function table", module.functions().size(), Limits.MAX_INDEX);
        size("effect table", module.effects().size(), Limits.MAX_INDEX);
        size("route table", module.routes().size(), Limits.MAX_ENTRIES);
        size("test table", module.tests().size(), Limits.MAX_ENTRIES);
        size("config table", module.settings().size(), Limits.MAX_INDEX);
    }

    private void size(String what, int size, int limit) {
        if (size > limit) error("the " + what + " has " + size + " entries, more than " + limit);
    }

    // --- types ---------------------------------------------------------------------------------

    private void typeTable() {
        for (TypeDef t : module.types()) {
            if (!typeNames.add(t.name())) error("type " + t.name() + " is declared twice in the type table");
            // the runtime builds DbError values for queries that declare it: the shape must be its own
            if (t.name().equals(TypeDef.DB_ERROR.name()) && !t.equals(TypeDef.DB_ERROR))
                error("type DbError is not the built-in enum DbError (TypeDef.DB_ERROR), whose values the runtime builds");
        }
        for (int i = 0; i < module.types().size(); i++) {
            switch (module.types().get(i)) {
                case TypeDef.RecordDef r -> {
                    String where = "record T" + i + " " + r.name();
                    if (r.fields().size() > Limits.MAX_FIELDS)
                        error(where + " has " + r.fields().size() + " fields, more than Limits.MAX_FIELDS (" + Limits.MAX_FIELDS + ")");
                    fields(r.fields(), where);
                }
                case TypeDef.EnumDef e -> {
                    String where = "enum T" + i + " " + e.name();
                    if (e.variants().isEmpty()) error(where + " has no variants");
                    if (e.variants().size() > Limits.MAX_VARIANTS)
                        error(where + " has " + e.variants().size() + " variants, more than Limits.MAX_VARIANTS (" + Limits.MAX_VARIANTS + ")");
                    var names = new HashSet<String>();
                    for (TypeDef.VariantDef v : e.variants()) {
                        if (!names.add(v.name())) error(where + " declares variant " + v.name() + " twice");
                        if (v.fields().size() > Limits.MAX_FIELDS)
                            error(where + " variant " + v.name() + " has " + v.fields().size() + " payload fields, more than "
                                    + "Limits.MAX_FIELDS (" + Limits.MAX_FIELDS + ")");
                        fields(v.fields(), where + " variant " + v.name());
                    }
                }
            }
        }
    }

    private void fields(List<TypeDef.FieldDef> fields, String where) {
        var names = new HashSet<String>();
        for (TypeDef.FieldDef f : fields) {
            if (!names.add(f.name())) error(where + " declares field " + f.name() + " twice");
            typeResolves(f.type(), where + " field " + f.name());
        }
    }

    /** Every named type inside `t` is in the type table, and no Secret is anywhere in it. */
    private void typeResolves(Type t, String where) {
        typeResolves(t, where, false);
    }

    /**
     * Every named type inside `t` is in the type table; a Secret only as `t` itself where
     * `secretAllowed` (a function's parameter or result, a config key): a Secret inside a
     * container, a record, a response or JSON could be turned into text.
     */
    private void typeResolves(Type t, String where, boolean secretAllowed) {
        if (t != null && t != Type.SECRET || !secretAllowed) secretInside(t, where);
        if (t == null) {
            error(where + " has no type");
            typesResolve = false;
            return;
        }
        var work = new ArrayDeque<Type>();
        work.push(t);
        while (!work.isEmpty()) {
            Type u = work.pop();
            if (u instanceof Type.Named n && !typeNames.contains(n.name())) {
                error(where + " names type " + n.name() + ", which is not in the type table");
                typesResolve = false;
            }
            for (Type c : u.children()) work.push(c);
        }
    }

    private void secretInside(Type t, String where) {
        if (t == null) return;
        var work = new ArrayDeque<Type>();
        work.push(t);
        while (!work.isEmpty()) {
            Type u = work.pop();
            if (u == Type.SECRET) {
                error(where + " holds a Secret, which only a function's parameter or result or a config key may be");
                return;
            }
            for (Type c : u.children()) work.push(c);
        }
    }

    /** Config keys: unique names, a type the runtime reads from text, a default of that type; a Secret has none. */
    private void settings() {
        var names = new HashSet<String>();
        for (int i = 0; i < module.settings().size(); i++) {
            Setting s = module.settings().get(i);
            String where = "config key K" + i + " " + s.name();
            if (!names.add(s.name())) error(where + " is declared twice");
            if (!Setting.TYPES.contains(s.type())) {
                error(where + " is " + s.type() + "; a config key is Int, Decimal, Bool, String or Secret");
                continue;
            }
            Constant d = s.defaultValue();
            if (d == null) continue;
            boolean fits = switch (d) {
                case Constant.IntConst c -> s.type() == Type.INT || s.type() == Type.BOOL && (c.value() == 0 || c.value() == 1);
                case Constant.DecConst c -> s.type() == Type.DECIMAL;
                case Constant.StrConst c -> s.type() == Type.STRING;
                case Constant.FloatConst c -> false;
            };
            if (s.type() == Type.SECRET) error(where + " is a Secret with a default: a secret is never in a module");
            else if (!fits) error(where + ": the default " + show(d) + " does not fit " + s.type());
        }
    }

    /** Every function's parameter and result types resolve (the code is typed from them). */
    private void signatures() {
        for (int i = 0; i < module.functions().size(); i++) {
            Function f = module.functions().get(i);
            String where = "F" + i + " `" + f.name() + "`";
            if (f.params() != null)
                for (int p = 0; p < f.params().size(); p++) typeResolves(f.params().get(p), where + " parameter " + p, true);
            typeResolves(f.result(), where + " result", true);
        }
    }

    // --- effects, routes, tests ----------------------------------------------------------------

    private void effects() {
        for (int i = 0; i < module.effects().size(); i++) {
            EffectOp e = module.effects().get(i);
            String where = "effect E" + i + " " + e.qualifiedName();
            if (e.params().size() > Limits.MAX_PARAMS)
                error(where + " has " + e.params().size() + " parameters, more than Limits.MAX_PARAMS (" + Limits.MAX_PARAMS + ")");
            for (EffectOp.Param p : e.params()) typeResolves(p.type(), where + " parameter " + p.name());
            typeResolves(e.result(), where + " result");
            if (e.capability() == Capability.DB) query(e, where);
            else if (!EffectOp.BUILT_IN.contains(e)) error(where + builtInMismatch(e));
        }
    }

    /** What the runtime refuses at start (an SQL parameter that names no parameter) or cannot bind and map. */
    private void query(EffectOp e, String where) {
        if (e.sql() == null) {
            error(where + " is a query without SQL text");
            return;
        }
        var names = new HashSet<String>();
        for (EffectOp.Param p : e.params()) {
            if (!names.add(p.name())) error(where + " declares parameter " + p.name() + " twice");
            if (p.type() != null && !QueryTypes.param(p.type(),
                    name -> types.enumDef(module.typeIndex(name)) instanceof TypeDef.EnumDef en && en.plain()))
                error(where + " parameter " + p.name() + " is " + p.type() + ", which cannot be bound to SQL");
        }
        if (e.result() != null && !QueryTypes.result(e.result(), name -> types.record(module.typeIndex(name)) != null))
            error(where + " result " + e.result() + " cannot be mapped from rows");
        for (SqlPlaceholders.Placeholder ph : SqlPlaceholders.scan(e.sql()))
            if (!names.contains(ph.name())) error(where + ": the SQL names `:" + ph.name() + "`, which is not a parameter");
    }

    /** Why a non-db effect is not one the runtime implements. */
    private static String builtInMismatch(EffectOp e) {
        if (e.sql() != null) return " is not a db operation but carries SQL text";
        for (EffectOp b : EffectOp.BUILT_IN)
            if (b.capability() == e.capability() && b.name().equals(e.name()))
                return " is declared as " + signature(e) + ", but the runtime's is " + signature(b);
        return " is not an operation the runtime has (" + EffectOp.BUILT_IN.stream().map(EffectOp::qualifiedName).toList() + ")";
    }

    private static String signature(EffectOp e) {
        return "(" + String.join(", ", e.params().stream().map(p -> p.name() + ": " + p.type()).toList()) + "): " + e.result();
    }

    /**
     * Route inputs: their types resolve, their defaults are what the runtime can turn into them,
     * and a `raw` input is the String the runtime hands it.
     */
    private void routeTypes() {
        for (Route r : module.routes()) {
            String where = "route " + r.method() + " " + r.path();
            for (Route.Input in : r.inputs()) {
                typeResolves(in.type(), where + " input " + in.name());
                if (in.source() == Route.Source.RAW && in.type() != Type.STRING)
                    error(where + " input " + in.name() + ": a raw input is a String, not " + in.type());
                if (in.defaultValue() != null && in.type() != null && !defaultFits(in))
                    error(where + " input " + in.name() + ": the default " + show(in.defaultValue()) + " does not fit "
                            + in.type());
            }
        }
    }

    /**
     * A default as the runtime reads it (input/TextValues.fromConstant): for a scalar or plain
     * enum input, or an Option of one, never for a body; a Bool from an Int (0/1) or "true"/"false",
     * a Decimal or a Float also from an Int, an enum from the name of one of its variants.
     */
    private boolean defaultFits(Route.Input in) {
        if (in.source() == Route.Source.BODY || in.source() == Route.Source.RAW) return false;
        Type base = in.type() instanceof Type.OptionOf o ? o.value() : in.type();
        return switch (in.defaultValue()) {
            case Constant.IntConst i -> base == Type.INT || base == Type.BOOL || base == Type.DECIMAL || base == Type.FLOAT;
            case Constant.FloatConst f -> base == Type.FLOAT;
            case Constant.DecConst d -> base == Type.DECIMAL;
            case Constant.StrConst str -> base == Type.STRING
                    || base == Type.BOOL && (str.value().equals("true") || str.value().equals("false"))
                    || base instanceof Type.Named n && types.enumDef(module.typeIndex(n.name())) instanceof TypeDef.EnumDef e
                            && e.plain() && e.variantIndex(str.value()) >= 0;
        };
    }

    private static String show(Constant c) {
        return switch (c) {
            case Constant.IntConst i -> Long.toString(i.value());
            case Constant.FloatConst f -> Double.toString(f.value());
            case Constant.StrConst str -> '"' + str.value() + '"';
            case Constant.DecConst d -> d.value().toPlainString();
        };
    }

    private void routes(List<CodeVerifier.Summary> summaries) {
        var seen = new HashSet<String>();
        for (Route r : module.routes()) {
            String where = "route " + r.method() + " " + r.path();
            if (!seen.add(r.method() + " " + r.path())) error(where + " is declared twice");
            if (r.path() == null || !r.path().startsWith("/")) error(where + ": the path must start with /");
            if ((r.capabilities() & ~ALL_CAPABILITIES) != 0)
                error(where + String.format(": capability bits 0x%X name no capability", r.capabilities() & ~ALL_CAPABILITIES));
            for (Route.Response resp : r.responses()) {
                if (resp.status() != 0 && (resp.status() < 100 || resp.status() > 599))
                    error(where + " declares response status " + resp.status() + ", outside 100..599");
                if (resp.type() != null) typeResolves(resp.type(), where + " response " + resp.status());
                else if (resp.body() == Route.BodyKind.JSON) error(where + " response " + resp.status() + " is JSON without a type");
            }
            Function handler = function(r.handler(), where + ": handler");
            if (handler == null) continue;
            var inputTypes = new ArrayList<Type>();
            for (Route.Input in : r.inputs()) inputTypes.add(in.type());
            if (!inputTypes.equals(handler.params()))
                error(where + ": handler F" + r.handler() + " `" + handler.name() + "` takes " + handler.params()
                        + " but the inputs are " + inputTypes);
            for (int pc : summaries.get(r.handler()).returnPcs())
                errors.add(new VerifyError(r.handler(), pc, where + ": handler F" + r.handler() + " `" + handler.name()
                        + "` returns at " + offset(pc) + "; a handler ends every path with RESPOND"));
            int missing = handler.capabilities() & ~r.capabilities();
            if (missing != 0)
                error(where + ": handler F" + r.handler() + " uses " + capabilityNames(missing) + ", which the route does not declare");
        }
    }

    private void tests() {
        for (TestCase t : module.tests()) {
            String where = "test \"" + t.name() + "\"";
            Function f = function(t.function(), where);
            if (f == null) continue;
            if (f.params() != null && !f.params().isEmpty())
                error(where + ": function F" + t.function() + " `" + f.name() + "` takes parameters " + f.params() + "; a test takes none");
            int missing = f.capabilities() & ~t.capabilities();
            if (missing != 0) error(where + ": function F" + t.function() + " uses " + capabilityNames(missing) + ", which the test does not declare");
        }
    }

    /** `REQUEST` is for tests: no function a route handler can reach may contain it. */
    private void requestsOutsideTests(List<CodeVerifier.Summary> summaries) {
        forbidden(module.routes().stream().map(Route::handler).toList(), summaries, CodeVerifier.Summary::requestPcs,
                "test requests are not allowed in code a route handler can reach");
    }

    /**
     * `RESPOND` is for handlers and the guards they call: no function a test can reach may respond
     * (a test's run must end by returning, so that its expectations are what it reports).
     */
    private void responsesOutsideHandlers(List<CodeVerifier.Summary> summaries) {
        forbidden(module.tests().stream().map(TestCase::function).toList(), summaries, CodeVerifier.Summary::respondPcs,
                "a response is not allowed in code a test can reach");
    }

    /** Reports each instruction `pcs` lists in a function reachable from `roots`, by its opcode: `message` says why. */
    private void forbidden(List<Integer> roots, List<CodeVerifier.Summary> summaries,
                           java.util.function.Function<CodeVerifier.Summary, List<Integer>> pcs, String message) {
        BitSet reached = reachedFrom(roots, summaries);
        for (int f = reached.nextSetBit(0); f >= 0; f = reached.nextSetBit(f + 1)) {
            for (int pc : pcs.apply(summaries.get(f)))
                errors.add(new VerifyError(f, pc, "F" + f + " `" + module.functions().get(f).name() + "` at " + offset(pc) + " "
                        + Opcode.of(module.functions().get(f).code()[pc] & 0xFF) + ": " + message));
        }
    }

    /** The functions reachable through CALL from `roots` (indices out of range are skipped: reported elsewhere). */
    private static BitSet reachedFrom(List<Integer> roots, List<CodeVerifier.Summary> summaries) {
        var reached = new BitSet();
        var work = new ArrayDeque<Integer>();
        for (int root : roots) {
            if (root >= 0 && root < summaries.size() && !reached.get(root)) {
                reached.set(root);
                work.push(root);
            }
        }
        while (!work.isEmpty()) {
            BitSet calls = summaries.get(work.pop()).calls();
            for (int f = calls.nextSetBit(0); f >= 0; f = calls.nextSetBit(f + 1)) {
                if (f < summaries.size() && !reached.get(f)) {
                    reached.set(f);
                    work.push(f);
                }
            }
        }
        return reached;
    }

    private Function function(int index, String where) {
        if (index < 0 || index >= module.functions().size()) {
            error(where + " names function F" + index + ", outside the function table (" + module.functions().size() + " entries)");
            return null;
        }
        return module.functions().get(index);
    }

    private void error(String message) {
        errors.add(new VerifyError(-1, -1, message));
    }

    /** A code offset as the disassembler prints it: `0042`. */
    static String offset(int pc) {
        String digits = Integer.toString(pc);
        return digits.length() >= 4 ? digits : "0".repeat(4 - digits.length()) + digits;
    }

    /** `{ db, log }` for a capability bit set. */
    static String capabilityNames(int bits) {
        var names = new StringJoiner(", ", "{ ", " }");
        for (Capability c : Capability.values()) if ((bits & c.bit()) != 0) names.add(c.sourceName());
        return names.toString();
    }

    private static int allCapabilities() {
        int bits = 0;
        for (Capability c : Capability.values()) bits |= c.bit();
        return bits;
    }
}
