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
            new EffectOp(Capability.RANDOM, "token", List.of(new Param("bytes", Type.INT)), Type.STRING, null),
            new EffectOp(Capability.PASSWORD, "hash", List.of(new Param("password", Type.STRING)), Type.STRING, null),
            new EffectOp(Capability.PASSWORD, "verify",
                    List.of(new Param("password", Type.STRING), new Param("hash", Type.STRING)), Type.BOOL, null),
            new EffectOp(Capability.HTTP, "send", List.of(new Param("method", Type.STRING), new Param("url", Type.STRING),
                    new Param("headers", new Type.MapOf(Type.STRING)), new Param("body", Type.STRING)),
                    new Type.ResultOf(new Type.Named(TypeDef.RESPONSE.name()), Type.STRING), null),
            new EffectOp(Capability.HTTP, "stub", List.of(new Param("method", Type.STRING), new Param("url", Type.STRING),
                    new Param("status", Type.INT), new Param("body", Type.STRING)), Type.UNIT, null));

    /** bcrypt's cost factor the runtime hashes passwords with: 2^10 rounds of its key schedule. */
    public static final int PASSWORD_COST = 10;
    /**
     * Fuel a `password` operation pays before the host does it: 64 units per round, so that the
     * default budget (1,000,000) pays for at most 15 and a request's fuel bounds how many it makes.
     * It is less than the same CPU time of VM instructions would pay (a cost-10 hash took about as
     * long as 1,100,000 units of a `while` loop, vm.md): charging that would leave no default
     * budget able to hash at all.
     */
    public static final long PASSWORD_FUEL = 64L << PASSWORD_COST;

    public EffectOp {
        params = List.copyOf(params);
    }

    public record Param(String name, Type type) {}

    /**
     * Fuel the VM charges before the call for work the host does on the request's CPU (a
     * password hash); 0 for effects whose time is waiting (a query) or negligible.
     */
    public long fuel() {
        return capability == Capability.PASSWORD ? PASSWORD_FUEL : 0;
    }

    /** `http.stub`: declares, in a `test`, the answer its requests' outbound calls get; nothing else may call it. */
    public boolean testOnly() {
        return capability == Capability.HTTP && name.equals("stub");
    }

    /** `db.findUser` */
    public String qualifiedName() { return capability.sourceName() + "." + name; }
}
