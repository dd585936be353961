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
import java.util.regex.Matcher;
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
        /** @return false to stop reading */
        boolean line(Segment segment, long line, byte[] bytes) throws IOException;
    }

    /** One record read back; `line` counts from 1 within its segment. */
    public interface RecordVisitor {
        /** @return false to stop reading */
        boolean record(Segment segment, long line, JournalRecord record) throws IOException;
    }

    private JournalFiles() {}

    /** Every record of the segments in order (segment headers skipped); a line that is no record is an IOException. */
    public static void records(List<Segment> segments, RecordVisitor visitor) throws IOException {
        lines(segments, (segment, n, bytes) -> {
            if (!(Chain.parse(bytes) instanceof Chain.Parsed.Line line))
                throw new IOException(segment.file() + ":" + n + ": not a journal line (run `manaknight journal verify`)");
            com.fasterxml.jackson.databind.JsonNode tree = RecordCodec.tree(line.record());
            if (tree.has("segment")) return true;
            try {
                return visitor.record(segment, n, RecordCodec.decode(tree));
            } catch (IllegalArgumentException e) {
                throw new IOException(segment.file() + ":" + n + ": " + e.getMessage(), e);
            }
        });
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
            Matcher m = Segments.parseName(f);
            if (m == null) {
                if (files.size() == 1) throw new IOException(f + ": not a journal segment (INSTANCE-NNNNNN.jsonl)");
                continue;
            }
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Segment(f, m.group(1), Integer.parseInt(m.group(2))));
        }
        for (List<Segment> l : out.values()) l.sort(Comparator.comparingInt(Segment::number));
        return out;
    }

    /** Every line of the segments in order; stops when the visitor says so. */
    public static void lines(List<Segment> segments, LineVisitor visitor) throws IOException {
        for (Segment s : segments) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(s.file()), 1 << 16)) {
                var line = new ByteArrayOutputStream(1024);
                long n = 0;
                int b;
                boolean any = false;
                while ((b = in.read()) >= 0) {
                    any = true;
                    if (b == '\n') {
                        if (!visitor.line(s, ++n, line.toByteArray())) return;
                        line.reset();
                        any = false;
                    } else line.write(b);
                }
                if (any && !visitor.line(s, ++n, line.toByteArray())) return; // a last line without its newline: cut short
            }
        }
    }
}
