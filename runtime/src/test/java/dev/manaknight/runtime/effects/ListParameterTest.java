package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.QueryTypes;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.lang.vm.Values;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (item 6): a List parameter in `IN (:ids)` is bound element by element, never spliced;
 * an empty list is an empty subquery; at most {@link QueryTypes#MAX_LIST_ITEMS} items.
 */
class ListParameterTest {
    private static final EffectOp IN = new EffectOp(Capability.DB, "byIds",
            List.of(new EffectOp.Param("owner", Type.STRING), new EffectOp.Param("ids", Type.listOf(Type.INT))), Type.INT,
            "SELECT count(*) FROM t WHERE owner = :owner AND id IN (:ids) AND note <> '?'");

    private static Values.ListValue ints(int n) {
        var items = new Object[n];
        for (int i = 0; i < n; i++) items[i] = (long) i + 1;
        return new Values.ListValue(items);
    }

    @Test void aQueryWithoutAListIsNotExpanded() {
        var plain = new EffectOp(Capability.DB, "one", List.of(new EffectOp.Param("id", Type.INT)), Type.INT, "SELECT :id");
        assertNull(Query.prepare(plain).parts(), "the usual path: no expansion, no allocation per call");
    }

    @Test void eachElementIsAPlaceholderPaddedToAPowerOfTwo() throws Exception {
        Query q = Query.prepare(IN);
        var one = q.expand(new Object[] {"ada", ints(1)});
        assertEquals("SELECT count(*) FROM t WHERE owner = ? AND id IN (?) AND note <> '?'", one.sql());
        assertEquals(List.of("ada", 1L), one.values());
        var three = q.expand(new Object[] {"ada", ints(3)});
        assertEquals("SELECT count(*) FROM t WHERE owner = ? AND id IN (?, ?, ?, ?) AND note <> '?'", three.sql());
        assertEquals(List.of("ada", 1L, 2L, 3L, 3L), three.values(), "the last element repeats: IN is a set");
        assertEquals(List.of(Type.STRING, Type.INT, Type.INT, Type.INT, Type.INT), three.types());
        assertEquals(q.expand(new Object[] {"ada", ints(4)}).sql(), three.sql(), "3 and 4 items share one statement");
    }

    @Test void anEmptyListIsAnEmptySubquery() throws Exception {
        var empty = Query.prepare(IN).expand(new Object[] {"ada", Values.ListValue.EMPTY});
        assertEquals("SELECT count(*) FROM t WHERE owner = ? AND id IN (SELECT CAST(NULL AS BIGINT) WHERE 1 = 0) AND note <> '?'",
                empty.sql());
        assertEquals(List.of("ada"), empty.values());
    }

    @Test void atMostMaxListItems() throws Exception {
        Query q = Query.prepare(IN);
        var full = q.expand(new Object[] {"ada", ints(QueryTypes.MAX_LIST_ITEMS)});
        assertEquals(QueryTypes.MAX_LIST_ITEMS + 1, full.values().size());
        assertEquals(String.join(", ", Collections.nCopies(QueryTypes.MAX_LIST_ITEMS, "?")),
                full.sql().substring(full.sql().indexOf("IN (") + 4, full.sql().indexOf(") AND note")));
        var f = assertThrows(EffectFailure.class, () -> q.expand(new Object[] {"ada", ints(QueryTypes.MAX_LIST_ITEMS + 1)}));
        assertEquals("db.byIds: the list `ids` has 1025 items, more than the 1024 a query binds", f.getMessage());
    }
}
