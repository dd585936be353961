package dev.manaknight.runtime.effects;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.QueryTypes;
import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.lang.vm.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * A declared query made ready once at startup: its SQL with `?` placeholders, for each
 * placeholder the index of the parameter it binds, whether it only reads
 * ({@link SqlText#readsOnly}), what its rows map to, and whether it declares its constraint
 * errors (`Result<T, DbError>`: then it runs inside a savepoint, see {@link RequestHost}).
 *
 * @param parts the SQL split at each `?` when a List parameter expands it ({@link #expand}), else null
 */
public record Query(EffectOp op, String sql, int[] bindings, boolean reads, Type rows, boolean declaresErrors,
                    String[] parts) {
    /** @throws IllegalArgumentException when the SQL names a parameter the op does not declare */
    public static Query prepare(EffectOp op) {
        SqlPlaceholders.Rewritten r = SqlPlaceholders.rewrite(op.sql());
        var bindings = new int[r.names().size()];
        boolean lists = false;
        for (int i = 0; i < bindings.length; i++) {
            String name = r.names().get(i);
            int found = -1;
            for (int p = 0; p < op.params().size(); p++) if (op.params().get(p).name().equals(name)) found = p;
            if (found < 0)
                throw new IllegalArgumentException(op.qualifiedName() + ": the SQL names `:" + name + "`, which is not a parameter");
            bindings[i] = found;
            lists |= op.params().get(found).type() instanceof Type.ListOf;
        }
        return new Query(op, r.sql(), bindings, SqlText.readsOnly(r.sql()), QueryTypes.rows(op.result()),
                QueryTypes.declaresErrors(op.result()), lists ? split(r.sql(), bindings.length) : null);
    }

    /** The SQL's text between its `?`s: `count + 1` parts. */
    private static String[] split(String sql, int count) {
        var parts = new String[count + 1];
        int from = 0, i = 0;
        for (int at = 0; at < sql.length(); at++) {
            int skip = SqlPlaceholders.skipQuotedOrComment(sql, at);
            if (skip > at) {
                at = skip - 1;
            } else if (sql.charAt(at) == '?') {
                parts[i++] = sql.substring(from, at);
                from = at + 1;
            }
        }
        parts[i] = sql.substring(from);
        if (i != count) throw new IllegalStateException("the rewritten SQL has " + i + " placeholders, not " + count);
        return parts;
    }

    /** One call's statement: its SQL and, for each `?`, the value and the type it is bound as. */
    public record Statement(String sql, List<Type> types, List<Object> values) {}

    /**
     * The statement for these arguments, a List parameter's `?` written once per element. Its
     * length is rounded up to a power of two by repeating the last element (`IN` is a set: the
     * answer is the same), so a query prepares a handful of statements, not one per length. An
     * empty list is an empty subquery of the element's type, which `IN` matches never and
     * `NOT IN` always (`IN ()` is no SQL, and `IN (NULL)` would make `NOT IN` match nothing).
     *
     * @throws EffectFailure when a list has more than {@link QueryTypes#MAX_LIST_ITEMS} items
     */
    public Statement expand(Object[] args) throws EffectFailure {
        var sql = new StringBuilder(parts[0]);
        var types = new ArrayList<Type>();
        var values = new ArrayList<Object>();
        for (int i = 0; i < bindings.length; i++) {
            EffectOp.Param p = op.params().get(bindings[i]);
            Object v = args[bindings[i]];
            if (p.type() instanceof Type.ListOf l) {
                Object[] items = ((Values.ListValue) v).items();
                if (items.length > QueryTypes.MAX_LIST_ITEMS)
                    throw new EffectFailure("db", op.qualifiedName() + ": the list `" + p.name() + "` has " + items.length
                            + " items, more than the " + QueryTypes.MAX_LIST_ITEMS + " a query binds");
                if (items.length == 0) {
                    sql.append("SELECT CAST(NULL AS ").append(sqlType(l.element())).append(") WHERE 1 = 0");
                } else {
                    int n = items.length == 1 ? 1 : Integer.highestOneBit(items.length - 1) << 1;
                    for (int k = 0; k < n; k++) {
                        sql.append(k == 0 ? "?" : ", ?");
                        types.add(l.element());
                        values.add(items[Math.min(k, items.length - 1)]);
                    }
                }
            } else {
                sql.append('?');
                types.add(p.type());
                values.add(v);
            }
            sql.append(parts[i + 1]);
        }
        return new Statement(sql.toString(), types, values);
    }

    /** A SQL type both databases know for an empty list's subquery (an enum is its variant's name). */
    private static String sqlType(Type element) {
        return switch (element) {
            case Type.Prim p when p == Type.INT -> "BIGINT";
            case Type.Prim p when p == Type.DECIMAL -> "NUMERIC";
            case Type.Prim p when p == Type.FLOAT -> "DOUBLE PRECISION";
            case Type.Prim p when p == Type.BOOL -> "BOOLEAN";
            default -> "TEXT";
        };
    }
}
