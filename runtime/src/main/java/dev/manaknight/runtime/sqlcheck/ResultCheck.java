package dev.manaknight.runtime.sqlcheck;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.runtime.effects.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One prepared query's result columns against its declared result, by the runtime's mapping
 * (runtime.md, Effects): a record's fields by column label (case-insensitive), a scalar from the
 * only column; each column's type must be readable into its field, and a column that can be NULL
 * needs an Option.
 */
final class ResultCheck {
    /** A result column as the database describes it before running the query. */
    private record Column(int index, String label, String declared, ColumnType type, boolean nullable) {}

    private final SqlChecker checker;
    private final Connection c;
    private final EffectOp op;
    private final Decl.Query decl;
    private final SqlLiteral literal;
    private final ResultSetMetaData md;

    ResultCheck(SqlChecker checker, Connection c, EffectOp op, Decl.Query decl, SqlLiteral literal, ResultSetMetaData md) {
        this.checker = checker;
        this.c = c;
        this.op = op;
        this.decl = decl;
        this.literal = literal;
        this.md = md;
    }

    void run() throws SQLException {
        Type result = op.result() instanceof Type.ResultOf r ? r.ok() : op.result();
        if (result == Type.UNIT) return;
        Type row = switch (result) {
            case Type.ListOf l -> l.element();
            case Type.OptionOf o -> o.value();
            default -> result;
        };
        int count = md == null ? 0 : md.getColumnCount();
        if (count == 0) {
            if (result != Type.INT)
                checker.report(Diagnostic.error("E0726", "`" + op.name() + "` returns " + op.result()
                        + ", but its SQL returns no rows", literal.start(), "a statement without a result")
                        .withHint("a write returns rows with `RETURNING …`; without one, declare `: Int` (the rows changed) "
                                + "or `: Unit`"));
            return;
        }
        if (row instanceof Type.Named n && checker.type(n.name()) instanceof TypeDef.RecordDef r) {
            Map<String, Column> byLabel = new HashMap<>();
            for (int i = 1; i <= count; i++) byLabel.putIfAbsent(SqlChecker.lower(md.getColumnLabel(i)), column(i));
            for (TypeDef.FieldDef f : r.fields()) {
                Column col = byLabel.get(SqlChecker.lower(f.name()));
                String field = r.name() + "." + f.name();
                if (col == null) {
                    String among = "no column `" + f.name() + "` among " + count + (count == 1 ? " column" : " columns");
                    checker.report(withField(Diagnostic.error("E0724", "the result of `" + op.name()
                            + "` has no column for the field `" + field + "`", literal.whole(), among), r.name(), f.name())
                            .withHint("select it, or name a column after it: `… AS " + f.name() + "`"));
                    continue;
                }
                fit(col, f.type(), "the field `" + field + ": " + f.type() + "`", r.name(), f.name());
            }
            return;
        }
        if (count != 1) {
            checker.report(Diagnostic.error("E0726", "`" + op.name() + "` returns " + op.result()
                    + ", one column a row, but its SQL returns " + count + " columns", literal.whole(), count + " columns")
                    .withHint("select one column, or declare a record whose fields are the columns"));
            return;
        }
        fit(column(1), row, "the result `" + op.result() + "` of `" + op.name() + "`", null, null);
    }

    /** The column's type against the field's (or the result's), then NULL against an Option. */
    private void fit(Column col, Type type, String what, String record, String field) {
        Span at = literal.name(col.label());
        if (at == null) at = literal.whole();
        String columnText = "the column `" + col.label() + "` (" + ColumnType.describe(col.declared(), col.type()) + ")";
        if (!col.type().fits(type, checker::type)) {
            Type into = type instanceof Type.OptionOf o ? o.value() : type;
            Diagnostic d = Diagnostic.error("E0723", columnText + " does not fit " + what, at,
                    ColumnType.describe(col.declared(), col.type()) + ", read into " + into)
                    .withHint("change the " + (field != null ? "field's" : "result's") + " type, or convert in the SQL "
                            + "(`CAST(… AS …) AS " + col.label() + "`)");
            checker.report(field != null ? withField(d, record, field) : withResult(d));
            return;
        }
        if (col.nullable() && !(type instanceof Type.OptionOf) && type != Type.JSON) {
            Diagnostic d = Diagnostic.error("E0725", columnText + " can be NULL, but " + what + " cannot hold it", at,
                    "may be NULL").withHint("make it `Option<" + type + ">`, or the column NOT NULL (or `coalesce(…)` in the "
                    + "SQL)");
            checker.report(field != null ? withField(d, record, field) : withResult(d));
        }
    }

    private Diagnostic withField(Diagnostic d, String record, String field) {
        Decl.TypeDecl t = checker.typeDecl(record);
        if (t == null) return d;
        for (Decl.Field f : t.fields())
            if (f.name().name().equals(field)) return d.withLabel(f.span(), "the field is declared here");
        return d;
    }

    private Diagnostic withResult(Diagnostic d) {
        return decl.result() == null ? d : d.withLabel(decl.result().span(), "the result is declared here");
    }

    /**
     * SQLite describes a column's declared type only when it is read straight from a table (an
     * expression's column has none), and sqlite-jdbc's "nullable" is not to be trusted (it asks
     * by the result's label, so an aliased NOT NULL column is "nullable"): NOT NULL is read from
     * the table itself. PostgreSQL types every column and says "nullable" only of a table's column
     * that may be NULL (else "unknown").
     */
    private Column column(int i) throws SQLException {
        String label = md.getColumnLabel(i);
        String declared = md.getColumnTypeName(i);
        if (checker.dialect() == Dialect.POSTGRESQL)
            return new Column(i, label, declared, ColumnType.of(declared, checker.dialect()),
                    md.isNullable(i) == ResultSetMetaData.columnNullable);
        String table = md.getTableName(i);
        if (table == null || table.isBlank()) return new Column(i, label, null, ColumnType.UNKNOWN, false);
        String origin = literal.origin(label);
        Boolean notNull = origin == null ? null : sqliteNotNull(table, origin);
        return new Column(i, label, declared, ColumnType.of(declared, checker.dialect()), notNull != null && !notNull);
    }

    /**
     * Whether SQLite's `table.column` is NOT NULL (an `INTEGER PRIMARY KEY` is the rowid, never
     * NULL though not declared so); null when the table has no such column.
     */
    private Boolean sqliteNotNull(String table, String column) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + table.replace("\"", "\"\"") + "\")")) {
            while (rs.next()) {
                if (rs.getString("name").equalsIgnoreCase(column))
                    return rs.getInt("notnull") == 1
                            || rs.getInt("pk") > 0 && rs.getString("type").toUpperCase(java.util.Locale.ROOT).equals("INTEGER");
            }
        }
        return null;
    }
}
