package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.json.TypeTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 14: a query that declares `Result<T, DbError>` gets each constraint violation as a value
 * — the same variants on SQLite and PostgreSQL — and its transaction goes on (a savepoint on
 * PostgreSQL, where a failed statement otherwise aborts it). PostgreSQL runs when
 * `MANAKNIGHT_TEST_PG_URL` is set, on temporary tables of its own connection.
 */
class DbErrorTest {
    private static final String PG_URL = System.getenv("MANAKNIGHT_TEST_PG_URL");
    private static final Type DB_ERROR = new Type.Named("DbError");

    private static EffectOp op(String name, List<EffectOp.Param> params, Type result, String sql) {
        return new EffectOp(Capability.DB, name, params, result, sql);
    }

    private static final EffectOp ADD_OWNER = op("addOwner",
            List.of(new EffectOp.Param("id", Type.INT), new EffectOp.Param("email", Type.optionOf(Type.STRING))),
            new Type.ResultOf(Type.INT, DB_ERROR), "INSERT INTO owners(id, email) VALUES (:id, :email)");
    private static final EffectOp ADD_PET = op("addPet",
            List.of(new EffectOp.Param("id", Type.INT), new EffectOp.Param("owner", Type.INT)),
            new Type.ResultOf(Type.UNIT, DB_ERROR), "INSERT INTO pets(id, owner_id) VALUES (:id, :owner)");
    /** The same insert, errors not declared: a violation fails the request as before. */
    private static final EffectOp ADD_OWNER_PLAIN = op("addOwnerPlain",
            List.of(new EffectOp.Param("id", Type.INT), new EffectOp.Param("email", Type.optionOf(Type.STRING))),
            Type.INT, "INSERT INTO owners(id, email) VALUES (:id, :email)");
    private static final EffectOp COUNT = op("count", List.of(), Type.INT, "SELECT count(*) FROM owners");

    private static final Module MODULE = new Module(List.of(), List.of(TypeDef.DB_ERROR), List.of(), List.of(),
            List.of(ADD_OWNER, ADD_PET, ADD_OWNER_PLAIN, COUNT), List.of(), List.of());

    private static final String TABLES = """
            CREATE %1$s TABLE owners (
              id    INTEGER PRIMARY KEY,
              email TEXT NOT NULL CONSTRAINT owners_email_key UNIQUE,
              CONSTRAINT owners_email_check CHECK (email LIKE '%%@%%')
            );
            CREATE %1$s TABLE pets (
              id       INTEGER PRIMARY KEY,
              owner_id INTEGER NOT NULL CONSTRAINT pets_owner_fkey REFERENCES owners(id)
            )""";

    private static SingleConnectionDatabase open(String dialect) throws SQLException {
        SingleConnectionDatabase db;
        if (dialect.equals("sqlite")) {
            db = SingleConnectionDatabase.inMemorySqlite();
        } else {
            assumeTrue(PG_URL != null && !PG_URL.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
            db = new SingleConnectionDatabase(DriverManager.getConnection(PooledDatabase.jdbcUrl(PG_URL)));
        }
        Connection c = db.acquire();
        try (Statement st = c.createStatement()) {
            for (String ddl : TABLES.formatted(dialect.equals("sqlite") ? "" : "TEMPORARY").split(";")) st.execute(ddl);
        }
        return db;
    }

    private static RequestHost host(Transaction tx) {
        return new RequestHost("r1", Capability.DB.bit(), tx, new QueryCatalog(MODULE.effects()),
                new ResultMapper(new TypeTable(MODULE)), LoggerFactory.getLogger("test"), () -> 0L, new Random(1));
    }

    private static Object err(String variant, String name) {
        var def = TypeDef.DB_ERROR;
        return new Values.Err(new Values.EnumValue(0, def.variantIndex(variant), variant, new Object[] {name}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachViolationIsAValueAndTheTransactionGoesOn(String dialect) throws Exception {
        boolean pg = dialect.equals("postgresql");
        try (var db = open(dialect)) {
            var tx = new Transaction(db);
            var h = host(tx);
            assertEquals(new Values.Ok(1L), h.effect(ADD_OWNER, new Object[] {1L, new Values.Some("ada@example.com")}));
            assertEquals(err("unique", pg ? "owners_email_key" : "owners.email"),
                    h.effect(ADD_OWNER, new Object[] {2L, new Values.Some("ada@example.com")}));
            assertEquals(err("unique", pg ? "owners_pkey" : "owners.id"),
                    h.effect(ADD_OWNER, new Object[] {1L, new Values.Some("grace@example.com")}), "a primary key is unique");
            assertEquals(err("check", "owners_email_check"), h.effect(ADD_OWNER, new Object[] {3L, new Values.Some("nobody")}));
            assertEquals(err("notNull", "owners.email"), h.effect(ADD_OWNER, new Object[] {4L, Values.None.NONE}));
            assertEquals(err("foreignKey", pg ? "pets_owner_fkey" : ""), h.effect(ADD_PET, new Object[] {1L, 99L}),
                    "SQLite names no foreign key");
            // after four refused statements the transaction still works, and keeps only what succeeded
            assertEquals(new Values.Ok(Values.Unit.UNIT), h.effect(ADD_PET, new Object[] {1L, 1L}));
            assertEquals(new Values.Ok(1L), h.effect(ADD_OWNER, new Object[] {5L, new Values.Some("grace@example.com")}));
            tx.commit();
            var next = new Transaction(db);
            assertEquals(2L, host(next).effect(COUNT, new Object[0]));
            next.commit();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aViolationAQueryDoesNotDeclareStillFails(String dialect) throws Exception {
        try (var db = open(dialect)) {
            var tx = new Transaction(db);
            var h = host(tx);
            assertEquals(1L, h.effect(ADD_OWNER_PLAIN, new Object[] {1L, new Values.Some("ada@example.com")}));
            var f = assertThrows(EffectFailure.class,
                    () -> h.effect(ADD_OWNER_PLAIN, new Object[] {2L, new Values.Some("ada@example.com")}));
            assertEquals("db", f.kind());
            tx.rollback();
        }
    }

    @org.junit.jupiter.api.Test
    void sqliteNamesAreReadFromItsMessage() {
        assertEquals("users.email", ConstraintViolation.sqliteName(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: users.email)"));
        assertEquals("t.a, t.b", ConstraintViolation.sqliteName(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: t.a, t.b)"));
        assertEquals("length(x) > 0", ConstraintViolation.sqliteName(
                "[SQLITE_CONSTRAINT_CHECK] A CHECK constraint failed (CHECK constraint failed: length(x) > 0)"));
        assertEquals("", ConstraintViolation.sqliteName(
                "[SQLITE_CONSTRAINT_FOREIGNKEY] A foreign key constraint failed (FOREIGN KEY constraint failed)"));
        assertEquals("", ConstraintViolation.sqliteName(null));
    }
}
