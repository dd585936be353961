package dev.manaknight.cli;

import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.format.Formatter;
import dev.manaknight.lang.source.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `manaknight fmt [--check] PATH…`: rewrites `.mnk` files in the canonical layout
 * ({@link Formatter}), or with `--check` lists those that are not in it and exits 1. A file
 * with syntax errors is left as it is; its code frames are printed and the command exits 65.
 */
@Command(name = "fmt", description = "Format .mnk files in the one canonical layout (directories: every .mnk "
        + "below them); with --check, only list the files that are not formatted and exit 1.")
final class FmtCommand implements Callable<Integer> {
    /** `--check` found a file that is not formatted (as `test` exits 1 for a failed test). */
    static final int UNFORMATTED = 1;

    @Spec CommandSpec spec;

    @Option(names = "--check", description = "change nothing; list the files that are not formatted")
    boolean check;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "a .mnk file, or a directory searched for them "
            + "(skipping target/ and hidden folders)")
    List<Path> paths;

    @Override public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var errors = new ArrayList<Diagnostic>();
        boolean unformatted = false;
        for (Path file : files()) {
            SourceFile source = read(file);
            String formatted;
            try {
                formatted = Formatter.format(source);
            } catch (CompileException e) {
                errors.addAll(e.diagnostics());
                continue;
            }
            if (formatted.equals(source.text())) continue;
            unformatted = true;
            if (check) {
                out.println(file);
            } else {
                write(file, formatted);
                out.println("formatted " + file);
            }
        }
        out.flush();
        if (!errors.isEmpty()) throw new CompileException(errors);
        return check && unformatted ? UNFORMATTED : ExitCode.OK;
    }

    /** The files named, and the `.mnk` files below the directories named, each once, in order. */
    private List<Path> files() throws IOException {
        var files = new ArrayList<Path>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".mnk") && Files.isRegularFile(f) && !skipped(p, f))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new NoSuchFileException(p.toString());
            }
        }
        return files.stream().distinct().toList();
    }

    /** Build output and hidden folders (`.git`) below a directory named on the command line. */
    private static boolean skipped(Path root, Path file) {
        for (Path part : root.relativize(file.getParent() == null ? file : file.getParent())) {
            String n = part.toString();
            if (n.equals("target") || n.startsWith(".") && !n.equals(".") && !n.equals("..")) return true;
        }
        return false;
    }

    private static SourceFile read(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        return new SourceFile(file.toString(), text);
    }

    /** Replaces `file` at once: a reader sees the old text or the new, never a part. */
    private static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".fmt");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            // The temporary file is private (0600); the file keeps the permissions it had.
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
