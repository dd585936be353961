package dev.manaknight.lang.mnk;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.Operand;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One random, plausible damage to a compiled module, the kind a crafted `.mkb` could carry: code
 * bytes, whole opcodes, operands, table indices, constants, type-table entries, function headers,
 * type references, effects and route inputs. Most damage keeps the code decodable, so that the
 * mutants reach the verifier's type rules rather than stopping at "not an opcode".
 */
final class Mutator {
    /** What was done, for the report of a failing mutant. */
    record Mutant(Module module, String description) {}

    private static final Opcode[] OPCODES = Opcode.values();

    private final Random random;

    Mutator(Random random) {
        this.random = random;
    }

    /** A mutant of `m`, or null when the chosen damage does not apply to it. */
    Mutant mutate(Module m) {
        return switch (random.nextInt(12)) {
            case 0 -> codeByte(m);
            case 1, 2 -> sameSizeOpcode(m);
            case 3, 4 -> operandByte(m);
            case 5 -> tableIndex(m);
            case 6 -> swapInstructions(m);
            case 7 -> typeTable(m);
            case 8 -> functionHeader(m);
            case 9 -> typeRef(m);
            case 10 -> effect(m);
            default -> random.nextBoolean() ? constant(m) : route(m);
        };
    }

    // --- code ---------------------------------------------------------------------------------

    private Mutant codeByte(Module m) {
        int f = random.nextInt(m.functions().size());
        byte[] code = m.functions().get(f).code().clone();
        if (code.length == 0) return null;
        int at = random.nextInt(code.length);
        code[at] = (byte) random.nextInt(256);
        return new Mutant(withCode(m, f, code), "F" + f + " byte " + at + " := " + (code[at] & 0xFF));
    }

    private Mutant sameSizeOpcode(Module m) {
        int f = random.nextInt(m.functions().size());
        byte[] code = m.functions().get(f).code().clone();
        List<Integer> starts = starts(code);
        if (starts.isEmpty()) return null;
        int pc = starts.get(random.nextInt(starts.size()));
        Opcode old = Opcode.of(code[pc] & 0xFF);
        var same = new ArrayList<Opcode>();
        for (Opcode o : OPCODES) if (o.size == old.size && o != old) same.add(o);
        if (same.isEmpty()) return null;
        Opcode now = same.get(random.nextInt(same.size()));
        code[pc] = now.code();
        return new Mutant(withCode(m, f, code), "F" + f + " at " + pc + " " + old + " := " + now);
    }

    private Mutant operandByte(Module m) {
        int f = random.nextInt(m.functions().size());
        byte[] code = m.functions().get(f).code().clone();
        var withOperands = new ArrayList<Integer>();
        for (int pc : starts(code)) if (Opcode.of(code[pc] & 0xFF).size > 1) withOperands.add(pc);
        if (withOperands.isEmpty()) return null;
        int pc = withOperands.get(random.nextInt(withOperands.size()));
        int at = pc + 1 + random.nextInt(Opcode.of(code[pc] & 0xFF).size - 1);
        int old = code[at] & 0xFF;
        code[at] = (byte) switch (random.nextInt(4)) {
            case 0 -> random.nextInt(4);
            case 1 -> old + 1;
            case 2 -> old - 1;
            default -> random.nextInt(256);
        };
        return new Mutant(withCode(m, f, code), "F" + f + " operand byte " + at + " of " + Opcode.of(code[pc] & 0xFF)
                + " at " + pc + ": " + old + " := " + (code[at] & 0xFF));
    }

    /** A 16-bit table index replaced by another index into the same kind of table (in range, maybe the wrong entry). */
    private Mutant tableIndex(Module m) {
        int f = random.nextInt(m.functions().size());
        byte[] code = m.functions().get(f).code().clone();
        var indexed = new ArrayList<Integer>();
        for (int pc : starts(code)) if (tableSize(m, Opcode.of(code[pc] & 0xFF)) > 0) indexed.add(pc);
        if (indexed.isEmpty()) return null;
        int pc = indexed.get(random.nextInt(indexed.size()));
        Opcode op = Opcode.of(code[pc] & 0xFF);
        int index = random.nextInt(tableSize(m, op));
        code[pc + 1] = (byte) (index >> 8);
        code[pc + 2] = (byte) index;
        return new Mutant(withCode(m, f, code), "F" + f + " at " + pc + " " + op + " index := " + index);
    }

    private static int tableSize(Module m, Opcode op) {
        if (op.operands.isEmpty() || op.operands.getFirst() != Operand.U16) return 0;
        return switch (op) {
            case CONST, CONST_INT, CONST_FLOAT, FAIL, EXPECT, EXPECT_FAILED -> m.constants().size();
            case RECORD_NEW, GET_FIELD, WITH_FIELD, ENUM_NEW -> m.types().size();
            case JSON, BUILDER_NEW -> m.typeRefs().size();
            case CALL -> m.functions().size();
            case EFFECT -> m.effects().size();
            case BUILTIN -> Builtin.values().length;
            default -> 0;
        };
    }

    /** Two adjacent instructions exchanged: the code keeps its length and its jump targets mostly land. */
    private Mutant swapInstructions(Module m) {
        int f = random.nextInt(m.functions().size());
        byte[] code = m.functions().get(f).code();
        List<Integer> starts = starts(code);
        if (starts.size() < 2) return null;
        int i = random.nextInt(starts.size() - 1);
        int a = starts.get(i), b = starts.get(i + 1);
        int end = i + 2 < starts.size() ? starts.get(i + 2) : code.length;
        byte[] out = code.clone();
        System.arraycopy(code, b, out, a, end - b);
        System.arraycopy(code, a, out, a + end - b, b - a);
        return new Mutant(withCode(m, f, out), "F" + f + " swapped the instructions at " + a + " and " + b);
    }

    // --- tables -------------------------------------------------------------------------------

    private Mutant typeTable(Module m) {
        if (m.types().isEmpty()) return null;
        int t = random.nextInt(m.types().size());
        var types = new ArrayList<>(m.types());
        String what;
        switch (types.get(t)) {
            case TypeDef.RecordDef r -> {
                var fields = new ArrayList<>(r.fields());
                what = fieldsMutation(m, fields);
                if (what == null) return null;
                types.set(t, new TypeDef.RecordDef(r.name(), fields));
            }
            case TypeDef.EnumDef e -> {
                var variants = new ArrayList<>(e.variants());
                if (variants.size() > 1 && random.nextInt(4) == 0) {
                    int a = random.nextInt(variants.size()), b = random.nextInt(variants.size());
                    TypeDef.VariantDef va = variants.get(a), vb = variants.get(b);
                    variants.set(a, new TypeDef.VariantDef(va.name(), vb.fields()));
                    variants.set(b, new TypeDef.VariantDef(vb.name(), va.fields()));
                    what = "payloads of variants " + a + " and " + b + " swapped";
                } else {
                    int v = random.nextInt(variants.size());
                    var fields = new ArrayList<>(variants.get(v).fields());
                    what = fieldsMutation(m, fields);
                    if (what == null) return null;
                    variants.set(v, new TypeDef.VariantDef(variants.get(v).name(), fields));
                    what = "variant " + v + ": " + what;
                }
                types.set(t, new TypeDef.EnumDef(e.name(), variants));
            }
        }
        return new Mutant(new Module(m.constants(), types, m.typeRefs(), m.functions(), m.effects(), m.routes(), m.tests(), m.settings()),
                "T" + t + " " + m.types().get(t).name() + ": " + what);
    }

    private String fieldsMutation(Module m, List<TypeDef.FieldDef> fields) {
        switch (fields.isEmpty() ? 0 : random.nextInt(4)) {
            case 0 -> {
                Type t = randomType(m, 0);
                fields.add(new TypeDef.FieldDef("extra", t));
                return "field extra: " + t + " added";
            }
            case 1 -> {
                fields.removeLast();
                return "last field dropped";
            }
            case 2 -> {
                int a = random.nextInt(fields.size()), b = random.nextInt(fields.size());
                TypeDef.FieldDef fa = fields.get(a), fb = fields.get(b);
                fields.set(a, new TypeDef.FieldDef(fa.name(), fb.type()));
                fields.set(b, new TypeDef.FieldDef(fb.name(), fa.type()));
                return "types of fields " + a + " and " + b + " swapped";
            }
            default -> {
                int i = random.nextInt(fields.size());
                Type t = randomType(m, 0);
                fields.set(i, new TypeDef.FieldDef(fields.get(i).name(), t));
                return "field " + i + " := " + t;
            }
        }
    }

    private Mutant functionHeader(Module m) {
        int f = random.nextInt(m.functions().size());
        Function fn = m.functions().get(f);
        var params = new ArrayList<>(fn.params());
        Type result = fn.result();
        int locals = fn.locals(), maxStack = fn.maxStack(), caps = fn.capabilities();
        String what;
        switch (random.nextInt(5)) {
            case 0 -> {
                if (params.isEmpty()) return null;
                int i = random.nextInt(params.size());
                params.set(i, randomType(m, 0));
                what = "parameter " + i + " := " + params.get(i);
            }
            case 1 -> {
                result = randomType(m, 0);
                what = "result := " + result;
            }
            case 2 -> {
                locals = Math.max(0, locals + random.nextInt(5) - 2);
                what = "locals := " + locals;
            }
            case 3 -> {
                maxStack = Math.max(0, maxStack + random.nextInt(5) - 2);
                what = "maxStack := " + maxStack;
            }
            default -> {
                caps = random.nextInt(16);
                what = "capabilities := " + caps;
            }
        }
        var fns = new ArrayList<>(m.functions());
        fns.set(f, new Function(fn.name(), fn.file(), params, result, locals, maxStack, caps, fn.code(), fn.lines()));
        return new Mutant(new Module(m.constants(), m.types(), m.typeRefs(), fns, m.effects(), m.routes(), m.tests(), m.settings()),
                "F" + f + " header: " + what);
    }

    private Mutant typeRef(Module m) {
        if (m.typeRefs().isEmpty()) return null;
        int j = random.nextInt(m.typeRefs().size());
        var refs = new ArrayList<>(m.typeRefs());
        refs.set(j, randomType(m, 0));
        return new Mutant(new Module(m.constants(), m.types(), refs, m.functions(), m.effects(), m.routes(), m.tests(), m.settings()),
                "J" + j + " := " + refs.get(j));
    }

    private Mutant effect(Module m) {
        if (m.effects().isEmpty()) return null;
        int e = random.nextInt(m.effects().size());
        EffectOp op = m.effects().get(e);
        var params = new ArrayList<>(op.params());
        Type result = op.result();
        String what;
        if (!params.isEmpty() && random.nextBoolean()) {
            int i = random.nextInt(params.size());
            params.set(i, new EffectOp.Param(params.get(i).name(), randomType(m, 0)));
            what = "parameter " + i + " := " + params.get(i).type();
        } else {
            result = randomType(m, 0);
            what = "result := " + result;
        }
        var effects = new ArrayList<>(m.effects());
        effects.set(e, new EffectOp(op.capability(), op.name(), params, result, op.sql()));
        return new Mutant(new Module(m.constants(), m.types(), m.typeRefs(), m.functions(), effects, m.routes(), m.tests(), m.settings()),
                "E" + e + " " + op.qualifiedName() + ": " + what);
    }

    private Mutant constant(Module m) {
        if (m.constants().isEmpty()) return null;
        int k = random.nextInt(m.constants().size());
        Constant c = switch (random.nextInt(4)) {
            case 0 -> new Constant.IntConst(random.nextInt(5) - 1);
            case 1 -> new Constant.FloatConst(0.5);
            case 2 -> new Constant.StrConst("x");
            default -> new Constant.DecConst(BigDecimal.TEN);
        };
        var constants = new ArrayList<>(m.constants());
        constants.set(k, c);
        return new Mutant(new Module(constants, m.types(), m.typeRefs(), m.functions(), m.effects(), m.routes(), m.tests(), m.settings()),
                "#" + k + " := " + c);
    }

    private Mutant route(Module m) {
        if (m.routes().isEmpty()) return null;
        int i = random.nextInt(m.routes().size());
        Route r = m.routes().get(i);
        var inputs = new ArrayList<>(r.inputs());
        int handler = r.handler();
        String what;
        if (!inputs.isEmpty() && random.nextBoolean()) {
            int k = random.nextInt(inputs.size());
            Route.Input in = inputs.get(k);
            inputs.set(k, new Route.Input(in.source(), in.name(), in.wireName(), randomType(m, 0), in.defaultValue()));
            what = "input " + k + " := " + inputs.get(k).type();
        } else {
            handler = random.nextInt(m.functions().size());
            what = "handler := F" + handler;
        }
        var routes = new ArrayList<>(m.routes());
        routes.set(i, new Route(r.method(), r.path(), handler, inputs, r.capabilities(), r.responses(), r.file(), r.line()));
        return new Mutant(new Module(m.constants(), m.types(), m.typeRefs(), m.functions(), m.effects(), routes, m.tests(), m.settings()),
                "route " + r.method() + " " + r.path() + ": " + what);
    }

    // --- helpers ------------------------------------------------------------------------------

    /** A type of the module's world: a scalar, a declared type, or a container of those. */
    Type randomType(Module m, int depth) {
        int pick = random.nextInt(depth > 1 ? 8 : 12);
        return switch (pick) {
            case 0 -> Type.INT;
            case 1 -> Type.STRING;
            case 2 -> Type.DECIMAL;
            case 3 -> Type.BOOL;
            case 4 -> Type.FLOAT;
            case 5 -> Type.UNIT;
            case 6 -> Type.JSON;
            case 7 -> m.types().isEmpty() ? Type.STRING : new Type.Named(m.types().get(random.nextInt(m.types().size())).name());
            case 8 -> new Type.ListOf(randomType(m, depth + 1));
            case 9 -> new Type.OptionOf(randomType(m, depth + 1));
            case 10 -> new Type.MapOf(randomType(m, depth + 1));
            default -> new Type.ResultOf(randomType(m, depth + 1), randomType(m, depth + 1));
        };
    }

    /** Instruction starts of well-formed code, up to the first byte that does not decode. */
    private static List<Integer> starts(byte[] code) {
        var out = new ArrayList<Integer>();
        int pc = 0;
        while (pc < code.length) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null || pc + op.size > code.length) break;
            out.add(pc);
            pc += op.size;
        }
        return out;
    }

    private static Module withCode(Module m, int f, byte[] code) {
        Function fn = m.functions().get(f);
        var fns = new ArrayList<>(m.functions());
        fns.set(f, new Function(fn.name(), fn.file(), fn.params(), fn.result(), fn.locals(), fn.maxStack(), fn.capabilities(),
                code, fn.lines()));
        return new Module(m.constants(), m.types(), m.typeRefs(), fns, m.effects(), m.routes(), m.tests(), m.settings());
    }
}
