package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the app's schema script once: when the database has no tables at all (a new file, or
 * an empty PostgreSQL database), and never over a database that has any — whatever tables it
 * has, they are the app's data, and the script is not run again to "repair" them. Applying it is
 * said in the log (a WARN naming the database and the script), so that a database that came up
 * empty when it should not have — a wrong path, a deleted file — is seen at once.
 */
public final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private Schema() {}

    /** @return true when the script ran */
    public static boolean applyIfEmpty(Database db, String script) throws SQLException {
        return apply(db, script, null);
    }

    /** @param announce the WARN to write when the script runs, or null (tests' in-memory databases) */
    private static boolean apply(Database db, String script, String announce) throws SQLException {
        Connection c = db.acquire();
        try {
            if (hasTables(c)) return false;
            if (announce != null) LOG.warn("{}", announce);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : SqlText.statements(script)) st.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return true;
        } finally {
            db.release(c);
        }
    }

    /**
     * A freshly opened database made ready: the schema file (if any) applied when the database
     * has no tables, with a WARN naming `dbName` and the script. On failure the database is
     * closed, so the caller has nothing to clean up.
     */
    public static <D extends Database> D prepare(D db, Path schema, String dbName) throws IOException, SQLException {
        try {
            if (schema != null)
                apply(db, Files.readString(schema, StandardCharsets.UTF_8), dbName + " has no tables: applying " + schema + " to it");
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static boolean hasTables(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            return rs.next();
        }
    }
}
