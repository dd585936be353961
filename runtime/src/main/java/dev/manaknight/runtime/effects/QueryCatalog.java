package dev.manaknight.runtime.effects;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Every `db` operation of a module, rewritten once at startup and looked up per call. */
public final class QueryCatalog {
    private final Map<EffectOp, Query> byOp = new IdentityHashMap<>();

    public QueryCatalog(List<EffectOp> effects) {
        for (EffectOp op : effects) if (op.capability() == Capability.DB) byOp.put(op, Query.prepare(op));
    }

    /** The prepared query; an op equal to a module's but not the same object is prepared on the spot. */
    public Query query(EffectOp op) {
        Query q = byOp.get(op);
        return q != null ? q : Query.prepare(op);
    }
}
