package dev.manaknight.cli.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * examples/cluster's files as the test runs them: the shipped text with only addresses and paths
 * replaced. A text to replace that the file no longer holds is an error, so that the test never
 * quietly runs something other than what a user copies.
 */
final class ClusterFiles {
    static final Path DIR = Path.of("../examples/cluster").toAbsolutePath().normalize();

    private ClusterFiles() {}

    /** `file`'s text with each key replaced by its value (every occurrence); each key must occur. */
    static String replace(Path file, Map<String, String> replacements) throws IOException {
        String text = Files.readString(file);
        for (var r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) throw new IllegalStateException(file + " no longer holds `" + r.getKey() + "`");
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    /**
     * cluster.toml or fpm.toml for `url` (its own database), the ledger by absolute path, and for
     * fpm its own listen port and its access log on (as `serve`'s is in cluster.toml): the test
     * reads it to see that the balancer sends to an instance again after its restart.
     */
    static Path instanceConfig(Path dir, String shipped, String url, String listen) throws IOException {
        var r = new java.util.LinkedHashMap<String, String>();
        Path ledger = DIR.resolveSibling("ledger");
        r.put("\"../ledger\"", "\"" + ledger + "\"");
        r.put("\"../ledger/migrations\"", "\"" + ledger.resolve("migrations") + "\"");
        r.put("\"postgresql://127.0.0.1:5432/manaknight?user=manaknight&password=manaknight\"", "\"" + url + "\"");
        if (listen != null) {
            r.put("listen = \"127.0.0.1:9001\"", "listen = \"" + listen + "\"");
            r.put("access = \"off\"", "access = \"stdout\"");
        }
        Path out = dir.resolve(listen == null ? shipped : listen.replace(':', '-') + "-" + shipped);
        Files.writeString(out, replace(DIR.resolve(shipped), r));
        return out;
    }
}
