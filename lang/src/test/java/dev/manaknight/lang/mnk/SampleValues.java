package dev.manaknight.lang.mnk;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Values;
import java.math.BigDecimal;
import java.util.List;

/**
 * Values of a module's declared types, built the way the runtime builds them (boxed Int, Float and
 * Bool; records and enums by type-table index): the arguments a fuzzed function is called with and
 * what a host that keeps its contract (a value of the operation's declared result type) answers.
 */
final class SampleValues implements Host {
    /** Nesting past which containers are empty and options none, so recursive types stay finite. */
    private static final int SHALLOW = 3;
    /** Nesting past which a type has no value at all (only a type with no finite value gets there). */
    private static final int DEEPEST = 12;

    /** The type has no finite value (`type A { a: A }`, which a mutated type table can declare). */
    static final class NoValue extends RuntimeException {
        NoValue() { super(null, null, false, false); }
    }

    private final Module module;

    SampleValues(Module module) {
        this.module = module;
    }

    /**
     * One argument per parameter of `f`, from its declared types (primitives as Long, Double, Boolean); NoValue when there
     * is none.
     */
    Object[] arguments(Function f) {
        var args = new Object[f.params().size()];
        for (int i = 0; i < args.length; i++) args[i] = of(f.params().get(i), 0);
        return args;
    }

    @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
        try {
            return of(op.result(), 0);
        } catch (NoValue e) {
            throw new EffectFailure("fuzz", op.result() + " has no value");
        }
    }

    Object of(Type type, int depth) {
        if (depth > DEEPEST) throw new NoValue();
        return switch (type) {
            case Type.Prim p -> switch (p) {
                case INT -> 3L;
                case FLOAT -> 1.5;
                case BOOL -> Boolean.TRUE;
                case DECIMAL -> new BigDecimal("2.50");
                case STRING -> "s";
                case UNIT -> Values.Unit.UNIT;
                case JSON -> new Values.MapValue(new String[] {"k"}, new Object[] {"v"});
                case INSTANT -> java.time.Instant.ofEpochMilli(1_767_323_045_000L);
                case DURATION -> java.time.Duration.ofMinutes(90);
                case SECRET -> dev.manaknight.lang.vm.Secret.of("s3cret");
            };
            case Type.ListOf l -> depth >= SHALLOW ? Values.ListValue.EMPTY
                    : new Values.ListValue(new Object[] {of(l.element(), depth + 1), of(l.element(), depth + 1)});
            case Type.MapOf m -> depth >= SHALLOW ? Values.MapValue.EMPTY
                    : new Values.MapValue(new String[] {"a"}, new Object[] {of(m.value(), depth + 1)});
            case Type.OptionOf o -> depth >= SHALLOW ? Values.None.NONE : new Values.Some(of(o.value(), depth + 1));
            case Type.PatchOf pa -> of(pa.heldAs(), depth);
            case Type.ResultOf r -> depth == 0 ? new Values.Ok(of(r.ok(), depth + 1)) : new Values.Err(of(r.err(), depth + 1));
            case Type.Named n -> named(n.name(), depth);
        };
    }

    private Object named(String name, int depth) {
        int t = module.typeIndex(name);
        if (t < 0) throw new NoValue(); // the verifier refuses a module that names an undeclared type
        return switch (module.types().get(t)) {
            case TypeDef.RecordDef r -> {
                var names = new String[r.fields().size()];
                var fields = new Object[names.length];
                for (int i = 0; i < names.length; i++) {
                    names[i] = r.fields().get(i).name();
                    fields[i] = of(r.fields().get(i).type(), depth + 1);
                }
                yield new Values.RecordValue(t, r.name(), names, fields);
            }
            case TypeDef.EnumDef e -> {
                if (e.variants().isEmpty()) throw new NoValue();
                // deep down, the variant with the fewest payload fields: a recursive enum ends in a leaf
                int best = 0;
                for (int v = 1; v < e.variants().size(); v++)
                    if (e.variants().get(v).fields().size() < e.variants().get(best).fields().size()) best = v;
                TypeDef.VariantDef v = e.variants().get(depth < SHALLOW ? 0 : best);
                List<TypeDef.FieldDef> fs = v.fields();
                var payload = new Object[fs.size()];
                for (int i = 0; i < payload.length; i++) payload[i] = of(fs.get(i).type(), depth + 1);
                yield new Values.EnumValue(t, e.variants().indexOf(v), v.name(), payload);
            }
        };
    }
}
