package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a commit that was sent but never answered (PostgreSQL stopped mid-commit: 57P01, a
 * cut connection: 08006) may have landed, so it is never "nothing was kept"; a refusal before
 * the commit was sent, or a definite "no" from the database, still is.
 */
class CommitOutcomeTest {
    /** A SQLite connection whose `commit` fails with `state` instead of committing. */
    private static Connection failingCommit(String state) throws SQLException {
        Connection real = DriverManager.getConnection("jdbc:sqlite::memory:");
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("commit")) throw new SQLException("the server went away", state);
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Transaction wrote(Database db) throws Exception {
        var tx = new Transaction(db);
        tx.query(c -> c.createStatement().execute("CREATE TABLE t (x INTEGER)"));
        tx.query(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        return tx;
    }

    @Test void aCommitCutOffByAStoppingServerHasAnUnknownOutcome() throws Exception {
        for (String state : new String[] {"57P01", "08006"}) {
            var tx = wrote(new SingleConnectionDatabase(failingCommit(state)));
            var e = assertThrows(Transaction.OutcomeUnknown.class, tx::commit, state);
            assertEquals(state, e.getSQLState());
        }
    }

    /** ClusterTest saw a GET answered commit-outcome-unknown: a transaction that only read changed nothing either way. */
    @Test void aLostCommitOfATransactionThatOnlyReadIsUnavailableNotUnknown() throws Exception {
        var tx = new Transaction(new SingleConnectionDatabase(failingCommit("57P01")));
        tx.read(c -> c.createStatement().execute("SELECT 1"));
        var e = assertThrows(SQLException.class, tx::commit);
        assertFalse(e instanceof Transaction.OutcomeUnknown, "nothing was written: " + e);
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(e));
    }

    @Test void aDefiniteNoFromTheDatabaseIsNotUnknown() throws Exception {
        var tx = wrote(new SingleConnectionDatabase(failingCommit("40001")));
        var e = assertThrows(SQLException.class, tx::commit);
        assertFalse(e instanceof Transaction.OutcomeUnknown);
        assertEquals(SqlFault.CONFLICT, SqlFault.of(e));
    }

    @Test void aRefusalBeforeTheCommitWasSentKeptNothing() throws Exception {
        Connection real = DriverManager.getConnection("jdbc:sqlite::memory:");
        var refusing = new SingleConnectionDatabase(real);
        var tx = wrote(new Database() {
            @Override public Connection acquire() throws SQLException { return refusing.acquire(); }
            @Override public void release(Connection c) { refusing.release(c); }
            @Override public void beforeCommit() throws SQLException { throw new DatabaseUnavailable("the file is gone"); }
            @Override public void close() { refusing.close(); }
        });
        var e = assertThrows(SQLException.class, tx::commit);
        assertInstanceOf(DatabaseUnavailable.class, e);
        assertEquals(SqlFault.UNAVAILABLE, SqlFault.of(e));
    }
}
