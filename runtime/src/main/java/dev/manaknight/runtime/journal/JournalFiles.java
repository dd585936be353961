package dev.manaknight.runtime.journal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A journal on disk for the tools that read it (`journal verify`, `journal show`, `replay`): a
 * folder of several instances' segments, or one segment file; its lines in chain order.
 */
public final class JournalFiles {
    /** One segment file: its instance and number. */
    public record Segment(Path file, String instance, int number) {}

    /** One line of a segment, without its newline; `line` counts from 1 within the file. */
    public interface LineVisitor {
        /**
         * @param cut no newline ends the line: the file (or the zeros that end it) ends inside it
         * @return false to stop reading
         */
        boolean line(Segment segment, long line, byte[] bytes, boolean cut) throws IOException;
    }

    /** A line that is no record where one should be, or a record that cannot be read: the journal is damaged there. */
    public static final class Damaged extends IOException {
        Damaged(String message, Throwable cause) { super(message, cause); }
    }

    /** One record read back; `line` counts from 1 within its segment. */
    public interface RecordVisitor {
        /** @return false to stop reading */
        boolean record(Segment segment, long line, JournalRecord record) throws IOException;
    }

    private JournalFiles() {}

    /** Every record of the segments in order (segment headers skipped); a line that is no record is {@link Damaged}. */
    public static void records(List<Segment> segments, RecordVisitor visitor) throws IOException {
        records(segments, Reveal.NOTHING, null, visitor);
    }

    /**
     * Every record of the segments in order, what was kept out of the journal given back by
     * `reveal` where it can, an audit-mode record's commit resolved by its outcome line
     * ({@link JournalRecord.Commit}); segment headers and outcome lines are not records.
     *
     * <p>A torn tail — the last line of the last segment cut short (no newline ends it, and it is
     * no whole chain line), as a crash leaves it — is skipped and told to `torn` as a warning;
     * with `torn` null it is {@link Damaged}, as is any other line that is no record.
     */
    public static void records(List<Segment> segments, Reveal reveal, java.util.function.Consumer<String> torn,
            RecordVisitor visitor) throws IOException {
        var finals = new java.util.HashSet<String>();
        Map<String, CommitOutcome> outcomes = outcomes(segments, finals);
        lines(segments, (segment, n, bytes, cut) -> {
            Chain.Parsed parsed = Chain.parse(bytes);
            if (torn != null && cut && segment == segments.getLast() && !(parsed instanceof Chain.Parsed.Line l && l.sealed())) {
                torn.accept(segment.file() + ":" + n + ": its last line is cut short (as a crash can leave it), skipped; "
                        + "`manaknight journal verify` reports it");
                return true;
            }
            if (!(parsed instanceof Chain.Parsed.Line line))
                throw new Damaged(segment.file() + ":" + n + ": not a journal line (run `manaknight journal verify`)", null);
            com.fasterxml.jackson.databind.JsonNode tree;
            try {
                tree = RecordCodec.tree(line.record());
            } catch (IOException e) {
                throw new Damaged(segment.file() + ":" + n + ": its record is not JSON (run `manaknight journal verify`)", e);
            }
            if (tree.has("segment") || tree.has("outcome")) return true;
            try {
                JournalRecord r = RecordCodec.decode(tree, reveal);
                if (r.commit() == JournalRecord.Commit.PENDING) {
                    CommitOutcome o = outcomes.get(r.id() + "#" + r.attempts().size());
                    // No outcome line, but a record of the request after it: the commit failed (a commit that
                    // succeeds leaves no other record), and that outcome line was what could not be written.
                    JournalRecord.Commit c = o != null ? (o.fault() == null ? JournalRecord.Commit.COMMITTED
                            : JournalRecord.Commit.FAILED) : finals.contains(r.id()) ? JournalRecord.Commit.FAILED
                            : JournalRecord.Commit.UNKNOWN;
                    r = r.withCommit(c);
                }
                return visitor.record(segment, n, r);
            } catch (IllegalArgumentException e) {
                throw new Damaged(segment.file() + ":" + n + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * The commit outcome lines of the segments, by `id#run`; `finals` receives the ids of the
     * records not held before a commit (a request's own record).
     */
    static Map<String, CommitOutcome> outcomes(List<Segment> segments, java.util.Set<String> finals) throws IOException {
        var out = new java.util.HashMap<String, CommitOutcome>();
        lines(segments, (segment, n, bytes, cut) -> {
            // a line cut short is no outcome, nor any record's (records tells it)
            if (!(Chain.parse(bytes) instanceof Chain.Parsed.Line line) || cut && !line.sealed()) return true;
            if (isOutcome(line.record())) {
                try {
                    CommitOutcome o = RecordCodec.outcome(RecordCodec.tree(line.record()));
                    if (o != null) out.put(o.id() + "#" + o.run(), o);
                } catch (IOException | IllegalArgumentException e) {
                    throw new Damaged(segment.file() + ":" + n + ": " + e.getMessage(), e);
                }
            } else {
                String id = finalId(line.record());
                if (id != null) finals.add(id);
            }
            return true;
        });
        return out;
    }

    private static final byte[] ID = "{\"id\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The id of a record that was not held before a commit, read from its head without parsing it
     * (`{"id":"…"`, then `"commit":"pending"` before `"request"` when held); null for any other line.
     */
    static String finalId(byte[] record) {
        if (!java.util.Arrays.equals(record, 0, Math.min(record.length, ID.length), ID, 0, ID.length)) return null;
        String head = new String(record, 0, Math.min(record.length, 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = head.indexOf('"', ID.length);
        int request = head.indexOf("\"request\":");
        if (end < 0 || request < 0 || head.substring(0, request).contains("\"commit\":\"pending\"")) return null;
        return head.substring(ID.length, end);
    }

    private static final byte[] OUTCOME = "{\"outcome\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** True when a line's record part is an outcome line's (CommitOutcome). */
    static boolean isOutcome(byte[] record) {
        return java.util.Arrays.equals(record, 0, Math.min(record.length, OUTCOME.length), OUTCOME, 0, OUTCOME.length);
    }

    /** The segments under `path` (a folder, or one segment file) by instance, each instance's in order. */
    public static Map<String, List<Segment>> segments(Path path) throws IOException {
        var out = new TreeMap<String, List<Segment>>();
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(Files::isRegularFile).toList();
            }
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no journal folder or segment");
        }
        for (Path f : files) {
            Segment s = Segments.parseName(f);
            if (s == null) {
                if (files.size() == 1) throw new IOException(f + ": not a journal segment (INSTANCE-NNNNNN.jsonl)");
                continue;
            }
            out.computeIfAbsent(s.instance(), k -> new ArrayList<>()).add(s);
        }
        for (List<Segment> l : out.values()) l.sort(Comparator.comparingInt(Segment::number));
        return out;
    }

    /**
     * Every line of the segments in order; stops when the visitor says so. Zero bytes that run to
     * the end of a file are no line: audit mode writes its lines into zeros written ahead of them
     * (Segments), which stay after a crash. A line they interrupt is a line cut short; zeros
     * followed by anything else are part of a line (which then is no journal line).
     */
    public static void lines(List<Segment> segments, LineVisitor visitor) throws IOException {
        for (Segment s : segments) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(s.file()), 1 << 16)) {
                var line = new ByteArrayOutputStream(1024);
                long n = 0;
                int b = in.read();
                boolean any = false;
                while (b >= 0) {
                    if (b == 0) {
                        long zeros = 0;
                        while ((b = in.read()) == 0) zeros++;
                        if (b < 0) break; // the zeros ahead of the last line
                        for (long i = 0; i <= zeros; i++) line.write(0);
                        any = true;
                        continue;
                    }
                    any = true;
                    if (b == '\n') {
                        if (!visitor.line(s, ++n, line.toByteArray(), false)) return;
                        line.reset();
                        any = false;
                    } else line.write(b);
                    b = in.read();
                }
                if (any && !visitor.line(s, ++n, line.toByteArray(), true)) return; // a last line without its newline: cut short
            }
        }
    }
}
