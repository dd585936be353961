package dev.manaknight.runtime.journal;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.VmError;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.InFlight;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.RequestCore;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.RequestHost;
import dev.manaknight.runtime.effects.Transaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.helpers.NOPLogger;

/**
 * `manaknight replay`: runs each recorded request again through the request core, in a fresh VM
 * of the given program, every effect answered from its record ({@link ReplayHost}), and compares
 * the reply byte for byte. Prints one line per difference and closes with the counts.
 */
public final class Replayer implements RequestCore.Hosts {
    /** Which records: one id, and those from a time on (either may be null). */
    public record Filter(String id, Instant since) {
        boolean takes(JournalRecord r) {
            return (id == null || id.equals(r.id())) && (since == null || !r.time().isBefore(since));
        }
    }

    /**
     * What a replay found; `damaged` counts the instances whose reading stopped at a damaged line
     * (told to `err`, their records after it not replayed).
     */
    public record Summary(long replayed, long identical, long differ, long skipped, long damaged) {
        /** `3 replayed, 3 identical, 0 differ`, then `, 2 skipped` when some were. */
        @Override public String toString() {
            return replayed + " replayed, " + identical + " identical, " + differ + " differ"
                    + (skipped > 0 ? ", " + skipped + " skipped" : "");
        }
    }

    private final Deployment deployment;
    /** Secrets from the replaying configuration, sealed headers with its journal key. */
    private final Reveal reveal;
    /** The app has a database: each recorded run had a transaction to commit. */
    private final boolean transactional;
    private JournalRecord current;
    private final List<ReplayHost> runs = new ArrayList<>();

    /**
     * @param config the app's configuration; its CPU limit is lifted (a measure of this machine's
     *               speed, not of the program), everything else is as configured
     */
    public Replayer(Program program, Config config) {
        var l = config.limits();
        Config replayConfig = new Config(config.source(), config.app(), config.server(),
                new Config.Limits(l.memory(), Duration.ZERO, l.fuel(), l.timeout(), l.body()), config.db(), config.log(),
                config.http());
        this.deployment = Deployment.replaying(program, replayConfig, this, NOPLogger.NOP_LOGGER);
        this.reveal = Reveal.with(config.settings().secretTexts(program.module()), config.journal().key());
        this.transactional = RequestCore.usesDatabase(program.module());
    }

    @Override public RequestHost open(String requestId, int granted, Transaction tx, long deadlineNanos) {
        List<Attempt> attempts = current.attempts();
        int n = runs.size();
        Attempt recorded = n < attempts.size() ? attempts.get(n) : new Attempt(List.of(), false, false);
        var host = new ReplayHost(requestId, granted, recorded, transactional);
        runs.add(host);
        return host;
    }

    /**
     * Replays the records under `path` that `filter` takes, one line per difference to `out`. A
     * torn tail is skipped with a warning to `err`; a damaged line stops its instance's records
     * there, told to `err`, and the other instances are replayed all the same.
     */
    public Summary replay(Path path, Filter filter, PrintWriter out, PrintWriter err) throws IOException {
        long[] counts = new long[5]; // replayed, identical, differ, skipped, damaged
        try (deployment) {
            for (Map.Entry<String, List<JournalFiles.Segment>> e : JournalFiles.segments(path).entrySet()) {
                try {
                    instance(e.getValue(), filter, out, err, counts);
                } catch (JournalFiles.Damaged d) {
                    counts[4]++;
                    warn(out, err, d.getMessage() + "; the rest of instance " + e.getKey() + " is not replayed");
                }
            }
        }
        out.flush();
        err.flush();
        return new Summary(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /** Replays one instance's records that `filter` takes, counting into `counts` (see {@link #replay}). */
    private void instance(List<JournalFiles.Segment> segments, Filter filter, PrintWriter out, PrintWriter err, long[] counts)
            throws IOException {
        JournalFiles.records(segments, reveal, w -> warn(out, err, "warning: " + w), (segment, line, r) -> {
            // a record held before a commit that then failed: the request's own record comes later
            if (!filter.takes(r) || r.commit() == JournalRecord.Commit.FAILED) return true;
            String skip = unreplayable(r);
            if (skip != null) {
                counts[3]++;
                out.println(r.id() + " " + r.target() + ": skipped (" + skip + ")");
                return true;
            }
            counts[0]++;
            if (r.commit() == JournalRecord.Commit.UNKNOWN)
                out.println(r.id() + " " + r.target() + ": note: its commit's outcome was not recorded (the server "
                        + "stopped between its record and the outcome): it may or may not have been committed");
            List<String> differences = one(r);
            if (differences.isEmpty()) counts[1]++;
            else {
                counts[2]++;
                for (String d : differences) out.println(r.id() + " " + r.target() + route(r) + ": " + d);
            }
            return true;
        });
    }

    /** A line to `err`, after what `out` holds so far (they may be one terminal). */
    private static void warn(PrintWriter out, PrintWriter err, String text) {
        out.flush();
        err.println("manaknight: " + text);
        err.flush();
    }

    /** Why a record cannot be replayed faithfully, or null: what stopped it was the clock, not the program. */
    static String unreplayable(JournalRecord r) {
        if (r.hidden() != null) return r.hidden();
        if (r.stop() != null) return "the request was stopped (" + r.stop().toLowerCase() + "): its timing cannot be replayed";
        if (r.failure() != null && (r.failure().startsWith(VmError.Kind.TIMEOUT.slug + ":")
                || r.failure().startsWith(VmError.Kind.CPU_EXHAUSTED.slug + ":")))
            return "it ran out of " + (r.failure().startsWith("timeout") ? "wall-clock" : "CPU") + " time, which replay does not measure";
        return null;
    }

    private static String route(JournalRecord r) { return r.route() == null ? "" : " (" + r.route() + ")"; }

    /** Replays one record; its differences, none when identical. */
    List<String> one(JournalRecord r) {
        current = r;
        runs.clear();
        InFlight f = deployment.replay(r.request(), r.id());
        var out = new ArrayList<String>();
        for (int i = 0; i < runs.size(); i++) {
            ReplayHost h = runs.get(i);
            ReplayHost.Divergence d = h.divergence();
            if (d != null) {
                out.add("diverged" + (runs.size() > 1 ? " in run " + (i + 1) : "") + where(f == null ? null : f.failure()) + " at effect call #"
                        + (d.index() + 1) + ": expected " + (d.expected() == null ? "no more calls"
                        : RecordText.call(d.expected().op(), d.expected().args())) + ", got " + d.actual());
            } else if (h.unused() > 0) {
                out.add("made " + (h.callCount()) + " of the " + (h.callCount() + h.unused()) + " effect calls recorded"
                        + (runs.size() > 1 ? " in run " + (i + 1) : ""));
            }
        }
        if (runs.size() != r.attempts().size())
            out.add("ran the handler " + runs.size() + " time(s), recorded " + r.attempts().size());
        Reply got = f == null ? null : f.reply();
        if (got == null) {
            out.add("no reply (the replay's deployment was closed)");
            return out;
        }
        out.addAll(ReplyDiff.of(r.response(), got));
        return out;
    }

    /** ` in fn (file:line)`: the innermost Manaknight frame of the failure a divergence caused. */
    private static String where(VmError failure) {
        if (failure == null || failure.stack().isEmpty()) return "";
        VmError.StackFrame top = failure.stack().getFirst();
        return " in " + top.function() + " (" + top.file() + ":" + top.line() + ")";
    }
}
