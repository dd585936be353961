package dev.manaknight.runtime;

import dev.manaknight.lang.vm.Host.EffectFailure;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.Dialect;
import dev.manaknight.runtime.effects.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Audit mode's records of changes, kept in the application's database: each is inserted in the
 * transaction of its change, so that one commit makes both durable, and deleted once the journal's
 * file holds it (journal.md, "Commits"). Rows older than a horizon
 * belong to an instance that stopped between a commit and its file: any instance writes them into
 * its own journal ({@link #recover}).
 */
final class PendingRecords {
    static final String TABLE = "manaknight_journal_pending";
    /** Ids per DELETE statement. */
    static final int BATCH = 256;
    /** Rows per recovery round. */
    static final int RECOVER_BATCH = 1_000;

    /** Writes recovered records into the journal and answers once they are durable (or throws). */
    @FunctionalInterface
    interface Sink {
        void write(List<Row> rows) throws java.io.IOException;
    }

    /** One row: a request's id, its record's line, and when it was inserted (ms since the epoch). */
    record Row(String id, String line, long writtenAt) {}

    private final Queue<String> filed = new ConcurrentLinkedQueue<>();

    /** Makes the table when missing; after the schema script or migrations, never before them. */
    static void create(Database db) throws SQLException {
        var tx = new Transaction(db);
        try {
            tx.query(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                            + " (id TEXT PRIMARY KEY, line TEXT NOT NULL, written_at BIGINT NOT NULL)");
                }
                return null;
            });
            tx.commit();
        } catch (EffectFailure e) {
            throw new SQLException(e.getMessage(), e);
        } finally {
            tx.rollback();
        }
    }

    /** In the transaction of `id`'s change: its record's row, committed (or rolled back) with it. */
    static void insert(Connection c, String id, String line, long nowMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, line, written_at) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, line);
            ps.setLong(3, nowMillis);
            ps.executeUpdate();
        }
    }

    /** `id`'s record is durable in the journal's file: {@link #sweep} deletes its row. */
    void filed(String id) { filed.add(id); }

    /** Rows the file holds and the table still has. */
    boolean anyFiled() { return !filed.isEmpty(); }

    /**
     * Deletes the rows of records the file holds, in a transaction of its own; ids whose delete
     * did not commit are kept for the next sweep. Answers how many rows went.
     */
    int sweep(Database db) throws SQLException {
        var ids = new ArrayList<String>();
        for (String id; (id = filed.poll()) != null; ) ids.add(id);
        if (ids.isEmpty()) return 0;
        var tx = new Transaction(db);
        boolean done = false;
        try {
            int n = tx.query(c -> {
                readCommitted(c);
                return delete(c, ids);
            });
            tx.commit();
            done = true;
            return n;
        } catch (EffectFailure e) {
            throw new SQLException(e.getMessage(), e);
        } finally {
            if (!done) {
                tx.rollback();
                filed.addAll(ids);
            }
        }
    }

    /**
     * On PostgreSQL, makes the transaction (before its first statement) read committed: the
     * pool's transactions are serializable, and these, which take rows by their keys, would only
     * add serialization failures, their own and the requests'. Answers whether it is PostgreSQL.
     */
    private static boolean readCommitted(Connection c) throws SQLException {
        if (Dialect.of(c) != Dialect.POSTGRESQL) return false;
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
        return true;
    }

    private static int delete(Connection c, List<String> ids) throws SQLException {
        int n = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + BATCH));
            var sql = new StringBuilder("DELETE FROM " + TABLE + " WHERE id IN (");
            for (int i = 0; i < part.size(); i++) sql.append(i == 0 ? "?" : ", ?");
            try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /**
     * Writes the rows inserted before `olderThanMillis` into `sink` (a live instance deletes its
     * rows long before that) and deletes them, holding them while it does: PostgreSQL's row locks
     * (`SKIP LOCKED`, so two instances never take the same row), SQLite's one write lock. Their
     * delete commits only once `sink` answered, so a failure leaves them for the next try; a
     * commit that fails after the sink wrote them leaves them to be written again (twice, never
     * lost). Answers how many rows were recovered.
     */
    static int recover(Database db, long olderThanMillis, Sink sink) throws SQLException, java.io.IOException {
        int total = 0;
        while (true) {
            var tx = new Transaction(db);
            try {
                List<Row> rows = tx.query(c -> {
                    boolean pg = readCommitted(c);
                    try (PreparedStatement ps = c.prepareStatement("SELECT id, line, written_at FROM " + TABLE
                            + " WHERE written_at < ? ORDER BY written_at, id LIMIT " + RECOVER_BATCH
                            + (pg ? " FOR UPDATE SKIP LOCKED" : ""))) {
                        ps.setLong(1, olderThanMillis);
                        var out = new ArrayList<Row>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) out.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3)));
                        }
                        return out;
                    }
                });
                if (rows.isEmpty()) return total;
                // Deleted before they are written, committed after: on SQLite the delete takes the
                // write lock (or fails, when another instance took these rows first), and a
                // failure of the sink rolls it back.
                tx.query(c -> delete(c, rows.stream().map(Row::id).toList()));
                sink.write(rows);
                tx.commit();
                total += rows.size();
                if (rows.size() < RECOVER_BATCH) return total;
            } catch (EffectFailure e) {
                throw new SQLException(e.getMessage(), e);
            } finally {
                tx.rollback();
            }
        }
    }
}
