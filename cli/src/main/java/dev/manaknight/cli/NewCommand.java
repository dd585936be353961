package dev.manaknight.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `manaknight new NAME`: writes a new app directory ({@link AppTemplate}) that `test` and `serve`
 * accept as it is. The files are written into a hidden folder beside NAME and renamed to NAME at
 * once, so NAME is either absent or whole; an existing NAME is never touched.
 */
@Command(name = "new", description = "Create a new app directory NAME: a handler, a query, a schema, tests, a config.")
final class NewCommand implements Callable<Integer> {
    /** A name that is a plain directory name in every shell and on every file system. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the directory to create (its last part: a letter, then letters, digits, - or _)")
    Path name;

    @Override public Integer call() throws Exception {
        // The name as written: `..` or `hello/.` is no name, even where it would resolve to one.
        String last = name.getFileName() == null ? "" : name.getFileName().toString();
        if (!NAME.matcher(last).matches())
            throw usage("\"" + name + "\" is not a valid app name: start with a letter, then letters, digits, - or _ "
                    + "(at most 64)");
        Path target = name.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS))
            throw usage(name + " already exists: choose another name, or move it away first");
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) throw new NoSuchFileException(parent.toString());
        Path staging = Files.createTempDirectory(parent, "." + last + ".new");
        try {
            for (AppTemplate.File f : AppTemplate.files()) Files.writeString(staging.resolve(f.name()), f.text(), StandardCharsets.UTF_8);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            throw usage(name + " already exists: choose another name, or move it away first");
        } finally {
            deleteTree(staging);
        }
        var out = spec.commandLine().getOut();
        for (AppTemplate.File f : AppTemplate.files()) out.println("created " + name.resolve(f.name()));
        out.flush();
        return ExitCode.OK;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Removes the staging folder when the rename did not happen (it is gone when it did). */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
