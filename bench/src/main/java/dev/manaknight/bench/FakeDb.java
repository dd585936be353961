package dev.manaknight.bench;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Values;

/**
 * An in-memory `db` for the seed handler: every `findUser` answers the same prebuilt
 * `some(User {…})`, so a benchmark measures the VM and not SQLite. Stateless, shareable.
 */
final class FakeDb implements Host {
    private final Values.Some user;

    FakeDb(Module module) {
        int t = module.typeIndex("User");
        var def = (TypeDef.RecordDef) module.types().get(t);
        String[] names = def.fields().stream().map(TypeDef.FieldDef::name).toArray(String[]::new);
        this.user = new Values.Some(new Values.RecordValue(t, "User", names,
                new Object[] {42L, "user42", "user42@example.com"}));
    }

    @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
        if (op.capability() != Capability.DB || !op.name().equals("findUser"))
            throw new EffectFailure("db", "the fake db only knows findUser, not " + op.qualifiedName());
        return user;
    }
}
