package dev.manaknight.runtime.sqlcheck;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.Parser;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Dialect;
import dev.manaknight.runtime.effects.Migration;
import dev.manaknight.runtime.effects.MigrationException;
import dev.manaknight.runtime.effects.MigrationFiles;
import dev.manaknight.runtime.effects.PooledDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `manaknight check` and `build`'s check of every query against the app's schema, as sqlc does:
 * the migrations (or schema.sql) are applied to a scratch database — an in-memory SQLite, or for
 * an app on PostgreSQL a schema of its own in a transaction that is rolled back on the PostgreSQL
 * given by `--db` — and each query is prepared there. What the database refuses (an unknown table
 * or column, a syntax error), a record field without its column, a column whose type cannot be
 * read into its field, and a column that can be NULL read into a field that is not an Option are
 * compile errors, framed inside the SQL string like every other diagnostic.
 */
public final class SqlChecker {
    /** @param warnings lines to print (`manaknight: warning: …`): what could not be checked, and why */
    public record Result(List<Diagnostic> errors, List<String> warnings) {}

    private static final Pattern SQLITE_TABLE = Pattern.compile("no such table: ([\\w.$\"]+)");
    private static final Pattern SQLITE_COLUMN = Pattern.compile("no such column: ([\\w.$\"]+)");
    private static final Pattern SQLITE_NEAR = Pattern.compile("near \"([^\"]+)\"");
    private static final Pattern PG_TABLE = Pattern.compile("relation \"([^\"]+)\" does not exist");
    private static final Pattern PG_COLUMN = Pattern.compile("column \"?([\\w.$]+)\"? does not exist");

    private final Dialect dialect;
    private final Map<String, TypeDef> types = new HashMap<>();
    private final Map<String, Decl.TypeDecl> typeDecls = new HashMap<>();
    private final List<Diagnostic> errors = new ArrayList<>();
    private Set<String> tables;
    private Set<String> columns;

    private SqlChecker(Dialect dialect, Module module) {
        this.dialect = dialect;
        for (TypeDef t : module.types()) types.put(t.name(), t);
    }

    /**
     * @param sources  the app's sources (the spans of its queries); empty for a module file, which is not checked
     * @param checkUrl a PostgreSQL to check an app on PostgreSQL against (`--db`), or null
     */
    public static Result check(Module module, List<SourceFile> sources, Config.Db db, String checkUrl)
            throws SQLException, IOException {
        List<EffectOp> ops = module.effects().stream().filter(op -> op.capability() == Capability.DB).toList();
        if (ops.isEmpty() || sources.isEmpty()) return new Result(List.of(), List.of());
        if (db.schema() == null && db.migrations() == null)
            return new Result(List.of(), List.of("the queries are not checked: the app has no schema.sql and no migrations/ "
                    + "to check them against"));
        Dialect dialect = Dialect.ofUrl(db.url());
        var checker = new SqlChecker(dialect, module);
        Map<String, Decl.Query> decls = checker.parse(sources);
        switch (dialect) {
            case SQLITE -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                    checker.applySchema(c, db);
                    checker.checkAll(c, ops, decls);
                }
            }
            case POSTGRESQL -> {
                if (checkUrl == null)
                    return new Result(List.of(), List.of("the queries are not checked: the app's database is PostgreSQL ("
                            + PooledDatabase.describe(db.url()) + "); give one to check them against with --db postgresql://…"
                            + " (its migrations are applied in a schema of their own and rolled back)"));
                try (Connection c = DriverManager.getConnection(PooledDatabase.jdbcUrl(checkUrl))) {
                    c.setAutoCommit(false);
                    try {
                        String schema = "manaknight_check_" + Long.toHexString(System.nanoTime());
                        try (Statement st = c.createStatement()) {
                            st.execute("CREATE SCHEMA " + schema);
                            st.execute("SET LOCAL search_path = " + schema);
                        }
                        checker.applySchema(c, db);
                        checker.checkAll(c, ops, decls);
                    } finally {
                        c.rollback();
                    }
                }
            }
        }
        List<String> warnings = dialect == Dialect.SQLITE && checkUrl != null
                ? List.of("--db is ignored: the app's database is SQLite, and its queries are checked on an in-memory SQLite")
                : List.of();
        return new Result(List.copyOf(checker.errors), warnings);
    }

    /** The queries' declarations by name, and the records' (for their fields' spans). */
    private Map<String, Decl.Query> parse(List<SourceFile> sources) {
        var out = new HashMap<String, Decl.Query>();
        for (SourceFile f : sources) {
            for (Decl d : Parser.parse(f).unit().decls()) {
                if (d instanceof Decl.DbDecl db) for (Decl.Query q : db.queries()) out.putIfAbsent(q.name().name(), q);
                if (d instanceof Decl.TypeDecl t) typeDecls.putIfAbsent(t.name().name(), t);
            }
        }
        return out;
    }

    /** The app's migrations (this dialect's set) or schema, each script run whole; a failing one is the app's error. */
    private void applySchema(Connection c, Config.Db db) throws SQLException, IOException {
        if (db.migrations() != null) {
            for (Migration m : MigrationFiles.load(db.migrations(), dialect)) run(c, m.script(), m.where());
        } else {
            run(c, Files.readString(db.schema(), StandardCharsets.UTF_8), db.schema().toString());
        }
        tables = new LinkedHashSet<>();
        columns = new LinkedHashSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, dialect.schema(c), "%", new String[] {"TABLE"})) {
            while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
        }
        try (ResultSet rs = c.getMetaData().getColumns(null, dialect.schema(c), "%", "%")) {
            while (rs.next()) columns.add(rs.getString("COLUMN_NAME"));
        }
    }

    private void run(Connection c, String script, String where) throws SQLException {
        try {
            dialect.runScript(c, script);
        } catch (SQLException e) {
            throw new MigrationException(where + " fails on a scratch " + (dialect == Dialect.SQLITE ? "SQLite" : "PostgreSQL")
                    + " database, so the queries cannot be checked: " + e.getMessage(), e);
        }
    }

    private void checkAll(Connection c, List<EffectOp> ops, Map<String, Decl.Query> decls) throws SQLException {
        for (EffectOp op : ops) {
            Decl.Query decl = decls.get(op.name());
            if (decl == null) continue;
            var literal = new SqlLiteral(decl.sqlSpan(), op.sql());
            String sql = SqlPlaceholders.rewrite(op.sql()).sql();
            Savepoint sp = dialect == Dialect.POSTGRESQL ? c.setSavepoint() : null;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ResultSetMetaData md = ps.getMetaData();
                new ResultCheck(this, c, op, decl, literal, md).run();
                if (dialect == Dialect.POSTGRESQL) checkParameters(op, literal, ps.getParameterMetaData());
                if (sp != null) c.releaseSavepoint(sp);
            } catch (SQLException e) {
                if (sp != null) c.rollback(sp);
                errors.add(refused(e, op, literal));
            }
        }
    }

    /** PostgreSQL infers each parameter's type from where it stands: it must take the declared type's binding. */
    private void checkParameters(EffectOp op, SqlLiteral literal, java.sql.ParameterMetaData pmd) throws SQLException {
        List<SqlPlaceholders.Placeholder> placeholders = SqlPlaceholders.scan(op.sql());
        for (int i = 0; i < placeholders.size() && i < pmd.getParameterCount(); i++) {
            SqlPlaceholders.Placeholder ph = placeholders.get(i);
            EffectOp.Param param = op.params().stream().filter(p -> p.name().equals(ph.name())).findFirst().orElse(null);
            if (param == null) continue;
            String name = pmd.getParameterTypeName(i + 1);
            ColumnType expected = ColumnType.of(name, dialect);
            if (!expected.accepts(param.type(), types::get))
                errors.add(Diagnostic.error("E0727", "the parameter `" + ph.name() + ": " + param.type() + "` is bound where "
                        + "PostgreSQL expects " + name, literal.at(ph.offset(), ph.name().length() + 1), "PostgreSQL reads a "
                        + name + " here").withHint("declare the parameter with a matching type, or cast in the SQL (`CAST(:"
                        + ph.name() + " AS …)`)"));
        }
    }

    /** What the database said when it prepared the query, placed at the name it complained about. */
    private Diagnostic refused(SQLException e, EffectOp op, SqlLiteral literal) {
        String message = message(e);
        Matcher table = (dialect == Dialect.SQLITE ? SQLITE_TABLE : PG_TABLE).matcher(message);
        if (table.find()) {
            String name = table.group(1);
            Span at = literal.name(name);
            String near = Nearest.of(bare(name), tables);
            return Diagnostic.error("E0720", "no table `" + bare(name) + "` in the schema", at != null ? at : literal.start(),
                    "not a table of the schema").withHint(near != null ? "did you mean `" + near + "`?"
                    : "the tables are " + list(tables));
        }
        Matcher column = (dialect == Dialect.SQLITE ? SQLITE_COLUMN : PG_COLUMN).matcher(message);
        if (column.find()) {
            String name = column.group(1);
            Span at = literal.name(name);
            String near = Nearest.of(bare(name), columns);
            return Diagnostic.error("E0721", "no column `" + bare(name) + "` in the tables of `" + op.name() + "`",
                    at != null ? at : literal.start(), "not a column here").withHint(near != null ? "did you mean `" + near + "`?"
                    : "check the spelling against the schema");
        }
        Span at = null;
        Matcher near = SQLITE_NEAR.matcher(message);
        if (dialect == Dialect.SQLITE && near.find()) at = literal.name(near.group(1));
        return Diagnostic.error("E0722", "the database refuses the SQL of `" + op.name() + "`: " + message,
                at != null ? at : literal.start(), "refused here");
    }

    /** The database's own words, without sqlite-jdbc's `[SQLITE_ERROR] SQL error or missing database (…)` or `ERROR: `. */
    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int open = m.indexOf("database (");
        if (m.startsWith("[SQLITE_") && open >= 0 && m.endsWith(")"))
            m = m.substring(open + "database (".length(), m.length() - 1);
        int line = m.indexOf('\n');
        if (line >= 0) m = m.substring(0, line);
        return m.startsWith("ERROR: ") ? m.substring("ERROR: ".length()) : m;
    }

    private static String bare(String name) {
        String n = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        return n.replace("\"", "");
    }

    private static String list(Set<String> names) {
        if (names.isEmpty()) return "none: the schema makes no table";
        return String.join(", ", names.stream().map(n -> "`" + n + "`").toList());
    }

    // ---- for ResultCheck ------------------------------------------------------------------

    Dialect dialect() { return dialect; }

    TypeDef type(String name) { return types.get(name); }

    Decl.TypeDecl typeDecl(String name) { return typeDecls.get(name); }

    void report(Diagnostic d) { errors.add(d); }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
