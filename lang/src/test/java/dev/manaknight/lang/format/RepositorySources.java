package dev.manaknight.lang.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's `.mnk` files and the guide's `mnk` code blocks, for the formatter's tests. */
final class RepositorySources {
    private RepositorySources() {}

    /** The repository's root, seen from the lang module's directory (where Maven runs the tests). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Every `.mnk` file in the repository outside build output (`target/`) and hidden folders. */
    static List<Path> mnkFiles() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".mnk") && Files.isRegularFile(p))
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            String n = part.toString();
                            if (n.equals("target") || n.startsWith(".")) return false;
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A code block of the guide: where it is and its text. */
    record Block(String where, String text) {}

    /** Every ```mnk block of docs/guide/*.md. */
    static List<Block> guideBlocks() {
        var out = new ArrayList<Block>();
        try (Stream<Path> s = Files.list(ROOT.resolve("docs/guide"))) {
            for (Path page : s.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                List<String> lines = Files.readAllLines(page);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).strip().matches("```mnk\\b.*")) continue;
                    int start = i + 1;
                    var text = new StringBuilder();
                    for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                        text.append(lines.get(i)).append('\n');
                    }
                    out.add(new Block(page.getFileName() + ":" + start, text.toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
