package dev.manaknight.bench;

import dev.manaknight.lang.source.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a large, valid app for CompileBench: per block a record, an input record, an enum,
 * a `db` block of four queries, four functions (string interpolation, a match, a fold with a
 * lambda, a loop with branches) and three handlers (path param, query param, JSON body).
 */
final class AppGenerator {
    private AppGenerator() {}

    /** `blocks` blocks, `perFile` of them to a file (an app is compiled as all its files together). */
    static List<SourceFile> generate(int blocks, int perFile) {
        var files = new ArrayList<SourceFile>();
        var text = new StringBuilder();
        for (int i = 0; i < blocks; i++) {
            text.append(block(i));
            if ((i + 1) % perFile == 0 || i == blocks - 1) {
                files.add(new SourceFile("gen" + files.size() + ".mnk", text.toString()));
                text.setLength(0);
            }
        }
        return files;
    }

    /** Lines of source, counted as an editor would (the last line needs no newline). */
    static long lines(List<SourceFile> files) {
        long n = 0;
        for (SourceFile f : files) n += f.text().lines().count();
        return n;
    }

    private static String block(int i) {
        return """
                // Block %1$d: items%1$d
                type Item%1$d { id: Int, name: String, price: Decimal, stock: Int }

                type NewItem%1$d { name: String, price: Decimal }

                enum Status%1$d { active, archived, blocked(reason: String) }

                db {
                  findItem%1$d(id: Int): Option<Item%1$d> = "SELECT id, name, price, stock FROM items%1$d WHERE id = :id"
                  listItems%1$d(limit: Int): List<Item%1$d> = "SELECT id, name, price, stock FROM items%1$d ORDER BY id LIMIT :limit"
                  createItem%1$d(name: String, price: Decimal): Item%1$d =
                      "INSERT INTO items%1$d(name, price, stock) VALUES (:name, :price, 0) RETURNING id, name, price, stock"
                  countItems%1$d(): Int = "SELECT count(*) FROM items%1$d"
                }

                fn label%1$d(it: Item%1$d): String {
                  "${it.name} (${it.price})"
                }

                fn statusText%1$d(s: Status%1$d): String {
                  match s {
                    Status%1$d.active -> "active"
                    Status%1$d.archived -> "archived"
                    Status%1$d.blocked(r) -> "blocked: ${r}"
                  }
                }

                fn total%1$d(items: List<Item%1$d>): Decimal {
                  items.fold(0.00, (acc, it) -> acc + it.price)
                }

                fn score%1$d(n: Int): Int {
                  var s = 0
                  for k in 0..n {
                    if k %% 3 == 0 {
                      s = s + k
                    } else {
                      s = s - 1
                    }
                  }
                  s
                }

                api GET /items%1$d/:id {
                  uses { db }

                  match db.findItem%1$d(id) {
                    some(it) -> respond json(it)
                    none -> respond status 404
                  }
                }

                api GET /items%1$d {
                  uses { db }
                  query limit: Int = 20

                  let items = db.listItems%1$d(limit)
                  let names = items.filter(it -> it.stock > 0).map(it -> label%1$d(it))
                  respond json(names) headers { "X-Total": "${total%1$d(items)}", "X-Score": "${score%1$d(items.len())}" }
                }

                api POST /items%1$d {
                  uses { db, log }
                  body n: NewItem%1$d

                  if n.name.trim().isEmpty() {
                    respond status 422 text("name must not be empty")
                  }
                  let it = db.createItem%1$d(n.name, n.price)
                  log.info("created ${it.id}: ${statusText%1$d(Status%1$d.active)}")
                  respond status 201 json(it) headers { "Location": "/items%1$d/${it.id}" }
                }

                """.formatted(i);
    }
}
