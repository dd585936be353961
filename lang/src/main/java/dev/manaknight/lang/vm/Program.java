package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.verify.Verifier;
import dev.manaknight.lang.verify.VerifyException;

/**
 * A verified module in the form the interpreter runs: constants split into lanes, functions in
 * arrays. Immutable and shared by every request; building one is the per-deploy cost, not a
 * per-request one. The arrays are package-private and never written after construction.
 */
public final class Program {
    private final Module module;

    // Functions, by index.
    final Function[] functions;
    final byte[][] code;
    final int[] paramCount;
    final boolean[][] paramIsRef;
    final boolean[] resultIsRef;
    final int[] locals;
    /** Slots a frame needs above its base: locals plus the verifier's maximum operand depth. */
    final int[] frameSize;

    // Constants: Int values and Float bits in the primitive lane, Strings and Decimals in the other.
    final long[] primConsts;
    final Object[] refConsts;

    // Type table: records' field names; enums' variant names, arities and payload-less singletons.
    final String[] typeNames;
    final String[][] fieldNames;
    final String[][] variantNames;
    final int[][] variantArity;
    final Values.EnumValue[][] plainVariants;
    /** The declarations themselves, for what walks a value by its fields' types (`Json.from`). */
    final TypeDef[] typeDefs;

    final Type[] typeRefs;
    final EffectOp[] effects;

    /**
     * Config keys' values by index: a Long for an Int or a Bool (0/1), a BigDecimal, a String or
     * a {@link Secret}; null for a key without a default that no configuration gave yet.
     */
    final Object[] settings;

    private Program(Module module) {
        this.module = module;
        int nf = module.functions().size();
        functions = module.functions().toArray(Function[]::new);
        code = new byte[nf][];
        paramCount = new int[nf];
        paramIsRef = new boolean[nf][];
        resultIsRef = new boolean[nf];
        locals = new int[nf];
        frameSize = new int[nf];
        for (int i = 0; i < nf; i++) {
            Function f = functions[i];
            code[i] = f.code();
            paramCount[i] = f.params().size();
            paramIsRef[i] = new boolean[paramCount[i]];
            for (int j = 0; j < paramCount[i]; j++) paramIsRef[i][j] = f.params().get(j).kind() == Kind.R;
            resultIsRef[i] = f.resultKind() == Kind.R;
            locals[i] = Math.max(f.locals(), paramCount[i]);
            frameSize[i] = locals[i] + f.maxStack();
        }

        int nc = module.constants().size();
        primConsts = new long[nc];
        refConsts = new Object[nc];
        for (int i = 0; i < nc; i++) {
            switch (module.constants().get(i)) {
                case Constant.IntConst c -> primConsts[i] = c.value();
                case Constant.FloatConst c -> primConsts[i] = Double.doubleToRawLongBits(c.value());
                case Constant.StrConst c -> refConsts[i] = c.value();
                case Constant.DecConst c -> refConsts[i] = c.value();
            }
        }

        int nt = module.types().size();
        typeDefs = module.types().toArray(TypeDef[]::new);
        typeNames = new String[nt];
        fieldNames = new String[nt][];
        variantNames = new String[nt][];
        variantArity = new int[nt][];
        plainVariants = new Values.EnumValue[nt][];
        Object[] noPayload = new Object[0];
        for (int t = 0; t < nt; t++) {
            TypeDef def = module.types().get(t);
            typeNames[t] = def.name();
            switch (def) {
                case TypeDef.RecordDef rec -> {
                    fieldNames[t] = new String[rec.fields().size()];
                    for (int i = 0; i < fieldNames[t].length; i++) fieldNames[t][i] = rec.fields().get(i).name();
                }
                case TypeDef.EnumDef en -> {
                    int nv = en.variants().size();
                    variantNames[t] = new String[nv];
                    variantArity[t] = new int[nv];
                    plainVariants[t] = new Values.EnumValue[nv];
                    for (int v = 0; v < nv; v++) {
                        TypeDef.VariantDef vd = en.variants().get(v);
                        variantNames[t][v] = vd.name();
                        variantArity[t][v] = vd.fields().size();
                        if (vd.fields().isEmpty()) plainVariants[t][v] = new Values.EnumValue(t, v, vd.name(), noPayload);
                    }
                }
            }
        }

        typeRefs = module.typeRefs().toArray(Type[]::new);
        effects = module.effects().toArray(EffectOp[]::new);
        settings = new Object[module.settings().size()];
        for (int i = 0; i < settings.length; i++) {
            Constant d = module.settings().get(i).defaultValue();
            settings[i] = d == null ? null : switch (d) {
                case Constant.IntConst c -> c.value();
                case Constant.FloatConst c -> null; // the verifier refuses it
                case Constant.StrConst c -> c.value();
                case Constant.DecConst c -> c.value();
            };
        }
    }

    /** The same program with other config values; every array but {@link #settings} is shared. */
    private Program(Program base, Object[] settings) {
        module = base.module;
        functions = base.functions;
        code = base.code;
        paramCount = base.paramCount;
        paramIsRef = base.paramIsRef;
        resultIsRef = base.resultIsRef;
        locals = base.locals;
        frameSize = base.frameSize;
        primConsts = base.primConsts;
        refConsts = base.refConsts;
        typeNames = base.typeNames;
        fieldNames = base.fieldNames;
        variantNames = base.variantNames;
        variantArity = base.variantArity;
        plainVariants = base.plainVariants;
        typeDefs = base.typeDefs;
        typeRefs = base.typeRefs;
        effects = base.effects;
        this.settings = settings;
    }

    /**
     * This program with its config keys' values, one per {@link Module#settings} entry in order:
     * a Long for an Int, a Boolean for a Bool, a BigDecimal, a String, or a {@link Secret}.
     *
     * @throws IllegalArgumentException when a value is missing or not of its key's type
     */
    public Program withConfig(java.util.List<Object> values) {
        var keys = module.settings();
        if (values.size() != keys.size())
            throw new IllegalArgumentException(values.size() + " config values for " + keys.size() + " keys");
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            Type t = keys.get(i).type();
            out[i] = switch (v) {
                case Long l when t == Type.INT -> l;
                case Boolean b when t == Type.BOOL -> b ? 1L : 0L;
                case java.math.BigDecimal d when t == Type.DECIMAL -> d;
                case String s when t == Type.STRING -> s;
                case Secret s when t == Type.SECRET -> s;
                case null, default -> throw new IllegalArgumentException("config key " + keys.get(i).name() + " is " + t
                        + ", not " + (v == null ? "missing" : v.getClass().getSimpleName()));
            };
        }
        return new Program(this, out);
    }

    /** Verifies, then prepares. */
    public static Program load(Module module) throws VerifyException {
        var errors = Verifier.verify(module);
        if (!errors.isEmpty()) throw new VerifyException(errors);
        return new Program(module);
    }

    /** Prepares without verifying: only for modules this process just compiled or built by hand in tests. */
    public static Program trusted(Module module) {
        return new Program(module);
    }

    public Module module() { return module; }

    /** The shared value of a payload-less enum variant (what `ENUM_NEW T f` pushes for it). */
    public Values.EnumValue plainVariant(int type, int variant) { return plainVariants[type][variant]; }
}
