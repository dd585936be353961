package dev.manaknight.fcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file this process put in place (the unix socket, the pid file), remembered by its file key,
 * so that at stop it is removed only while it is still that file: after a `--graceful` takeover
 * the successor has renamed its own over the same name, and that one must stay.
 */
record OwnedFile(Path path, Object key) {
    /** The file now at {@code path}, as this process's. */
    static OwnedFile at(Path path) throws IOException {
        return new OwnedFile(path, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    }

    /** Removes the file if it is still the one this process put there. */
    void removeIfOurs() {
        try {
            if (Objects.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey(), key)) Files.deleteIfExists(path);
        } catch (IOException e) {
            // already gone
        }
    }
}
