package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Applies the app's schema script once, when the database has no tables yet. */
public final class Schema {
    private Schema() {}

    /** @return true when the script ran */
    public static boolean applyIfEmpty(Database db, String script) throws SQLException {
        Connection c = db.acquire();
        try {
            if (hasTables(c)) return false;
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
     * is empty. On failure the database is closed, so the caller has nothing to clean up.
     */
    public static <D extends Database> D prepare(D db, Path schema) throws IOException, SQLException {
        try {
            if (schema != null) applyIfEmpty(db, Files.readString(schema, StandardCharsets.UTF_8));
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
