package dev.manaknight.runtime.effects;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.sqlite.SQLiteException;

/**
 * A statement refused by one of the four constraints a query may declare it can break
 * (`Result<T, DbError>`), read from the database's error: SQLite's extended result codes, or
 * PostgreSQL's SQLSTATE class 23. Anything else is no violation (null from {@link #of}) and ends
 * the request as before.
 *
 * <p>The name is what the database tells: PostgreSQL names the constraint (`users_email_key`) and,
 * for NOT NULL, the table and column; SQLite names no unique constraint, only its columns
 * (`users.email`, `t.a, t.b`), names a CHECK by its `CONSTRAINT name` (or its expression when it
 * has none), and names no foreign key at all (empty). For NOT NULL both say `table.column`.
 *
 * @param name the constraint's name (for {@link Kind#NOT_NULL}, the column as `table.column`), or empty
 */
public record ConstraintViolation(Kind kind, String name) {
    /** The kinds, in the order of `DbError`'s variants (`TypeDef.DB_ERROR`). */
    public enum Kind {
        UNIQUE("unique"), FOREIGN_KEY("foreignKey"), CHECK("check"), NOT_NULL("notNull");

        /** The `DbError` variant. */
        public final String variant;

        Kind(String variant) { this.variant = variant; }
    }

    /** The violation `e` (or an exception it wraps) reports, or null when it is none of the four. */
    public static ConstraintViolation of(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof SQLiteException s) return sqlite(s);
            if (t instanceof PSQLException p) return postgres(p);
        }
        return null;
    }

    private static ConstraintViolation sqlite(SQLiteException e) {
        Kind kind = switch (e.getResultCode()) {
            case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> Kind.UNIQUE;
            case SQLITE_CONSTRAINT_FOREIGNKEY -> Kind.FOREIGN_KEY;
            case SQLITE_CONSTRAINT_CHECK -> Kind.CHECK;
            case SQLITE_CONSTRAINT_NOTNULL -> Kind.NOT_NULL;
            default -> null;
        };
        return kind == null ? null : new ConstraintViolation(kind, sqliteName(e.getMessage()));
    }

    /**
     * What follows `constraint failed: ` in SQLite's message, which sqlite-jdbc wraps as
     * `[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: users.email)`;
     * empty when it names nothing (`FOREIGN KEY constraint failed`).
     */
    static String sqliteName(String message) {
        if (message == null) return "";
        String marker = "constraint failed: ";
        int at = message.lastIndexOf(marker);
        if (at < 0) return "";
        String name = message.substring(at + marker.length());
        if (name.endsWith(")") && message.lastIndexOf('(', at) >= 0) name = name.substring(0, name.length() - 1);
        return name.strip();
    }

    private static ConstraintViolation postgres(PSQLException e) {
        String state = e.getSQLState();
        if (state == null) return null;
        Kind kind = switch (state) {
            case "23505" -> Kind.UNIQUE;
            case "23503" -> Kind.FOREIGN_KEY;
            case "23514" -> Kind.CHECK;
            case "23502" -> Kind.NOT_NULL;
            default -> null;
        };
        if (kind == null) return null;
        ServerErrorMessage m = e.getServerErrorMessage();
        if (m == null) return new ConstraintViolation(kind, "");
        String name = kind == Kind.NOT_NULL ? qualified(m.getTable(), m.getColumn()) : m.getConstraint();
        return new ConstraintViolation(kind, name == null ? "" : name);
    }

    private static String qualified(String table, String column) {
        if (column == null) return "";
        return table == null ? column : table + "." + column;
    }
}
