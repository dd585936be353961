package dev.manaknight.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Plain JDBC on sqlite-jdbc, no Manaknight code: what one `findUser` costs with a reused
 * prepared statement (as the Node peer does), with a statement prepared per query, and with
 * that inside an explicit transaction (what RequestHost + Transaction do per request). The
 * differences locate the cost of RequestBench.coreUsersSqlite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SqliteBench {
    static final String SQL = "SELECT id, name, email FROM users WHERE id = ?";

    private Connection connection;
    private PreparedStatement reused;
    private long id;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)");
            s.executeUpdate("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < "
                    + RequestBench.ROWS + ") INSERT INTO users (id, name, email) "
                    + "SELECT n, 'user' || n, 'user' || n || '@example.com' FROM seq");
        }
        reused = connection.prepareStatement(SQL);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
    }

    private long nextId() {
        id = id % RequestBench.ROWS + 1;
        return id;
    }

    private static String read(PreparedStatement ps, long id) throws SQLException {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("no row " + id);
            return rs.getLong(1) + rs.getString(2) + rs.getString(3);
        }
    }

    /** One prepared statement for the whole run: the Node peer's way. */
    @Benchmark
    public String reusedStatement() throws SQLException {
        return read(reused, nextId());
    }

    /** A statement prepared and closed per query. */
    @Benchmark
    public String preparePerQuery() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            return read(ps, nextId());
        }
    }

    /** Prepared per query inside BEGIN … COMMIT with auto-commit toggled: what a request does now. */
    @Benchmark
    public String preparePerQueryInTransaction() throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            return read(ps, nextId());
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
        }
    }

    /** The reused statement inside the same transaction dance: the transaction's own share. */
    @Benchmark
    public String reusedStatementInTransaction() throws SQLException {
        connection.setAutoCommit(false);
        try {
            return read(reused, nextId());
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
        }
    }
}
