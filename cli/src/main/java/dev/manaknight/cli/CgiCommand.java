package dev.manaknight.cli;

import dev.manaknight.fcgi.CgiRunner;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `manaknight cgi APP [--config F]`: one request from the CGI/1.1 environment (RFC 3875) and
 * stdin, its response (`Status:`, headers, blank line, body) on stdout, then exit. A `.mkb`
 * starts fastest (nothing to compile). APP/manaknight.toml applies when present.
 */
@Command(name = "cgi", description = "Run one request from a CGI/1.1 environment (RFC 3875) and exit.")
final class CgiCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml)")
    Path config;

    @Override public Integer call() throws Exception {
        Config cfg = ConfigLoader.load(app, config);
        Program program = Program.load(AppLoader.standard().load(app).module());
        CgiRunner.run(program, cfg, System.getenv(), System.in, System.out, System.err);
        return ExitCode.OK;
    }
}
