package dev.manaknight.cli;

import java.util.List;

/**
 * The files `manaknight new` writes: an app that `test` and `serve` accept as it is — a record,
 * a typed query, a handler, its tests, the schema, a config with production-safe defaults and a
 * `.gitignore` for the database file. docs/guide/tutorial.md starts from exactly these files.
 */
final class AppTemplate {
    private AppTemplate() {}

    /** One file of the template: its name inside the app directory and its text. */
    record File(String name, String text) {}

    static final String APP = """
            // A Manaknight app: a record, a typed query, a handler and its tests.
            // `manaknight test DIR` runs the tests; `manaknight serve DIR` serves it.

            type Note { id: Int, text: String }

            db {
              findNote(id: Int): Option<Note> = "SELECT id, text FROM notes WHERE id = :id"
            }

            api GET /notes/:id {
              uses { db }

              match db.findNote(id) {
                some(note) -> respond json(note)
                none -> respond status 404
              }
            }

            test "the first note is found" {
              let r = request GET "/notes/1"
              expect r.status == 200
              expect r.body == "{\\"id\\":1,\\"text\\":\\"Hello from Manaknight\\"}"
            }

            test "an unknown note is 404" {
              let r = request GET "/notes/99"
              expect r.status == 404
            }
            """;

    static final String SCHEMA = """
            -- Run once, when the database has no tables yet (a new app.db), and for every test.
            CREATE TABLE notes (
              id   INTEGER PRIMARY KEY,
              text TEXT NOT NULL
            );

            INSERT INTO notes (text) VALUES ('Hello from Manaknight');
            """;

    static final String CONFIG = """
            # Every key is optional; the Manaknight guide's runtime reference lists them all.
            # Relative paths are relative to this folder.

            [server]
            listen = "127.0.0.1:8080"       # this machine only: put nginx in front to serve others
            # openapi = true                # serve the app's OpenAPI document at /openapi.json

            [limits]
            timeout = "10s"                 # a request's wall clock, database included

            [db]
            url = "sqlite:app.db"
            schema = "schema.sql"

            [log]
            access = "stdout"
            # dev = true                    # development only: a 500's body then carries the failure's
                                            # message (SQL text included) and stack; never in production
            """;

    static final String GITIGNORE = """
            # The database and its write-ahead log: data, not source.
            /app.db
            /app.db-wal
            /app.db-shm
            # Built modules: `manaknight build . -o app.mkb` makes them again.
            *.mkb
            """;

    /** The files in the order `new` reports them. */
    static List<File> files() {
        return List.of(new File("app.mnk", APP), new File("schema.sql", SCHEMA), new File("manaknight.toml", CONFIG),
                new File(".gitignore", GITIGNORE));
    }
}
