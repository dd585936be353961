package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import java.util.List;

/**
 * An operation reached through {@code EFFECT op}: a declared query (`db.findUser`) or a built-in
 * effect (`log.info`, `clock.now`, `random.uuid`). The host implements it.
 *
 * @param sql the query text for `db` operations, else null
 */
public record EffectOp(Capability capability, String name, List<Param> params, Type result, String sql) {
    /**
     * The effects every app may use besides its own queries, exactly as the runtime implements
     * them: a module may declare only these (and `db` queries), with these signatures.
     */
    public static final List<EffectOp> BUILT_IN = List.of(
            new EffectOp(Capability.LOG, "info", List.of(new Param("message", Type.STRING)), Type.UNIT, null),
            new EffectOp(Capability.LOG, "warn", List.of(new Param("message", Type.STRING)), Type.UNIT, null),
            new EffectOp(Capability.LOG, "error", List.of(new Param("message", Type.STRING)), Type.UNIT, null),
            new EffectOp(Capability.CLOCK, "now", List.of(), Type.INSTANT, null),
            new EffectOp(Capability.RANDOM, "int", List.of(new Param("lo", Type.INT), new Param("hi", Type.INT)), Type.INT, null),
            new EffectOp(Capability.RANDOM, "uuid", List.of(), Type.STRING, null),
            new EffectOp(Capability.RANDOM, "uuid7", List.of(), Type.STRING, null),
            new EffectOp(Capability.RANDOM, "token", List.of(new Param("bytes", Type.INT)), Type.STRING, null));

    public EffectOp {
        params = List.copyOf(params);
    }

    public record Param(String name, Type type) {}

    /** `db.findUser` */
    public String qualifiedName() { return capability.sourceName() + "." + name; }
}
