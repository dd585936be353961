package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test void namedParametersBecomePlaceholders() {
        var r = dev.manaknight.lang.model.SqlPlaceholders.rewrite("SELECT * FROM t WHERE a = :a AND b > :b_2 OR a = :a");
        assertEquals("SELECT * FROM t WHERE a = ? AND b > ? OR a = ?", r.sql());
        assertEquals(List.of("a", "b_2", "a"), r.names());
    }

    @Test void stringsCommentsQuotedNamesAndCastsAreLeftAlone() {
        var r = dev.manaknight.lang.model.SqlPlaceholders.rewrite("SELECT ':x', \"col:y\", 'it''s :z', :id::text -- :c\n, /* :d */ :e");
        assertEquals("SELECT ':x', \"col:y\", 'it''s :z', ?::text -- :c\n, /* :d */ ?", r.sql());
        assertEquals(List.of("id", "e"), r.names());
    }

    @Test void queriesBindByParameterIndex() {
        var op = new EffectOp(Capability.DB, "q", List.of(new EffectOp.Param("a", Type.INT), new EffectOp.Param("b", Type.INT)),
                Type.INT, "SELECT :b + :a + :b");
        assertArrayEquals(new int[] {1, 0, 1}, Query.prepare(op).bindings());
        var unknown = new EffectOp(Capability.DB, "q", List.of(), Type.INT, "SELECT :nope");
        assertThrows(IllegalArgumentException.class, () -> Query.prepare(unknown));
    }

    /** Issue 12: only what cannot write may start on the request's thread (StatementGuard). */
    @Test void onlyWhatCannotWriteIsTakenForARead() {
        assertTrue(SqlText.readsOnly("SELECT id FROM users WHERE id = ?"));
        assertTrue(SqlText.readsOnly("  -- the user\n /* by id */ select\tid FROM users"));
        assertTrue(SqlText.readsOnly("SELECT(1)"));
        assertTrue(SqlText.readsOnly("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
        assertTrue(SqlText.readsOnly("SELECT 'DELETE' AS \"update\" -- insert\n FROM t"), "words in strings, names, comments");
        assertFalse(SqlText.readsOnly("WITH x AS (SELECT 1) DELETE FROM users WHERE id IN x"), "a CTE may lead a write");
        assertFalse(SqlText.readsOnly("INSERT INTO users(name) SELECT 'a' RETURNING id"));
        assertFalse(SqlText.readsOnly("SELECTED"));
        assertFalse(SqlText.readsOnly("/* SELECT */ UPDATE users SET name = 'x'"));
        assertFalse(SqlText.readsOnly(""));
    }
}
