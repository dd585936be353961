package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * An app ready to use: its verified program and, when it was compiled from a directory, its sources.
 *
 * @param origin  the directory or module file it came from
 * @param program the module, verified once by {@link AppLoader}, prepared to run
 * @param sources empty for a module file
 */
public record LoadedApp(Path origin, Program program, List<SourceFile> sources) {
    public LoadedApp {
        sources = List.copyOf(sources);
    }

    public Module module() { return program.module(); }

    /** A short name for titles: the directory's name, or the module file's without `.mkb`. */
    public String name() {
        Path file = origin.toAbsolutePath().normalize().getFileName();
        if (file == null) return "app";
        String name = file.toString();
        return Files.isDirectory(origin) || !name.endsWith(".mkb") ? name : name.substring(0, name.length() - 4);
    }

    /**
     * Finds a source file by the name the module stores: among the compiled sources, or, for a
     * module file, as a file relative to the module's folder (never outside it). Null when absent.
     */
    public Function<String, SourceFile> sourceLookup() {
        if (!sources.isEmpty()) {
            var byName = new HashMap<String, SourceFile>();
            for (SourceFile s : sources) byName.put(s.name(), s);
            return byName::get;
        }
        return sourcesIn(origin.toAbsolutePath().normalize().getParent());
    }

    /**
     * Finds a source file by the name a module stores, as a file relative to `folder` (never
     * outside it): `disasm --sources DIR` for a module built from another folder. Null when absent.
     */
    public static Function<String, SourceFile> sourcesIn(Path folder) {
        var cache = new HashMap<String, SourceFile>();
        return name -> {
            if (folder == null || name == null) return null;
            return cache.computeIfAbsent(name, n -> {
                Path file = folder.resolve(n).normalize();
                if (!file.startsWith(folder) || !Files.isRegularFile(file)) return null;
                try {
                    return new SourceFile(n, Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    return null; // unreadable or not UTF-8: the disassembly goes on without source lines
                }
            });
        };
    }
}
