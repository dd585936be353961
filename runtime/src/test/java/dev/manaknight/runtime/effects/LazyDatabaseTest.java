package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyDatabaseTest {
    @Test void opensAtTheFirstAcquireAndOnlyOnce() throws Exception {
        var opened = new AtomicInteger();
        try (var db = new LazyDatabase(() -> {
            opened.incrementAndGet();
            return SingleConnectionDatabase.inMemorySqlite();
        })) {
            assertEquals(0, opened.get(), "nothing opened before a connection is asked for");
            assertFalse(db.opened());
            var c = db.acquire();
            try (var ps = db.prepare(c, "select 41 + 1"); var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
            db.release(c);
            db.acquire();
            assertEquals(1, opened.get());
            assertTrue(db.opened());
        }
    }

    @Test void closingWhatWasNeverOpenedOpensNothing() {
        var db = new LazyDatabase(() -> { throw new AssertionError("opened by close"); });
        db.close();
        assertFalse(db.opened());
    }

    @Test void aFailureToOpenIsTheQuerysSqlException() {
        var db = new LazyDatabase(() -> { throw new IOException("schema.sql: no such file"); });
        var e = assertThrows(SQLException.class, db::acquire);
        assertEquals("cannot open the database: schema.sql: no such file", e.getMessage());
        assertFalse(db.opened());
    }
}
