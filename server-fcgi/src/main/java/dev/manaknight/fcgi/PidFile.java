package dev.manaknight.fcgi;

import dev.manaknight.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * PHP-FPM's `pid` file (`server.pid`): this process's id, for `kill -USR1 $(cat …)` in a
 * logrotate script and the like. Written once the server listens (a temporary file renamed into
 * place, so a reader never sees it half written), removed at stop unless a `--graceful` successor
 * has written its own meanwhile: like the socket, it is removed only while it is still the same file.
 */
final class PidFile {
    private final Path path;
    private final Object key;

    private PidFile(Path path, Object key) {
        this.path = path;
        this.key = key;
    }

    static PidFile write(Path path) throws ConfigException {
        long pid = ProcessHandle.current().pid();
        Path tmp = path.resolveSibling("." + path.getFileName() + "." + pid);
        try {
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new PidFile(path, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write itself failed: there is nothing to remove
            }
            throw new ConfigException("`server.pid`: cannot write " + path + " ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such directory" : e.getMessage()) + ")");
        }
    }

    /** Removes the file if it is still the one this process wrote. */
    void removeIfOurs() {
        try {
            if (Objects.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey(), key)) Files.deleteIfExists(path);
        } catch (IOException e) {
            // already gone
        }
    }
}
