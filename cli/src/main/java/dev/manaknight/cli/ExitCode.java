package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.verify.VerifyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** The exit codes of every `manaknight` command (BSD sysexits.h) and which failure earns which. */
public final class ExitCode {
    private ExitCode() {}

    public static final int OK = 0;
    /** EX_USAGE: bad arguments or options, or a path that is not an app at all. */
    public static final int USAGE = 64;
    /**
     * EX_DATAERR: the app does not compile, a module file is malformed or fails verification, or
     * its migrations do not fit its database (a changed applied migration, a failing one), or a
     * journal is damaged.
     */
    public static final int DATA = 65;
    /** EX_SOFTWARE: a failure while running, an internal error, or a command not implemented yet. */
    public static final int SOFTWARE = 70;
    /** EX_IOERR: a file or directory is missing or cannot be read or written, or the database cannot be reached. */
    public static final int IO = 74;

    /** The exit code for a command that ended with `failure`. */
    public static int of(Throwable failure) {
        return switch (failure) {
            case CommandLine.ParameterException e -> USAGE;
            case NotAnAppException e -> USAGE;
            case dev.manaknight.runtime.config.ConfigException e -> USAGE;
            case CompileException e -> DATA;
            case InvalidModuleException e -> DATA;
            case ModuleFormatException e -> DATA;
            case VerifyException e -> DATA;
            case dev.manaknight.runtime.effects.MigrationException e -> DATA;
            case dev.manaknight.runtime.journal.JournalFiles.Damaged e -> DATA;
            case java.sql.SQLException e -> IO;
            case IOException e -> IO;
            case UncheckedIOException e -> IO;
            default -> SOFTWARE;
        };
    }
}
