package dev.manaknight.runtime.effects;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.QueryTypes;
import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.model.Type;

/**
 * A declared query made ready once at startup: its SQL with `?` placeholders, for each
 * placeholder the index of the parameter it binds, whether it only reads
 * ({@link SqlText#readsOnly}), what its rows map to, and whether it declares its constraint
 * errors (`Result<T, DbError>`: then it runs inside a savepoint, see {@link RequestHost}).
 */
public record Query(EffectOp op, String sql, int[] bindings, boolean reads, Type rows, boolean declaresErrors) {
    /** @throws IllegalArgumentException when the SQL names a parameter the op does not declare */
    public static Query prepare(EffectOp op) {
        SqlPlaceholders.Rewritten r = SqlPlaceholders.rewrite(op.sql());
        var bindings = new int[r.names().size()];
        for (int i = 0; i < bindings.length; i++) {
            String name = r.names().get(i);
            int found = -1;
            for (int p = 0; p < op.params().size(); p++) if (op.params().get(p).name().equals(name)) found = p;
            if (found < 0)
                throw new IllegalArgumentException(op.qualifiedName() + ": the SQL names `:" + name + "`, which is not a parameter");
            bindings[i] = found;
        }
        return new Query(op, r.sql(), bindings, SqlText.readsOnly(r.sql()), QueryTypes.rows(op.result()),
                QueryTypes.declaresErrors(op.result()));
    }
}
