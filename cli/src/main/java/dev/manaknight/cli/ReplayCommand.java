package dev.manaknight.cli;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.journal.Replayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight replay PATH --app APP`: run recorded requests again against a program and compare the replies. */
@Command(name = "replay", description = {"Run a journal's requests again in fresh VMs of APP, every effect answered from "
        + "its record, and compare each reply byte for byte.", "Prints one line per difference, then `N replayed, "
        + "N identical, N differ` (and `, N skipped` when some were); exits 0 only when none differ (1 when some do), "
        + "65 when nothing was replayed (no record, or --id names none) or a line is damaged."})
final class ReplayCommand implements Callable<Integer> {
    /** Some replies differed (as diff(1) says its inputs differ). */
    static final int DIFFER = 1;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "the journal folder, or one segment file")
    Path path;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "the program to replay against: an app "
            + "directory or a .mkb file")
    Path app;

    @Option(names = "--config", paramLabel = "FILE", description = "its configuration (default: APP/manaknight.toml)")
    Path config;

    @Option(names = "--id", paramLabel = "ID", description = "only the request with this id")
    String id;

    @Option(names = "--since", paramLabel = "TIME", description = "only requests from this time on (2026-12-03T12:00:00Z)")
    String since;

    @Override public Integer call() throws Exception {
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--since: expected a time like "
                        + "2026-12-03T12:00:00Z, got \"" + since + "\"");
            }
        }
        Config cfg = ConfigLoader.load(app, config);
        // The app's config keys as it runs with them: a Secret the journal names is given again here.
        Program program = cfg.settings().bind(AppLoader.standard().load(app).program());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Replayer.Summary s = new Replayer(program, cfg).replay(path, new Replayer.Filter(id, from), out, err);
        out.println(s);
        out.flush();
        if (s.damaged() > 0) return ExitCode.DATA;
        if (s.replayed() == 0) { // nothing was compared: no success to report (as `journal show --id` for no record)
            err.println("manaknight: " + (id != null && s.skipped() == 0 ? "no record " + id + " in " + path
                    : "nothing replayed: " + (s.skipped() > 0 ? "every record taken was skipped"
                    : "no record in " + path + (from == null ? "" : " from " + from + " on"))));
            err.flush();
            return ExitCode.DATA;
        }
        return s.differ() == 0 ? ExitCode.OK : DIFFER;
    }
}
