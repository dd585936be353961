package dev.manaknight.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page of docs/guide read for its tests: the fenced code blocks in order, each with its
 * language and the words of its info string (` ```mnk file=hello/notes.mnk `), and the page's
 * links. A line scanner, not a Markdown parser: fences must start in column 1 (an indented fence
 * is reported, so that no block escapes its test).
 */
record GuidePage(Path path, List<GuidePage.Block> blocks, List<GuidePage.Link> links, List<String> problems) {
    /** A fenced block: where it starts (1-based line of the fence), its language, flags, `key=value`s and text. */
    record Block(Path page, int line, String lang, Set<String> flags, Map<String, String> attrs, String text) {
        boolean has(String flag) { return flags.contains(flag); }

        String attr(String key) { return attrs.get(key); }

        String where() { return page.getFileName() + ":" + line; }
    }

    /** A Markdown link `[text](target)` outside code blocks. */
    record Link(int line, String target) {}

    private static final Pattern FENCE = Pattern.compile("(`{3,})(.*)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    static GuidePage read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        var blocks = new ArrayList<Block>();
        var links = new ArrayList<Link>();
        var problems = new ArrayList<String>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```") && !line.startsWith("```"))
                problems.add(path.getFileName() + ":" + (i + 1) + ": an indented fence (start code blocks in column 1)");
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                for (Matcher m = LINK.matcher(line); m.find(); ) links.add(new Link(i + 1, m.group(1)));
                continue;
            }
            int start = i;
            String ticks = fence.group(1);
            var text = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).equals(ticks)) text.append(lines.get(i++)).append('\n');
            if (i == lines.size()) problems.add(path.getFileName() + ":" + (start + 1) + ": a code block that is never closed");
            String[] words = fence.group(2).trim().split("\\s+");
            var flags = new LinkedHashSet<String>();
            var attrs = new LinkedHashMap<String, String>();
            for (int w = 1; w < words.length; w++) {
                int eq = words[w].indexOf('=');
                if (eq < 0) flags.add(words[w]);
                else attrs.put(words[w].substring(0, eq), words[w].substring(eq + 1));
            }
            blocks.add(new Block(path, start + 1, words[0], flags, attrs, text.toString()));
        }
        return new GuidePage(path, blocks, links, problems);
    }
}
