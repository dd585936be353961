package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.types.Capability;
import dev.manaknight.lang.types.Type;
import java.util.List;

/**
 * An operation reached through {@code EFFECT op}: a declared query (`db.findUser`) or a built-in
 * effect (`log.info`, `clock.now`, `random.uuid`). The host implements it.
 *
 * @param sql the query text for `db` operations, else null
 */
public record EffectOp(Capability capability, String name, List<Param> params, Type result, String sql) {
    public EffectOp {
        params = List.copyOf(params);
    }

    public record Param(String name, Type type) {}

    /** `db.findUser` */
    public String qualifiedName() { return capability.sourceName() + "." + name; }
}
