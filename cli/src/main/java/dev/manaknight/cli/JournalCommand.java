package dev.manaknight.cli;

import dev.manaknight.runtime.journal.JournalFiles;
import dev.manaknight.runtime.journal.JournalVerifier;
import dev.manaknight.runtime.journal.RecordText;
import dev.manaknight.runtime.journal.Reveal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight journal verify|show PATH`: check a request journal's chain, or print its records. */
@Command(name = "journal", description = "Check a request journal's hash chain, or print its records.",
         subcommands = {JournalCommand.Verify.class, JournalCommand.Show.class})
final class JournalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** No subcommand: the usage, as a usage error. */
    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(name = "verify", description = {"Follow each instance's hash chain through its segments; name the first "
            + "record that breaks it.", "Of a whole chain it prints the hash the chain ends in, which the server logs "
            + "as each segment ends. Exits 0 when every chain is whole, 65 when one is broken. In a journal of an "
            + "earlier version's audit mode, records whose commit has no outcome line (the server stopped between the "
            + "two) are listed, not a break."})
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "the journal folder, or one segment file")
        Path path;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<JournalVerifier.Result> results = JournalVerifier.verify(path);
            boolean broken = false;
            for (JournalVerifier.Result r : results) {
                String what = r.records() + " record" + (r.records() == 1 ? "" : "s") + " in " + r.segments() + " segment"
                        + (r.segments() == 1 ? "" : "s") + (r.fromStart() ? "" : " (its first segments were deleted)");
                if (r.broken() == null)
                    out.println(r.instance() + ": " + what + ", chain intact, ending in " + r.end() + unknown(r.unknown()));
                else {
                    broken = true;
                    out.println(r.instance() + ": broken at " + r.broken() + " (" + what + " before it)");
                }
            }
            if (results.isEmpty()) out.println(path + ": no journal segments");
            // Not a broken chain: audit mode wrote these records before their commits, and the server stopped before the outcome.
            out.flush();
            return broken ? ExitCode.DATA : ExitCode.OK;
        }
    }

    /** A line to `err`, after what `out` holds so far (they may be one terminal). */
    static void warn(PrintWriter out, PrintWriter err, String text) {
        out.flush();
        err.println("manaknight: " + text);
        err.flush();
    }

    /** `; 1 commit outcome not recorded (ID)`: audit-mode records whose commit may or may not have been made. */
    static String unknown(List<String> ids) {
        if (ids.isEmpty()) return "";
        return "; " + ids.size() + " commit outcome" + (ids.size() == 1 ? "" : "s") + " not recorded, committed or not ("
                + String.join(", ", ids) + ")";
    }

    @Command(name = "show", description = "Print a journal's records readably: the request, each effect call and "
            + "its result, the response, what it cost.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "the journal folder, or one segment file")
        Path path;

        @Option(names = "--id", paramLabel = "ID", description = "only the record of this request id")
        String id;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int[] shown = {0};
            boolean damaged = false;
            for (Map.Entry<String, List<JournalFiles.Segment>> e : JournalFiles.segments(path).entrySet()) {
                try {
                    JournalFiles.records(e.getValue(), Reveal.SHOW, w -> warn(out, err, "warning: " + w), (segment, line, r) -> {
                        if (id != null && !id.equals(r.id())) return true;
                        out.print(RecordText.of(r));
                        shown[0]++;
                        return true; // every record of the id: audit mode may write one before a failed commit
                    });
                } catch (JournalFiles.Damaged d) { // the other instances are shown all the same
                    damaged = true;
                    warn(out, err, d.getMessage() + "; the rest of instance " + e.getKey() + " is not shown");
                }
            }
            out.flush();
            if (damaged) return ExitCode.DATA;
            if (id != null && shown[0] == 0) {
                warn(out, err, "no record " + id + " in " + path);
                return ExitCode.DATA;
            }
            return ExitCode.OK;
        }
    }
}
