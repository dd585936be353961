package dev.manaknight.runtime.effects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process that starts as a server does, for {@link MigrationContract}'s "three processes at
 * once": it opens a pool, says `ready`, waits for the file `go` to appear (so that every process
 * is started before any migrates), then applies the migrations as `Deployment.open` does.
 * Arguments: config URL, migrations folder (or a schema script, `*.sql`), the `go` file. Exit 0,
 * or 65 for a refused migration.
 */
public final class MigrateOnce {
    private MigrateOnce() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path folder = Path.of(args[1]);
        Path go = Path.of(args[2]);
        // generous timeouts: three JVMs start at once on a machine that may be loaded
        var db = PooledDatabase.open(url, 2, Duration.ofSeconds(20), 2, dev.manaknight.runtime.config.Isolation.DEFAULT,
                Duration.ofSeconds(10));
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(go)) {
            if (System.nanoTime() - deadline > 0) System.exit(2);
            Thread.sleep(5);
        }
        try {
            boolean script = folder.toString().endsWith(".sql");
            Schema.prepare(db, script ? folder : null, script ? null : folder, PooledDatabase.describe(url)).close();
        } catch (MigrationException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(65);
        }
        System.exit(0);
    }
}
