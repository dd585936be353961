package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import java.util.HashMap;
import java.util.Map;

/** A module's declared {@link Type}s as the verifier's {@link VType}s: named types by type-table index. */
final class ModuleTypes {
    private final Map<String, Integer> index = new HashMap<>();
    private final Module module;

    ModuleTypes(Module module) {
        this.module = module;
        for (int i = 0; i < module.types().size(); i++) index.putIfAbsent(module.types().get(i).name(), i);
    }

    /** The type of a value held as a reference (an Int inside a list is a boxed Long); null when a name is not declared. */
    VType ref(Type t) {
        if (t == null) return null;
        return switch (t) {
            case Type.Prim p -> switch (p) {
                case INT -> VType.Scalar.INT;
                case FLOAT -> VType.Scalar.FLOAT;
                case BOOL -> VType.Scalar.BOOL;
                case STRING -> VType.Scalar.STRING;
                case DECIMAL -> VType.Scalar.DECIMAL;
                case UNIT -> VType.Scalar.UNIT;
                case JSON -> VType.Scalar.JSON;
                case INSTANT -> VType.Scalar.INSTANT;
                case DURATION -> VType.Scalar.DURATION;
                case SECRET -> VType.Scalar.SECRET;
            };
            case Type.ListOf l -> wrap(ref(l.element()), VType.ListOf::new);
            case Type.MapOf m -> wrap(ref(m.value()), VType.MapOf::new);
            case Type.OptionOf o -> wrap(ref(o.value()), VType.OptionOf::new);
            // The VM holds a Patch as an Option<Option<T>> (Type.PatchOf).
            case Type.PatchOf pa -> ref(pa.heldAs());
            case Type.ResultOf r -> {
                VType ok = ref(r.ok()), err = ref(r.err());
                yield ok == null || err == null ? null : new VType.ResultOf(ok, err);
            }
            case Type.Named n -> {
                Integer i = index.get(n.name());
                yield i == null ? null : new VType.Named(i, n.name());
            }
        };
    }

    /** The type of a value in its own lane: Int, Float and Bool in the primitive lane, the rest as {@link #ref}. */
    VType slot(Type t) {
        return t != null && t.kind() == dev.manaknight.lang.model.Kind.P ? VType.Prim.P : ref(t);
    }

    /** The record at index `t`, or null. */
    TypeDef.RecordDef record(int t) {
        return t >= 0 && t < module.types().size() && module.types().get(t) instanceof TypeDef.RecordDef r ? r : null;
    }

    /** The enum at index `t`, or null. */
    TypeDef.EnumDef enumDef(int t) {
        return t >= 0 && t < module.types().size() && module.types().get(t) instanceof TypeDef.EnumDef e ? e : null;
    }

    /** The index of `$Response` when the table declares it exactly as {@link TypeDef#RESPONSE}, else -1. */
    int response() {
        Integer i = index.get(TypeDef.RESPONSE.name());
        return i != null && module.types().get(i).equals(TypeDef.RESPONSE) ? i : -1;
    }

    private static VType wrap(VType inner, java.util.function.Function<VType, VType> make) {
        return inner == null ? null : make.apply(inner);
    }
}
