package dev.manaknight.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The CGI program as a web server runs it (fcgiwrap, examples/nginx/manaknight-cgi): the same
 * request as `manaknight cgi APP [--config F]`, with APP and F from the environment
 * (`MANAKNIGHT_APP`, `MANAKNIGHT_CONFIG`), where a CGI program gets everything else too, and no
 * command line at all.
 *
 * <p>Why a second entry point: a JVM is started per request, and building the picocli command
 * tree (nine commands, by reflection, from Java 5 class files that the JDK's AOT cache cannot
 * hold) took about 95 of 255 ms. Measured in bench/RESULTS.md §7.
 */
public final class CgiMain {
    static final String APP = "MANAKNIGHT_APP";
    static final String CONFIG = "MANAKNIGHT_CONFIG";

    private CgiMain() {}

    public static void main(String[] args) {
        Main.exitWith(() -> run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** One request; failures to load the app or config are reported on `err` as `manaknight cgi` reports them. */
    static int run(String[] args, Map<String, String> env, InputStream in, OutputStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("manaknight: CgiMain takes no arguments (" + APP + " and " + CONFIG
                    + " come from the environment); on a command line use 'manaknight cgi APP [--config F]'");
            return ExitCode.USAGE;
        }
        String app = env.get(APP);
        if (app == null || app.isBlank()) {
            err.println("manaknight: " + APP + " is not set: the app directory or .mkb to serve");
            return ExitCode.USAGE;
        }
        String config = env.get(CONFIG);
        try {
            CgiCommand.serveOne(Path.of(app), config == null || config.isBlank() ? null : Path.of(config), env, in, out, err);
            return ExitCode.OK;
        } catch (Exception e) {
            err.print(ErrorReport.describe(e));
            err.flush();
            return ExitCode.of(e);
        }
    }
}
