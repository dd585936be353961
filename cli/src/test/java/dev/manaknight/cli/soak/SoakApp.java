package dev.manaknight.cli.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The app the soak run serves: ordinary routes beside the ones each attack aims at. */
final class SoakApp {
    private SoakApp() {}

    static final String SOURCE = """
            type Item { id: Int, name: String, price: Decimal }
            type NewItem { name: String, price: Decimal }

            db {
              insertItem(name: String, price: Decimal): Item =
                  "INSERT INTO items(name, price) VALUES (:name, :price) RETURNING id, name, price"
              findItem(id: Int): Option<Item> = "SELECT id, name, price FROM items WHERE id = :id"
              endless(): Int = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
            }

            api GET /hello { respond text("hello") }

            api GET /items/:id {
              uses { db }
              match db.findItem(id) {
                some(item) -> respond json(item)
                none -> respond status 404
              }
            }

            api POST /items {
              uses { db }
              body n: NewItem
              respond status 201 json(db.insertItem(n.name, n.price))
            }

            // Attacks' targets.
            fn forever(n: Int): Int { forever(n + 1) + 1 }
            api GET /forever { respond json(forever(0)) }

            api GET /bomb/:n {
              var xs = [1]
              for k in 0..n { xs = xs + xs }
              respond json(xs.len())
            }

            api GET /spin {
              var i = 0
              for k in 0..9223372036854775807 { i = i + 1 }
              respond json(i)
            }

            api GET /echo-header {
              query v: String
              respond text("ok") headers { "X-Echo": v }
            }

            api POST /search {
              body s: String
              query p: String
              respond json(s.contains(p))
            }

            api GET /slowdb {
              uses { db }
              respond json(db.endless())
            }
            """;

    static final String SCHEMA = """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price TEXT NOT NULL);
            INSERT INTO items(name, price) VALUES ('pen', '1.50');
            """;

    /** Writes the app, its schema and its config into `dir`; returns the config file. */
    static Path write(Path dir, int port) throws IOException { return write(dir, "127.0.0.1:" + port); }

    /** The same, listening on `listen` (`host:port` for serve, `unix:/path` for fpm). */
    static Path write(Path dir, String listen) throws IOException {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("app.mnk"), SOURCE);
        Files.writeString(app.resolve("schema.sql"), SCHEMA);
        Path config = app.resolve("manaknight.toml");
        Files.writeString(config, """
                app = "%s"
                [server]
                listen = "%s"
                workers = 8
                queue = 256
                max_connections = 512
                idle_timeout = "5s"
                [limits]
                timeout = "2s"
                body = "1MB"
                memory = "4MB"
                [db]
                url = "sqlite:app.db"
                [log]
                access = "off"
                slowlog = "%s"
                """.formatted(app, listen, dir.resolve("slow.log")));
        return config;
    }
}
