package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `manaknight journal verify`: follows each instance's chain through its segments and names the
 * first line that breaks it — a record changed, removed, reordered or cut short, a segment missing.
 */
public final class JournalVerifier {
    /**
     * One instance's chain: how many records it holds, and its first break or null; `unknown`
     * the ids of audit-mode records whose commit has no outcome line (the server stopped between
     * the two: the commit may or may not have been made); `end` the hash of its last line when the
     * chain is whole (else null): what the server logged as each segment ended, to compare with
     * a copy kept apart from the journal.
     */
    public record Result(String instance, long records, int segments, Break broken, boolean fromStart, List<String> unknown,
                         String end) {
        public Result {
            unknown = List.copyOf(unknown);
        }
    }

    /** Where and how a chain broke: the record's id when it can still be read. */
    public record Break(Path file, long line, String id, String why) {
        @Override public String toString() {
            return file + ":" + line + (id == null ? "" : " (record " + id + ")") + ": " + why;
        }
    }

    private JournalVerifier() {}

    public static List<Result> verify(Path path) throws IOException {
        var results = new ArrayList<Result>();
        for (Map.Entry<String, List<JournalFiles.Segment>> e : JournalFiles.segments(path).entrySet())
            results.add(instance(e.getKey(), e.getValue()));
        return results;
    }

    private static Result instance(String instance, List<JournalFiles.Segment> segments) throws IOException {
        boolean fromStart = segments.getFirst().number() == 1;
        long[] records = {0};
        var pending = new java.util.LinkedHashSet<String>(); // id#run of records held before their commit
        var outcomes = new java.util.HashSet<String>();
        var finals = new java.util.HashSet<String>(); // ids with a record of their own (not held before a commit)
        String[] last = {fromStart ? Chain.GENESIS : null}; // a journal whose first segments were deleted (`keep`) starts later
        Break[] broken = {null};
        long[] lines = {0}; // of the segment being read
        JournalFiles.LineVisitor visitor = (segment, n, bytes, cut) -> {
            lines[0]++;
            String why = null;
            String id = null;
            switch (Chain.parse(bytes)) {
                case Chain.Parsed.Malformed m -> why = m.why();
                case Chain.Parsed.Line line -> {
                    JsonNode tree = treeOf(line.record());
                    boolean outcome = tree != null && tree.has("outcome");
                    id = tree == null ? null : outcome ? tree.get("outcome").path("id").asText(null)
                            : tree.hasNonNull("id") ? tree.get("id").asText() : null;
                    if (!line.sealed()) why = "its hash does not match its content (changed)";
                    else if (last[0] != null && !line.prev().equals(last[0]))
                        why = n == 1 ? "its segment does not follow the one before (a segment is missing or out of place)"
                                : "it does not follow the line before (a line was removed, reordered or changed)";
                    else if (n == 1 && !header(line.record(), instance, segment.number()))
                        why = "the segment's first line does not name this segment";
                    else if (n > 1 && id == null) why = "it is no record";
                    else {
                        last[0] = line.hash();
                        if (outcome) outcomes.add(id + "#" + tree.get("outcome").path("run").asInt());
                        else if (n > 1) {
                            records[0]++;
                            if ("pending".equals(tree.path("commit").asText(null)))
                                pending.add(id + "#" + tree.path("attempts").size());
                            else finals.add(id);
                        }
                    }
                }
            }
            if (why == null) return true;
            broken[0] = new Break(segment.file(), n, id, why);
            return false;
        };
        // Segment by segment: a number missing between two, and a segment without even its header
        // line, are breaks the chain alone may not show (nothing follows an empty last segment).
        int before = segments.getFirst().number() - 1;
        for (JournalFiles.Segment segment : segments) {
            if (segment.number() != before + 1) {
                broken[0] = new Break(segment.file(), 1, null, "the segment before it is missing (segment "
                        + (before + 1) + (segment.number() - before > 2 ? " to " + (segment.number() - 1) : "") + ")");
                break;
            }
            before = segment.number();
            lines[0] = 0;
            JournalFiles.lines(List.of(segment), visitor);
            if (broken[0] != null) break;
            if (lines[0] == 0) {
                broken[0] = new Break(segment.file(), 1, null, "the segment is empty (no header line)");
                break;
            }
        }
        pending.removeAll(outcomes);
        // a later record of the request says its commit failed (a commit that succeeded leaves none)
        var unknown = pending.stream().map(k -> k.substring(0, k.lastIndexOf('#'))).distinct().filter(i -> !finals.contains(i))
                .toList();
        return new Result(instance, records[0], segments.size(), broken[0], fromStart, unknown,
                broken[0] == null ? last[0] : null);
    }

    private static JsonNode treeOf(byte[] record) {
        try {
            return RecordCodec.tree(record);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean header(byte[] record, String instance, int number) {
        try {
            JsonNode s = RecordCodec.tree(record).get("segment");
            return s != null && instance.equals(s.path("instance").asText()) && s.path("number").asInt() == number;
        } catch (IOException e) {
            return false;
        }
    }
}
