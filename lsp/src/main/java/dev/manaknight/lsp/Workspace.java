package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The documents the editor has open (their text wins over the disk's) and, for any of them, its
 * app: the directory the file is in, with every `.mnk` file below it, as `check DIR` reads it.
 */
final class Workspace {
    private final Map<Path, String> open = new ConcurrentHashMap<>();
    /** The last analysis of each app whose files parsed: hover and completion fall back to it while typing. */
    private final Map<Path, Analysis> lastChecked = new ConcurrentHashMap<>();

    void open(URI uri, String text) {
        open.put(path(uri), text);
    }

    void close(URI uri) {
        open.remove(path(uri));
    }

    String text(URI uri) {
        return open.get(path(uri));
    }

    static Path path(URI uri) {
        return Path.of(uri).toAbsolutePath().normalize();
    }

    /** The app of `uri`, analysed now. */
    Analysis analyse(URI uri) {
        Path file = path(uri);
        Path root = file.getParent();
        var files = new TreeMap<String, SourceFile>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> isSource(root, p)).sorted().toList()) add(files, root, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (open.containsKey(file)) add(files, root, file);
        Analysis a = Analysis.of(root, new LinkedHashMap<>(files));
        if (a.checked() != null) lastChecked.put(root, a);
        return a;
    }

    /** The app of `uri` as last analysed with files that parsed, or null. */
    Analysis lastChecked(URI uri) {
        return lastChecked.get(path(uri).getParent());
    }

    private void add(Map<String, SourceFile> files, Path root, Path p) {
        String name = root.relativize(p).toString().replace('\\', '/');
        String text = open.get(p);
        if (text == null) {
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return; // gone, or not text: the compiler would say so at build time
            }
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        files.put(name, new SourceFile(name, text));
    }

    /** A `.mnk` file below `root`, outside build output and hidden folders (as `fmt DIR` skips them). */
    private static boolean isSource(Path root, Path p) {
        if (!p.toString().endsWith(".mnk") || !Files.isRegularFile(p)) return false;
        for (Path part : root.relativize(p.getParent())) {
            String n = part.toString();
            if (n.equals("target") || n.startsWith(".") && !n.isEmpty()) return false;
        }
        return true;
    }

    /** Every file of the app, for publishing (and clearing) diagnostics. */
    static List<Path> paths(Analysis a) {
        return a.files().keySet().stream().map(a::path).toList();
    }
}
