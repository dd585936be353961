package dev.manaknight.lang.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: `lang`'s packages depend on each other one way only — the type checker is not the
 * shared data model any more (`model` is) — and `lang` uses nothing but the JDK. Read from the
 * sources: every `dev.manaknight.lang.<package>` a file names, imported or written out.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/manaknight/lang");
    private static final Pattern NAMED = Pattern.compile("dev\\.manaknight\\.lang\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([a-z][\\w.]*)\\.");

    /** Package (relative to lang, "" for the root) → the lang packages it names. */
    private static Map<String, Set<String>> graph() throws IOException {
        var g = new TreeMap<String, Set<String>>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                String text = Files.readString(f);
                Matcher m = NAMED.matcher(text);
                var uses = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) if (!m.group(1).equals(pkg)) uses.add(m.group(1));
            }
        }
        return g;
    }

    @Test void thePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> g = graph();
        var cycles = new ArrayList<String>();
        for (String start : g.keySet()) {
            var path = new ArrayList<String>();
            path.add(start);
            walk(g, start, start, path, cycles);
        }
        assertEquals(List.of(), cycles, "package cycles in lang: " + g);
    }

    private static void walk(Map<String, Set<String>> g, String start, String at, List<String> path, List<String> cycles) {
        for (String next : g.getOrDefault(at, Set.of())) {
            if (next.equals(start)) cycles.add(String.join(" -> ", path) + " -> " + start);
            else if (!path.contains(next) && path.size() < g.size()) {
                path.add(next);
                walk(g, start, next, path, cycles);
                path.removeLast();
            }
        }
    }

    @Test void onlyTheCompilerReadsTheChecker() throws IOException {
        Map<String, Set<String>> g = graph();
        for (String pkg : List.of("model", "bytecode", "syntax", "syntax.ast", "vm", "verify", "source", "diag"))
            assertTrue(!g.getOrDefault(pkg, Set.of()).contains("types"), pkg + " depends on types: " + g.get(pkg));
        assertTrue(g.getOrDefault("model", Set.of()).isEmpty(), "model depends on nothing: " + g.get("model"));
    }

    @Test void langUsesOnlyTheJdk() throws IOException {
        var foreign = new TreeSet<String>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(1);
                    if (!name.startsWith("java.") && !name.startsWith("dev.manaknight.lang")) foreign.add(f.getFileName() + ": " + name);
                }
            }
        }
        assertEquals(Set.of(), foreign);
    }
}
