package dev.manaknight.cli;

import dev.manaknight.fcgi.CgiRunner;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `manaknight cgi APP [--config F]`: one request from the CGI/1.1 environment (RFC 3875) and
 * stdin, its response (`Status:`, headers, blank line, body) on stdout, then exit. A `.mkb`
 * starts fastest (nothing to compile). APP/manaknight.toml applies when present. Under a web
 * server, {@link CgiMain} runs the same with APP and F from the environment, without this tree.
 */
@Command(name = "cgi", description = "Run one request from a CGI/1.1 environment (RFC 3875) and exit.")
final class CgiCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml)")
    Path config;

    @Override public Integer call() throws Exception {
        serveOne(app, config, System.getenv(), System.in, System.out, System.err);
        return ExitCode.OK;
    }

    /** Loads the config and the app (`config` may be null) and answers the one request in `env` and `in`. */
    static void serveOne(Path app, Path config, Map<String, String> env, InputStream in, OutputStream out, PrintStream err)
            throws Exception {
        Config cfg = ConfigLoader.load(app, config, env);
        Program program = cfg.settings().bind(AppLoader.standard().load(app).program());
        ModuleSchema.require(app, program, cfg);
        CgiRunner.run(program, cfg, env, in, out, err);
    }
}
