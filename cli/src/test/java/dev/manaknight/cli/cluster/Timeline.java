package dev.manaknight.cli.cluster;

import java.util.ArrayList;
import java.util.List;

/** What the scenario did and when, in seconds since it began: the report's time axis. */
final class Timeline {
    private final long start = System.nanoTime();
    private final List<String> marks = new ArrayList<>();

    void mark(String what) { marks.add(at(System.nanoTime()) + " " + what); }

    /** `nanos` (System.nanoTime) as `+12.3s`. */
    String at(long nanos) { return String.format(java.util.Locale.ROOT, "+%.1fs", (nanos - start) / 1e9); }

    @Override public String toString() { return String.join(", ", marks); }
}
