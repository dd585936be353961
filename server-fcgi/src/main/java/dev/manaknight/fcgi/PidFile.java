package dev.manaknight.fcgi;

import dev.manaknight.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * PHP-FPM's `pid` file (`server.pid`): this process's id, for `kill -USR1 $(cat …)` in a
 * logrotate script and the like. Written once the server listens (a temporary file renamed into
 * place, so a reader never sees it half written); like the socket, an {@link OwnedFile}, removed
 * at stop unless a `--graceful` successor has written its own meanwhile.
 */
final class PidFile {
    private PidFile() {}

    static OwnedFile write(Path path) throws ConfigException {
        long pid = ProcessHandle.current().pid();
        Path tmp = path.resolveSibling("." + path.getFileName() + "." + pid);
        try {
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return OwnedFile.at(path);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write itself failed: there is nothing to remove
            }
            throw new ConfigException("`server.pid`: cannot write " + path + " ("
                    + (e instanceof NoSuchFileException ? "no such directory" : e.getMessage()) + ")");
        }
    }
}
