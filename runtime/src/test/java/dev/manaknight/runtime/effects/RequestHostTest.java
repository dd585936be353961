package dev.manaknight.runtime.effects;

import static dev.manaknight.runtime.Fixtures.COUNT_USERS;
import static dev.manaknight.runtime.Fixtures.CREATE_USER;
import static dev.manaknight.runtime.Fixtures.DELETE_USER;
import static dev.manaknight.runtime.Fixtures.FIND_USER;
import static dev.manaknight.runtime.Fixtures.LIST_USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.json.TypeTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Effects against a real in-memory SQLite database, with hand-made effect operations. */
class RequestHostTest {
    private static final int ALL = 0b1111;
    private SingleConnectionDatabase db;
    private TypeTable types;

    @BeforeEach void open() throws Exception {
        db = SingleConnectionDatabase.inMemorySqlite();
        Schema.applyIfEmpty(db, Fixtures.SCHEMA);
        types = new TypeTable(Fixtures.users());
    }

    @AfterEach void close() { db.close(); }

    private RequestHost host(int granted, Transaction tx) {
        return new RequestHost("r1", granted, tx, new QueryCatalog(Fixtures.users().effects()), new ResultMapper(types),
                LoggerFactory.getLogger("test"), () -> 1234L, new Random(7));
    }

    @Test void resultMappingFollowsTheLanguageRules() throws Exception {
        var tx = new Transaction(db);
        var h = host(ALL, tx);
        var some = assertInstanceOf(Values.Some.class, h.effect(FIND_USER, new Object[] {1L}));
        var ada = (Values.RecordValue) some.value();
        assertEquals(List.of(1L, "Ada", "ada@example.com"), List.of(ada.fields()));
        assertEquals(Values.None.NONE, h.effect(FIND_USER, new Object[] {99L}));
        assertEquals(2, ((Values.ListValue) h.effect(LIST_USERS, new Object[] {10L})).size());
        assertEquals(1, ((Values.ListValue) h.effect(LIST_USERS, new Object[] {1L})).size());
        var created = (Values.RecordValue) h.effect(CREATE_USER, new Object[] {"Linus", "l@x"});
        assertEquals(3L, created.fields()[0]);
        assertEquals(3L, h.effect(COUNT_USERS, new Object[0]));
        assertEquals(1L, h.effect(DELETE_USER, new Object[] {3L}));
        assertEquals(0L, h.effect(DELETE_USER, new Object[] {3L}));
        tx.commit();
        assertEquals(8, h.calls().size());
        assertEquals("db.findUser", h.calls().getFirst().op());
    }

    @Test void rowCountMismatchesAreFailures() throws Exception {
        var h = host(ALL, new Transaction(db));
        var optionOfAll = new EffectOp(Capability.DB, "all", List.of(), Type.optionOf(Fixtures.USER), "SELECT id, name, email FROM users");
        assertEquals("row-count", assertThrows(EffectFailure.class, () -> h.effect(optionOfAll, new Object[0])).kind());
        var exactlyOne = new EffectOp(Capability.DB, "none", List.of(), Fixtures.USER, "SELECT id, name, email FROM users WHERE id = 0");
        assertEquals("row-count", assertThrows(EffectFailure.class, () -> h.effect(exactlyOne, new Object[0])).kind());
        var missingColumn = new EffectOp(Capability.DB, "short", List.of(), Type.listOf(Fixtures.USER), "SELECT id, name FROM users");
        assertEquals("row-mapping", assertThrows(EffectFailure.class, () -> h.effect(missingColumn, new Object[0])).kind());
        assertEquals(2, h.calls().stream().filter(c -> c.failure() != null).count() - 1);
    }

    @Test void decimalsBooleansAndOptionsMapByFieldType() throws Exception {
        var c = db.acquire();
        try (var st = c.createStatement()) {
            st.execute("CREATE TABLE acct (id INTEGER, balance NUMERIC, price TEXT, active INTEGER, note TEXT)");
            st.execute("INSERT INTO acct VALUES (1, 12.5, '0.10', 1, NULL)");
        }
        var acct = new TypeDef.RecordDef("Acct", List.of(new TypeDef.FieldDef("id", Type.INT),
                new TypeDef.FieldDef("balance", Type.DECIMAL), new TypeDef.FieldDef("price", Type.DECIMAL),
                new TypeDef.FieldDef("active", Type.BOOL), new TypeDef.FieldDef("note", Type.optionOf(Type.STRING))));
        var m = Fixtures.users();
        var withAcct = new dev.manaknight.lang.bytecode.Module(m.constants(),
                java.util.stream.Stream.concat(m.types().stream(), java.util.stream.Stream.of(acct)).toList(),
                m.typeRefs(), m.functions(), m.effects(), m.routes(), m.tests());
        types = new TypeTable(withAcct);
        var h = host(ALL, new Transaction(db));
        var op = new EffectOp(Capability.DB, "acct", List.of(new EffectOp.Param("min", Type.DECIMAL)), new Type.Named("Acct"),
                "SELECT * FROM acct WHERE balance > :min");
        var r = (Values.RecordValue) h.effect(op, new Object[] {new BigDecimal("1.00")});
        assertEquals(List.of(1L, new BigDecimal("12.5"), new BigDecimal("0.10"), true, Values.None.NONE), List.of(r.fields()));
        assertEquals("0.10", ((BigDecimal) r.fields()[2]).toPlainString());
    }

    @Test void capabilitiesAreCheckedAgain() {
        var h = host(Capability.LOG.bit(), new Transaction(db));
        assertEquals("capability", assertThrows(EffectFailure.class, () -> h.effect(FIND_USER, new Object[] {1L})).kind());
    }

    @Test void logClockAndRandom() throws Exception {
        var h = host(ALL, null);
        var now = new EffectOp(Capability.CLOCK, "now", List.of(), Type.INSTANT, null);
        assertEquals(java.time.Instant.ofEpochMilli(1234), h.effect(now, new Object[0]), "issue 15: an Instant");
        var dice = new EffectOp(Capability.RANDOM, "int", List.of(), Type.INT, null);
        for (int i = 0; i < 50; i++) {
            long v = (Long) h.effect(dice, new Object[] {1L, 6L});
            assertTrue(v >= 1 && v <= 6);
        }
        assertThrows(EffectFailure.class, () -> h.effect(dice, new Object[] {6L, 1L}));
        var uuid = (String) h.effect(new EffectOp(Capability.RANDOM, "uuid", List.of(), Type.STRING, null), new Object[0]);
        assertEquals(4, java.util.UUID.fromString(uuid).version());
        assertEquals(Values.Unit.UNIT, h.effect(new EffectOp(Capability.LOG, "info", List.of(), Type.UNIT, null), new Object[] {"hi"}));
        assertEquals("db", assertThrows(EffectFailure.class, () -> h.effect(FIND_USER, new Object[] {1L})).kind());
    }

    @Test void jsonBindsAsItsTextAndEnumsAsTheirName() throws Exception {
        // issue 14 (item 6): a Json number or string was bound as a number or a bare string
        var h = host(ALL, new Transaction(db));
        var echo = new EffectOp(Capability.DB, "echo", List.of(new EffectOp.Param("j", Type.JSON)), Type.optionOf(Type.STRING),
                "SELECT :j");
        var isNull = new EffectOp(Capability.DB, "isNull", List.of(new EffectOp.Param("j", Type.JSON)), Type.BOOL,
                "SELECT :j IS NULL");
        assertEquals(new Values.Some("5"), h.effect(echo, new Object[] {5L}));
        assertEquals(new Values.Some("\"a\""), h.effect(echo, new Object[] {"a"}));
        assertEquals(new Values.Some("[1,2.50]"), h.effect(echo, new Object[] {new Values.ListValue(new Object[] {1L,
                new BigDecimal("2.50")})}));
        assertEquals(true, h.effect(isNull, new Object[] {Values.JsonNull.NULL}), "a Json null is SQL NULL");
        var color = new EffectOp(Capability.DB, "color", List.of(new EffectOp.Param("c", Fixtures.COLOR)), Type.STRING,
                "SELECT :c");
        assertEquals("green", h.effect(color, new Object[] {new Values.EnumValue(3, 1, "green", new Object[0])}));
    }
}
