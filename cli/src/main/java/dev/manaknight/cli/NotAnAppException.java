package dev.manaknight.cli;

import java.nio.file.Path;

/** A path given as APP is neither a directory of `.mnk` files nor a module file. */
public final class NotAnAppException extends Exception {
    private final Path path;

    public NotAnAppException(Path path, String why) {
        super(path + " " + why);
        this.path = path;
    }

    public Path path() { return path; }
}
