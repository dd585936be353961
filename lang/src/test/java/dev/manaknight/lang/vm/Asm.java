package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test-only fluent builder of hand-written modules: constants, types, effects and functions. */
final class Asm {
    static final String FILE = "test.mnk";

    private final List<Constant> constants = new ArrayList<>();
    private final List<TypeDef> types = new ArrayList<>();
    private final List<Type> typeRefs = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();
    private final List<EffectOp> effects = new ArrayList<>();

    int constant(Constant c) {
        int i = constants.indexOf(c);
        if (i >= 0) return i;
        constants.add(c);
        return constants.size() - 1;
    }

    int intConst(long v) { return constant(new Constant.IntConst(v)); }

    int floatConst(double v) { return constant(new Constant.FloatConst(v)); }

    int str(String v) { return constant(new Constant.StrConst(v)); }

    int dec(String v) { return constant(new Constant.DecConst(new BigDecimal(v))); }

    int record(String name, String... fields) {
        var defs = new ArrayList<TypeDef.FieldDef>();
        for (String f : fields) defs.add(new TypeDef.FieldDef(f, Type.INT));
        types.add(new TypeDef.RecordDef(name, defs));
        return types.size() - 1;
    }

    /** An enum; each variant is written `name` or `name/arity`. */
    int enumType(String name, String... variants) {
        var defs = new ArrayList<TypeDef.VariantDef>();
        for (String v : variants) {
            String[] parts = v.split("/");
            var fields = new ArrayList<TypeDef.FieldDef>();
            int arity = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            for (int i = 0; i < arity; i++) fields.add(new TypeDef.FieldDef("p" + i, Type.STRING));
            defs.add(new TypeDef.VariantDef(parts[0], fields));
        }
        types.add(new TypeDef.EnumDef(name, defs));
        return types.size() - 1;
    }

    int typeRef(Type t) {
        typeRefs.add(t);
        return typeRefs.size() - 1;
    }

    int effect(Capability cap, String name, int params, Type result) {
        var ps = new ArrayList<EffectOp.Param>();
        for (int i = 0; i < params; i++) ps.add(new EffectOp.Param("a" + i, Type.STRING));
        effects.add(new EffectOp(cap, name, ps, result, null));
        return effects.size() - 1;
    }

    /** Reserves a function index for forward or recursive calls; define it with {@code fn(..).at(i)}. */
    int reserve() {
        functions.add(null);
        return functions.size() - 1;
    }

    Fn fn(String name) { return new Fn(name); }

    Module module() {
        return new Module(constants, types, typeRefs, functions, effects, List.of(), List.of());
    }

    Program program() { return Program.trusted(module()); }

    /**
     * A type standing for a lane: these modules run trusted (unverified), so only the lane of a
     * parameter or result matters to the VM: Int for P, Json for R.
     */
    static Type laneType(Kind k) {
        return k == Kind.P ? Type.INT : Type.JSON;
    }

    /** One function under construction. */
    final class Fn {
        private final String name;
        private String params = "";
        private Kind result = Kind.R;
        private int locals = -1;
        private int stack = 32;
        private int at = -1;

        private Fn(String name) { this.name = name; }

        Fn params(String kinds) { params = kinds; return this; }

        Fn result(Kind k) { result = k; return this; }

        Fn locals(int n) { locals = n; return this; }

        Fn stack(int n) { stack = n; return this; }

        Fn at(int index) { at = index; return this; }

        int code(Consumer<CodeBuilder> body) {
            var c = new CodeBuilder();
            body.accept(c);
            var types = new ArrayList<Type>();
            for (char k : params.toCharArray()) types.add(laneType(Kind.valueOf(String.valueOf(k))));
            var f = new Function(name, FILE, types, laneType(result), Math.max(locals, types.size()), stack, 0, c.code(), c.lineTable());
            if (at >= 0) {
                functions.set(at, f);
                return at;
            }
            functions.add(f);
            return functions.size() - 1;
        }
    }
}
